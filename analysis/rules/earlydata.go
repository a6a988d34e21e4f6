package rules

import (
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var EarlyData = &analysis.Analyzer{
	ID:       "tls-early-data",
	Title:    "TLS 1.3 early data (0-RTT) is enabled",
	Severity: analysis.Warning,
	Run:      runEarlyData,
}

// passDirectives are the directives that hand a request to an application,
// with the one that sets what is forwarded along with it.
var passDirectives = map[string]string{
	"proxy_pass":   "proxy_set_header",
	"grpc_pass":    "grpc_set_header",
	"fastcgi_pass": "fastcgi_param",
	"uwsgi_pass":   "uwsgi_param",
	"scgi_pass":    "scgi_param",
}

func runEarlyData(p *analysis.Pass) {
	for _, l := range p.Config.Named("ssl_early_data") {
		f, d := l.File, l.Dir
		if len(d.Args) != 1 || d.Args[0].Value != "on" {
			continue
		}
		servers := p.Config.ServersUnder(d)
		if s := p.Config.ServerOf(d); s != nil {
			servers = []*config.Server{s}
		}
		proxied, forwarded := 0, 0
		for _, s := range servers {
			for _, b := range append([]*syntax.Directive{s.Block}, config.Descendants(s.Block)...) {
				for _, ch := range b.Children() {
					header, ok := passDirectives[ch.Name.Value]
					if !ok {
						continue
					}
					proxied++
					if forwardsEarlyData(p.Config.EffectiveAll(b, header)) {
						forwarded++
					}
				}
			}
		}
		diag := analysis.Diagnostic{File: f, Span: d.Args[0].Span,
			Message: "0-RTT early data is enabled: a recorded first flight can be replayed and processed twice",
			Fixes: []analysis.SuggestedFix{{Title: "Disable early data",
				Edits: []analysis.TextEdit{replace(f, d.Args[0].Span, "off")}}},
		}
		if proxied > 0 && forwarded == proxied {
			diag.Severity = analysis.Info
			diag.Message = "0-RTT early data is enabled; every proxied location forwards $ssl_early_data to the application"
		}
		// The model knows where no client can send early data at all.
		if why, ok := refusedHere(p, servedBy(p, d), func(e *negotiate.Endpoint) (bool, string) {
			return e.EarlyData, e.EarlyDataWhy
		}); ok && why != "" {
			diag.Severity = analysis.Info
			diag.Message = withNote("0-RTT early data is switched on", why)
		}
		p.Report(diag)
		if diag.Severity != analysis.Info {
			// A server in a site file learns it inherits replayable 0-RTT.
			reportInherited(p, f, d, []string{"replayable 0-RTT early data"})
		}
	}
}

func forwardsEarlyData(ds []*syntax.Directive) bool {
	for _, d := range ds {
		if len(d.Args) < 2 {
			continue
		}
		for _, a := range d.Args[1:] {
			if strings.Contains(a.Value, "$ssl_early_data") || strings.Contains(a.Value, "${ssl_early_data}") {
				return true
			}
		}
	}
	return false
}
