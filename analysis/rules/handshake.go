package rules

import (
	"slices"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
)

var HandshakeImpossible = &analysis.Analyzer{
	ID:        "tls-handshake-impossible",
	Title:     "No TLS handshake can succeed with these protocols and ciphers",
	Severity:  analysis.Error,
	RunServer: runHandshakeImpossible,
}

func runHandshakeImpossible(p *analysis.Pass, s *config.Server) {
	if p.Config.Incomplete(s.Block) {
		return
	}
	e, in := endpoint(p, s)
	if e == nil || e.Start != nil {
		return // nginx does not start: the rule of the directive at fault says so
	}
	why := e.NoHandshake
	if why == "" {
		var reasons []string
		for _, vs := range e.Versions {
			if vs.Negotiable {
				return
			}
			if vs.Configured && !slices.Contains(reasons, vs.Why) {
				reasons = append(reasons, vs.Why)
			}
		}
		if len(reasons) == 0 {
			return // no version at all: nginx-directive-args
		}
		why = capList(reasons, 2, "reasons")
	}
	anchor := tlsAnchor(p, s)
	span := anchorSpan(anchor)
	fixes := []analysis.SuggestedFix{insertProtocolsFix(p, s)}
	if d := in.Dirs["ssl_protocols"]; d != nil && p.Config.FileOf(d) != nil {
		anchor, span = d, valueSpan(d)
		fixes = []analysis.SuggestedFix{setProtocolsFix(p, p.Config.FileOf(d), d)}
	}
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: span,
		Message: "no TLS handshake can succeed: " + why,
		Fixes:   fixes})
}
