package rules

import (
	"fmt"
	"slices"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var Syntax = &analysis.Analyzer{
	ID:       "syntax",
	Title:    "Syntax error",
	Severity: analysis.Error,
	Run:      runSyntax,
}

func runSyntax(p *analysis.Pass) {
	for _, f := range p.Config.Files {
		for _, e := range f.Errors {
			if !memberOfUpstream(p, f, e) {
				p.Reportf(f, e.Span, "%s", e.Msg)
			}
		}
	}
	for _, l := range p.Config.Blocks() {
		if d := l.Dir; d.Block.Lua == nil && (neverBlock(d.Name.Value) || noBlockHere(p, d)) {
			// The parser cannot tell a third-party block directive from a
			// missing ';'; the directive table can.
			p.Report(analysis.Diagnostic{File: l.File, Span: syntax.Span{Start: d.Name.Start, End: d.Block.Open + 1},
				Message: fmt.Sprintf(`directive %s is not terminated by ";"`, syntax.Quote(d.Name.Value))})
		}
	}
}

// noBlockHere reports a block given to a directive whose forms allowed
// where it stands take none: "server ... { }" in an upstream, where the
// block form (of http) is not allowed.
func noBlockHere(p *analysis.Pass, d *syntax.Directive) bool {
	vs := directives.Variants(d.Name.Value)
	if !slices.ContainsFunc(vs, func(v *directives.Directive) bool { return !v.Block }) {
		return false // every form takes a block (this is most blocks: no need for the context)
	}
	ctx, ok := p.Config.KnownContextOf(d)
	if !ok {
		return false
	}
	allowed := false
	for _, v := range vs {
		if v.AllowedIn(ctx) {
			if v.Block {
				return false
			}
			allowed = true
		}
	}
	return allowed
}

// neverBlock reports a directive that nginx knows and that takes no block
// in any of its forms.
func neverBlock(name string) bool {
	vs := directives.Variants(name)
	for _, v := range vs {
		if v.Block {
			return false
		}
	}
	return len(vs) > 0
}

// memberOfUpstream reports the parser's `directive "server" has no opening
// "{"` on a file of upstream members, `server 10.0.0.1:80;` lines included
// into upstream blocks: the parser sees the file alone, the configuration
// sees where it is included. Included anywhere else as well (conf.d/*.conf
// at the http level, a classic), the error stands. A file nothing includes
// is taken for a list of members when it holds nothing else.
func memberOfUpstream(p *analysis.Pass, f *syntax.File, e *syntax.Error) bool {
	if e.Msg != `directive "server" has no opening "{"` {
		return false
	}
	placed := false
	for _, l := range p.Config.Named("server") {
		if l.File != f || l.Dir.Name.Start != e.Start {
			continue
		}
		ctx, ok := p.Config.KnownContextOf(l.Dir)
		if !ok {
			ctx = p.Config.ContextOf(l.Dir)
		}
		if ctx == directives.Any {
			continue
		}
		if ctx&(directives.Upstream|directives.StreamUpstream) == 0 {
			return false
		}
		placed = true
	}
	return placed || onlyMembers(f)
}

func onlyMembers(f *syntax.File) bool {
	for _, d := range f.Directives {
		if d.Name.Value != "server" || d.Block != nil {
			return false
		}
	}
	return true
}
