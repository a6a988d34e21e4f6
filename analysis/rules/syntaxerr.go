package rules

import (
	"github.com/nginxls/nginxls/analysis"
)

var Syntax = &analysis.Analyzer{
	ID:       "syntax",
	Title:    "Syntax error",
	Severity: analysis.Error,
	Doc: `nginx refuses to start on a syntax error: an unbalanced brace, a missing semicolon, an
unterminated quote. The messages use nginx's own wording where it has one; the parser recovers
after each error, so the rest of the file is still checked.`,
	Refs: []string{"https://nginx.org/en/docs/beginners_guide.html#conf_structure"},
	Run:  runSyntax,
}

func runSyntax(p *analysis.Pass) {
	for _, f := range p.Config.Files {
		for _, e := range f.Errors {
			p.Reportf(f, e.Span, "%s", e.Msg)
		}
	}
}
