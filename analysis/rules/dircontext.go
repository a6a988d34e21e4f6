package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var DirectiveContext = &analysis.Analyzer{
	ID:        "nginx-directive-context",
	Title:     "Directive not allowed here",
	Severity:  analysis.Error,
	Run:       directiveContext.Run,
	RunServer: directiveContext.RunServer,
}

var directiveContext = eachPlaced(checkDirectiveContext)

// placed is a directive and the context it stands in.
type placed struct {
	d   *syntax.Directive
	ctx directives.Context
}

// placedDirectives are the directives whose context is known for certain,
// and not past a syntax error: what the four directive rules judge.
var placedDirectives = analysis.Select(placedOutsideServers, placedInServer)

// eachPlaced is the two halves of a directive rule's check.
func eachPlaced(check func(*analysis.Pass, *syntax.Directive, directives.Context)) analysis.Halves {
	return analysis.Split(placedDirectives, func(p *analysis.Pass, x placed) { check(p, x.d, x.ctx) })
}

// placedOutsideServers are the placed directives outside server blocks.
func placedOutsideServers(p *analysis.Pass) []placed {
	isServer := func(d *syntax.Directive) bool {
		s := p.Config.ServerOf(d)
		return s != nil && s.Block == d
	}
	var out []placed
	for _, l := range p.Config.KnownLevels() {
		config.WalkContexts(l.Directives, l.Context, isServer, func(d *syntax.Directive, ctx directives.Context) {
			if !afterSyntaxError(p.Config.FileOf(d), d.Start(), 0) {
				out = append(out, placed{d, ctx})
			}
		})
	}
	return out
}

// placedInServer are the placed directives of a server.
func placedInServer(p *analysis.Pass, s *config.Server) []placed {
	ctx, ok := p.Config.KnownContextOf(s.Block)
	if !ok || s.Block.Block == nil {
		return nil
	}
	inner := directives.BlockContext(s.Block.Name.Value, ctx)
	if inner == 0 {
		return nil
	}
	// Only the server's own errors count: its findings are reused while
	// its text is unchanged, whatever happens in the other servers.
	start := s.Block.Start()
	if afterSyntaxError(s.File, s.Block.End(), start) {
		return nil
	}
	var out []placed
	config.WalkContexts(s.Block.Block.Directives, inner, nil, func(d *syntax.Directive, ctx directives.Context) {
		if f := p.Config.FileOf(d); f == s.File || !afterSyntaxError(f, d.Start(), 0) {
			out = append(out, placed{d, ctx})
		}
	})
	return out
}

// afterSyntaxError reports a syntax error of f in [from, off). Past a syntax
// error the tree is the parser's best guess at what was meant, and nginx
// stops at the error anyway: these rules say nothing there.
func afterSyntaxError(f *syntax.File, off, from int) bool {
	if f == nil {
		return false
	}
	for _, e := range f.Errors {
		if e.Start >= off {
			break
		}
		if e.Start >= from && !strings.HasSuffix(e.Msg, `has no opening "{"`) { // that one leaves the tree as written
			return true
		}
	}
	return false
}

func checkDirectiveContext(p *analysis.Pass, d *syntax.Directive, ctx directives.Context) {
	name := d.Name.Value
	vs := directives.Variants(name)
	if len(vs) == 0 || directives.Allowed(name, ctx) || unterminated(d) {
		return // unknown to nginx (a third-party module, or a typo nginx reports as such)
	}
	var where directives.Context
	thirdParty := false
	for _, v := range vs {
		if v.Plus {
			return // NGINX Plus builds accept some in more places than documented
		}
		thirdParty = thirdParty || v.ThirdParty
		where |= v.Contexts
	}
	if thirdParty && where&directives.Family(ctx) == 0 {
		// Known only from another module family: a sibling module may
		// take it here (OpenResty's stream Lua mirrors its http Lua).
		return
	}
	msg := fmt.Sprintf("%q directive is not allowed in %s, only in %s: nginx refuses to start", name, ctx.Words(), where.Words())
	if len(msg) > 130 { // the places it is accepted in are in hover and explain
		msg = fmt.Sprintf("%q directive is not allowed in %s: nginx refuses to start", name, ctx.Words())
	}
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(d), Span: d.Name.Span, Message: msg})
}

// unterminated reports a directive the file ends, or a '}' cuts, before its
// ';': nginx stops there with a syntax error (the syntax rule's), before
// judging where the directive stands or what it takes.
func unterminated(d *syntax.Directive) bool { return d.Block == nil && d.Semi < 0 }
