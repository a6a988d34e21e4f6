package rules

import (
	"fmt"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Values servers inherit from the levels above them: which servers take a
// directive's value, the notes that tell them so, and the fixes that set a
// value where they inherit from.

// settled reports whether the value of a single-valued setting that applies
// to directive d is certain: written at d's own level (an include there
// could only repeat it, which nginx refuses), or no include that could not
// be read lies at that level or above it (Config.Incomplete), where it
// could set it.
func settled(p *analysis.Pass, d *syntax.Directive, name string) bool {
	if e := p.Config.Effective(d, name); e != nil && e.Parent == d.Parent {
		return true
	}
	return !p.Config.Incomplete(d.Parent)
}

// flagOn reports whether an on|off directive is on for a block, with
// nginx's default for the target version when it is absent.
func flagOn(p *analysis.Pass, block *syntax.Directive, name string) bool {
	if d := p.Config.Effective(block, name); d != nil {
		return len(d.Args) == 1 && d.Args[0].Value == "on"
	}
	def, _ := config.Default(name, p.Settings.Nginx)
	return len(def) == 1 && def[0] == "on"
}

// heirs returns the TLS servers whose value of d's setting is d, set at a
// level above them (http, stream, mail, or a fragment's top). A server
// with an include that could not be read (Config.Incomplete) is not one
// for certain: the include may set its own value.
func heirs(p *analysis.Pass, d *syntax.Directive) []*config.Server {
	if inServer(p, d) { // a server's own value
		return nil
	}
	var out []*config.Server
	for _, s := range p.Config.ServersUnder(d) {
		if p.Config.IsTLS(s) && p.Config.Effective(s.Block, d.Name.Value) == d && !p.Config.Incomplete(s.Block) {
			out = append(out, s)
		}
	}
	return out
}

// inheritedBy points a finding on an inherited value at every server it
// affects.
func inheritedBy(p *analysis.Pass, f *syntax.File, d *syntax.Directive) []analysis.Related {
	var rel []analysis.Related
	hs := heirs(p, d)
	for i, s := range hs {
		anchor := tlsAnchor(p, s)
		msg := "inherited by this server" + serverLabel(s)
		if i == maxHeirsShown-1 && len(hs) > maxHeirsShown {
			// Thousands of entries on one line help no editor.
			msg += fmt.Sprintf(", and by %d more servers", len(hs)-maxHeirsShown)
		}
		rel = append(rel, analysis.Related{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor), Message: msg})
		if i == maxHeirsShown-1 {
			break
		}
	}
	return rel
}

// maxHeirsShown bounds the servers a finding on an inherited value points at.
const maxHeirsShown = 20

// reportInherited tells a server in another file than the weak value it
// inherits, where the value comes from; the finding itself (and its fix)
// stays on the value.
func reportInherited(p *analysis.Pass, f *syntax.File, d *syntax.Directive, what []string) {
	line, _ := f.Position(d.Start())
	for _, s := range heirs(p, d) {
		anchor := tlsAnchor(p, s)
		af := p.Config.FileOf(anchor)
		if af == f {
			continue
		}
		p.Report(analysis.Diagnostic{File: af, Span: anchorSpan(anchor), Severity: analysis.Info,
			Message: fmt.Sprintf("this server inherits the %s of %s:%d, which enables %s", d.Name.Value, f.Name, line, capList(what, 2, "weaknesses")),
			Related: []analysis.Related{{File: f, Span: directiveSpan(d), Message: "the inherited value"}}})
	}
}

// insertSettingFix adds a directive where a server inherits its TLS
// settings from: the enclosing http/stream/mail block (in whichever file
// holds it, often nginx.conf when the server is in sites-enabled/), else the
// server itself. Every server of a block asks for the same edit, which is
// then applied once.
func insertSettingFix(p *analysis.Pass, s *config.Server, text string) analysis.SuggestedFix {
	target := s.Block
	if parent := s.Block.Parent; parent != nil {
		target = parent
	}
	where := "server"
	if target != s.Block {
		where = target.Name.Value + " block"
	}
	return analysis.SuggestedFix{
		Title: fmt.Sprintf("Add %q to the %s", text, where),
		Edits: []analysis.TextEdit{insertFirst(p.Config.FileOf(target), target, text)},
	}
}

// byParent groups servers by the block they inherit from (http, stream,
// mail; a server at a fragment's top level alone), in order: a setting
// missing there is one cause for all of them.
func byParent(servers []*config.Server) [][]*config.Server {
	var order []*syntax.Directive
	groups := map[*syntax.Directive][]*config.Server{}
	for _, s := range servers {
		key := s.Block.Parent
		if key == nil {
			key = s.Block
		}
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], s)
	}
	out := make([][]*config.Server, len(order))
	for i, k := range order {
		out[i] = groups[k]
	}
	return out
}
