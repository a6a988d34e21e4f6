package analysis

import (
	"slices"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Halves are a rule's Run and RunServer, made by Split from one check.
type Halves struct {
	Run       func(*Pass)
	RunServer func(*Pass, *config.Server)
}

// Split makes a rule's Run and RunServer from one check of one thing sel
// selects (a directive, a value made of one): Run calls it for each thing
// outside every server, RunServer for each thing in the server it checks.
// Everything is judged once, and the findings about a server are cached
// with it.
//
//	var hstsMaxAge = analysis.Split(analysis.Named("add_header"), checkHSTSMaxAge)
//
//	func checkHSTSMaxAge(p *analysis.Pass, l config.Located) { ... }
//
//	var HSTSMaxAge = &analysis.Analyzer{
//		...
//		Run:       hstsMaxAge.Run,
//		RunServer: hstsMaxAge.RunServer,
//	}
func Split[T any](sel *Selection[T], check func(*Pass, T)) Halves {
	return Halves{
		Run: func(p *Pass) {
			for _, x := range sel.Outside(p) {
				check(p, x)
			}
		},
		RunServer: func(p *Pass, s *config.Server) {
			for _, x := range sel.In(p, s) {
				check(p, x)
			}
		},
	}
}

// Selection is what a check made into two halves by Split judges: its part
// outside every server and its part in one server. A selection is made
// once, in a package-level variable, and shared by the rules that judge
// the same things.
type Selection[T any] struct {
	outside  func(*Pass) []T
	inServer func(*Pass, *config.Server) []T
}

// Select makes a selection of its two parts: outside, what lies outside
// every server (a server block misplaced elsewhere, which is no server of
// the configuration, included), and inServer, what lies in one server.
// Together they cover each thing once. Each part is made once, outside
// once per analysis and inServer once per server checked, and shared by
// every rule of the selection: checks must not change them.
func Select[T any](outside func(*Pass) []T, inServer func(*Pass, *config.Server) []T) *Selection[T] {
	return &Selection[T]{outside: outside, inServer: inServer}
}

// Named selects the directives of the given names.
func Named(names ...string) *Selection[config.Located] {
	return NamedValues(func(l config.Located) (config.Located, bool) { return l, true }, names...)
}

// NamedValues selects what value makes of the directives of the given
// names (a cipher string, a header); a directive it returns false for is
// left out.
func NamedValues[T any](value func(config.Located) (T, bool), names ...string) *Selection[T] {
	return Select(func(p *Pass) []T {
		var out []T
		for _, l := range p.Config.Named(names...) {
			if p.Config.ServerOf(l.Dir) != nil {
				continue
			}
			if v, ok := value(l); ok {
				out = append(out, v)
			}
		}
		return out
	}, func(p *Pass, s *config.Server) []T {
		var out []T
		syntax.Walk(s.Block.Children(), func(d *syntax.Directive) bool {
			if !d.InEntryBlock() && slices.Contains(names, d.Name.Value) {
				if v, ok := value(config.Located{File: p.Config.FileOf(d), Dir: d}); ok {
					out = append(out, v)
				}
			}
			return true
		})
		return out
	})
}

// Outside is what the selection holds outside every server, made once per
// analysis.
func (sel *Selection[T]) Outside(p *Pass) []T {
	return Shared(p, sel, func() []T { return sel.outside(p) })
}

// In is what the selection holds in server s, made once while s is
// checked.
func (sel *Selection[T]) In(p *Pass, s *config.Server) []T {
	sc := p.scope
	if sc == nil || sc.server != s {
		return sel.inServer(p, s)
	}
	if v, ok := sc.parts[sel]; ok {
		return v.([]T)
	}
	v := sel.inServer(p, s)
	if sc.parts == nil {
		sc.parts = map[any]any{}
	}
	sc.parts[sel] = v
	return v
}

// serverScope is what the passes of one server's checks share: the parts
// of the selections in it. The checks of a server run one after the other.
type serverScope struct {
	server *config.Server
	parts  map[any]any // by selection
}
