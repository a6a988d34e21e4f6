package rules

import (
	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
)

var ListenHTTP2 = &analysis.Analyzer{
	ID:       "nginx-listen-http2-deprecated",
	Title:    "`listen ... http2` is deprecated (nginx 1.25.1)",
	Severity: analysis.Warning,
	Run:      runListenHTTP2,
}

var http2DirectiveSince = config.MustVersion("1.25.1")

func runListenHTTP2(p *analysis.Pass) {
	if !p.Settings.Nginx.AtLeast(http2DirectiveSince) {
		return
	}
	for _, s := range p.Config.Servers {
		if s.Module != config.HTTP {
			continue
		}
		for _, l := range s.Listens {
			w := config.ListenHas(l, "http2")
			if w == nil {
				continue
			}
			lf := p.Config.FileOf(l) // a listen may come from an included snippet
			edits := []analysis.TextEdit{removeArg(lf, l, w)}
			if on := p.Config.Effective(s.Block, "http2"); on == nil || len(on.Args) == 0 || on.Args[0].Value != "on" {
				// Every listen of the server inserts the same line at the
				// same place, so fixing them all adds it once.
				last := s.Listens[len(s.Listens)-1]
				edits = append(edits, insertAfter(p.Config.FileOf(last), last, "http2 on;"))
			}
			p.Report(analysis.Diagnostic{File: lf, Span: w.Span,
				Message: "the \"http2\" parameter of \"listen\" is deprecated since nginx 1.25.1; use \"http2 on;\" in the server",
				Tags:    []analysis.Tag{analysis.Deprecated},
				Fixes:   []analysis.SuggestedFix{{Title: "Replace with \"http2 on;\"", Edits: edits}}})
		}
	}
}
