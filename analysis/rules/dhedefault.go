package rules

import (
	"fmt"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/openssl"
)

// withDefaultDHE adds to tls-cipher-dhe the servers that negotiate DHE
// with no cipher string to report: nginx's default list (HIGH:!aNULL:!MD5)
// enables DHE suites, which ssl_dhparam makes negotiable. The finding sits
// on the ssl_dhparam, the line that switches them on.
func withDefaultDHE(a *analysis.Analyzer) *analysis.Analyzer {
	run, runServer := a.Run, a.RunServer
	a.Run = func(p *analysis.Pass) {
		run(p)
		defaultDHE.Run(p)
	}
	a.RunServer = func(p *analysis.Pass, s *config.Server) {
		runServer(p, s)
		defaultDHE.RunServer(p, s)
	}
	return a
}

var defaultDHE = analysis.Split(analysis.Named("ssl_dhparam"), reportDefaultDHE)

func reportDefaultDHE(p *analysis.Pass, l config.Located) {
	var dhe []*openssl.Suite
	seen := map[*openssl.Suite]bool{}
	var servers []*config.Server
	for _, s := range servedBy(p, l.Dir) {
		if p.Config.Effective(s.Block, "ssl_ciphers") != nil || setsCipherString(p, s) {
			continue // the cipher string's own finding says it
		}
		e, _ := endpoint(p, s)
		if e == nil {
			continue
		}
		found := false
		for _, st := range e.Suites {
			if st.Suite.Kx&openssl.KxDHE == 0 || seen[st.Suite] {
				continue
			}
			if ok, _ := e.SuiteNegotiable(st.Suite); ok {
				seen[st.Suite], found = true, true
				dhe = append(dhe, st.Suite)
			}
		}
		if found {
			servers = append(servers, s)
		}
	}
	if len(dhe) == 0 {
		return
	}
	what := fmt.Sprintf("%d finite-field DHE suites", len(dhe))
	if len(dhe) == 1 {
		what = "a finite-field DHE suite"
	}
	msg := firstShort([]string{
		fmt.Sprintf("with nginx's default ssl_ciphers, ssl_dhparam makes %s negotiable (%s)", what, openssl.Summarize(dhe, 2)),
		fmt.Sprintf("with nginx's default ssl_ciphers, ssl_dhparam makes %s negotiable", what)})
	var rel []analysis.Related
	if p.Config.ServerOf(l.Dir) == nil {
		for _, s := range servers[:min(len(servers), maxHeirsShown)] {
			a := tlsAnchor(p, s)
			rel = append(rel, analysis.Related{File: p.Config.FileOf(a), Span: anchorSpan(a), Message: "negotiates them" + serverLabel(s)})
		}
	}
	p.Report(analysis.Diagnostic{File: l.File, Span: valueSpan(l.Dir), Message: msg, Related: rel})
}
