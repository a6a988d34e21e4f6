package rules

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var DirectiveArgs = &analysis.Analyzer{
	ID:        "nginx-directive-args",
	Title:     "Wrong number of arguments",
	Severity:  analysis.Error,
	Run:       directiveArgs.Run,
	RunServer: directiveArgs.RunServer,
}

var directiveArgs = eachPlaced(checkDirectiveArgs)

func checkDirectiveArgs(p *analysis.Pass, d *syntax.Directive, ctx directives.Context) {
	if unterminated(d) {
		return
	}
	n := len(d.Args)
	var here *directives.Directive // the form nginx would take here
	for _, v := range directives.Variants(d.Name.Value) {
		if v.Plus {
			return // NGINX Plus builds may differ from the documentation
		}
		if !v.AllowedIn(ctx) || v.Block != (d.Block != nil) {
			continue
		}
		if v.ArgsOK(n) {
			return
		}
		if most := v.Args.Max(); most >= 0 && n > most {
			if n <= documentedMax(v) {
				return
			}
		}
		if here == nil {
			here = v
		}
	}
	if here == nil {
		return // unknown, or not allowed here (nginx-directive-context says so), or a block where none goes (syntax)
	}
	sp := d.Name.Span
	if n > 0 {
		sp.End = d.Args[n-1].End
	}
	msg := fmt.Sprintf("invalid number of arguments in %q directive: it takes %s, not %d; nginx refuses to start",
		d.Name.Value, argCount(here.Args), n)
	f := p.Config.FileOf(d)
	if max := here.Args.Max(); max >= 0 && n > max && f != nil && bytes.ContainsAny(f.Src[d.Name.End:d.Args[n-1].Start], "\n") {
		// Words from a following line: most likely a ';' was forgotten.
		// (No line number: a server's findings are reused when it moves.)
		msg += " (is a \";\" missing at the end of its line?)"
	} else if syn := strings.Join(here.Syntax, " or "); syn != "" && len(msg)+len(syn) <= 130 {
		msg += " (syntax: " + syn + ")"
	}
	p.Report(analysis.Diagnostic{File: f, Span: sp, Message: msg})
}

// documentedMax is the most arguments the documented forms of a directive
// show, or 0 when a form says "..." (the documentation's "and so on" is
// looser than the build). The counts of the table come from the nginx and
// njs builds it was read from; the documentation describes the newest
// release and NGINX Plus, which take more than those in places
// (js_set ... nocache, limit_req_zone ... sync). A count the documentation
// shows is not called wrong.
func documentedMax(v *directives.Directive) int {
	most := 0
	for _, form := range v.Syntax {
		if strings.Contains(form, "...") {
			return 0
		}
		form = strings.TrimSuffix(strings.TrimSuffix(form, ";"), " { ... }")
		words := strings.Fields(form)
		n, depth := 0, 0
		for i := 1; i < len(words); i++ { // words[0] is the name
			w := words[i]
			switch {
			case depth > 0: // inside an optional group, which is one argument
			case w == "|":
				i++ // the next word is an alternative to the previous one
			default:
				n++
			}
			depth += strings.Count(w, "[") - strings.Count(w, "]")
		}
		most = max(most, n)
	}
	return most
}

// argCount says how many arguments a directive takes, in words.
func argCount(a directives.Args) string {
	lo, hi := a.Min(), a.Max()
	switch {
	case hi < 0:
		return "at least " + strconv.Itoa(lo)
	case lo == hi && lo == 0:
		return "no arguments"
	case lo == hi:
		return strconv.Itoa(lo)
	case hi == lo+1:
		return strconv.Itoa(lo) + " or " + strconv.Itoa(hi)
	}
	return strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
}
