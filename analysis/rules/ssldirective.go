package rules

import (
	"fmt"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var SSLDirective = &analysis.Analyzer{
	ID:       "nginx-ssl-directive",
	Title:    "The `ssl` directive is deprecated (removed in nginx 1.25.1)",
	Severity: analysis.Error,
	Run:      runSSLDirective,
}

var (
	sslDeprecatedIn = config.MustVersion("1.15.0")
	sslRemovedIn    = config.MustVersion("1.25.1")
)

func runSSLDirective(p *analysis.Pass) {
	if !p.Settings.Nginx.AtLeast(sslDeprecatedIn) {
		return
	}
	for _, l := range p.Config.Named("ssl") {
		f, d := l.File, l.Dir
		if d.Block != nil {
			continue
		}
		sev, msg := analysis.Warning, "the \"ssl\" directive is deprecated since nginx 1.15.0; use the \"ssl\" parameter of \"listen\""
		if p.Settings.Nginx.AtLeast(sslRemovedIn) {
			sev = analysis.Error
			msg = fmt.Sprintf("the \"ssl\" directive was removed in nginx 1.25.1: nginx %s refuses to start; use \"listen ... ssl\"", p.Settings.Nginx)
		}
		p.Report(analysis.Diagnostic{File: f, Span: directiveSpan(d), Severity: sev, Message: msg,
			Tags: []analysis.Tag{analysis.Deprecated}, Fixes: []analysis.SuggestedFix{sslDirectiveFix(p, f, d)}})
	}
}

// sslDirectiveFix deletes `ssl on|off;`. For `on`, every listen of the
// affected servers gets the ssl parameter; a server without listen listens
// on port 80, so it gets `listen 80 ssl;` to keep its behaviour.
func sslDirectiveFix(p *analysis.Pass, f *syntax.File, d *syntax.Directive) analysis.SuggestedFix {
	edits := []analysis.TextEdit{removeDirective(f, d)}
	if len(d.Args) == 1 && d.Args[0].Value == "on" {
		servers := p.Config.ServersUnder(d)
		if s := p.Config.ServerOf(d); s != nil {
			servers = []*config.Server{s}
		}
		for _, s := range servers {
			if own := p.Config.Effective(s.Block, "ssl"); own != nil && own != d {
				continue // the server decides for itself
			}
			if len(s.Listens) == 0 {
				edits = append(edits, insertFirst(s.File, s.Block, "listen 80 ssl;"))
			}
			for _, l := range s.Listens {
				if config.ListenHas(l, "ssl") == nil && len(l.Args) > 0 {
					edits = append(edits, replace(p.Config.FileOf(l), syntax.Span{Start: l.Args[0].End, End: l.Args[0].End}, " ssl"))
				}
			}
		}
		return analysis.SuggestedFix{Title: "Remove \"ssl on\" and add \"ssl\" to the listen directives", Edits: edits}
	}
	return analysis.SuggestedFix{Title: "Remove \"ssl off\" (it is the default)", Edits: edits}
}
