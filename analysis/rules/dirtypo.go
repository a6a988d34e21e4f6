package rules

import (
	"fmt"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/textedit"
)

var DirectiveTypo = &analysis.Analyzer{
	ID:        "nginx-directive-typo",
	Title:     "Unknown directive, close to a known one",
	Severity:  analysis.Error,
	Run:       directiveTypo.Run,
	RunServer: directiveTypo.RunServer,
}

var directiveTypo = eachPlaced(checkDirectiveTypo)

func checkDirectiveTypo(p *analysis.Pass, d *syntax.Directive, ctx directives.Context) {
	name := d.Name.Value
	if directives.Known(name) || d.Name.Quote != 0 || len(name) < 4 {
		return
	}
	meant, ok := closestDirective(name, ctx)
	if !ok { // a typo of a directive misplaced besides: nginx-directive-context tells once renamed
		if meant, ok = closestDirective(name, directives.Any); !ok {
			return
		}
	}
	f := p.Config.FileOf(d)
	p.Report(analysis.Diagnostic{File: f, Span: d.Name.Span,
		Message: fmt.Sprintf("unknown directive %q: nginx refuses to start; did you mean %q?", name, meant),
		Fixes:   []analysis.SuggestedFix{{Unsafe: true, Title: fmt.Sprintf("Rename to %s", meant), Edits: []analysis.TextEdit{replace(f, d.Name.Span, meant)}}}})
}

var directiveNames = sync.OnceValue(directives.Names)

// typoMemo remembers closestDirective's answers: an unknown third-party
// directive may stand in each of thousands of servers.
var typoMemo sync.Map // typoKey -> typoAnswer

type typoKey struct {
	name string
	ctx  directives.Context
}

type typoAnswer struct {
	meant string
	ok    bool
}

// closestDirective returns the one directive allowed in ctx (in open-source
// nginx: NGINX Plus is a build of its own) one keystroke from name: a letter
// dropped, doubled, changed or swapped with its neighbour, never the first.
// Two keystrokes away lie real third-party directives (proxy_wasm is not a
// misspelt proxy_pass); none is returned when several are as close.
func closestDirective(name string, ctx directives.Context) (string, bool) {
	if a, ok := typoMemo.Load(typoKey{name, ctx}); ok {
		return a.(typoAnswer).meant, a.(typoAnswer).ok
	}
	best, ties := "", 0
	for _, cand := range directiveNames() {
		if cand[0] == name[0] && textedit.Distance(name, cand, 1) == 1 && openSourceIn(cand, ctx) {
			best, ties = cand, ties+1
		}
	}
	typoMemo.Store(typoKey{name, ctx}, typoAnswer{best, ties == 1})
	return best, ties == 1
}

// openSourceIn reports a directive of open-source nginx (or of a module
// built with it) allowed in ctx.
func openSourceIn(name string, ctx directives.Context) bool {
	for _, v := range directives.Variants(name) {
		if !v.Plus && v.AllowedIn(ctx) {
			return true
		}
	}
	return false
}
