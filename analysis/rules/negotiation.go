package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var StartFailure = &analysis.Analyzer{
	ID:        "tls-start-failure",
	Title:     "OpenSSL refuses a TLS setting: nginx does not start",
	Severity:  analysis.Error,
	RunServer: runStartFailure,
}

var TLS13NoGroup = &analysis.Analyzer{
	ID:        "tls13-no-group",
	Title:     "TLS 1.3 is enabled, but no group of the list works with it",
	Severity:  analysis.Warning,
	RunServer: runTLS13NoGroup,
}

// coveredElsewhere reports the start failures another rule reports as an
// error on the same directive.
func coveredElsewhere(f *negotiate.Failure, in negotiate.Input) bool {
	switch {
	case strings.Contains(f.Why, "rejects the cipher list"), // tls-cipher-string-invalid
		strings.Contains(f.Why, "rejects the TLS 1.3 suites"), // tls13-ciphersuites
		strings.Contains(f.Why, "knows no group"):             // tls-curve-unknown
		return true
	case f.Directive == "ssl_dhparam":
		return in.DHBits < 1024 // tls-dhparam: breakable
	case f.Directive == "ssl_certificate":
		for _, k := range in.Keys {
			if k.Dir == f.Dir && (k.Alg == "RSA" && k.Bits < 2048 || k.Alg == "ECDSA" && k.Bits < 256) {
				return true // tls-cert-crypto
			}
		}
	}
	return false
}

func runStartFailure(p *analysis.Pass, s *config.Server) {
	e, in := endpoint(p, s)
	if e == nil || e.Start == nil || coveredElsewhere(e.Start, in) {
		return
	}
	d := e.Start.Dir
	if d == nil || p.Config.FileOf(d) == nil {
		d = tlsAnchor(p, s)
	}
	f := p.Config.FileOf(d)
	span := anchorSpan(d)
	if d.Block == nil && len(d.Args) > 0 {
		span = valueSpan(d)
	}
	msg := "nginx does not start: " + e.Start.Why
	if d != e.Start.Dir {
		msg = fmt.Sprintf("nginx does not start: %s (%s)", e.Start.Why, e.Start.Directive)
	}
	p.Report(analysis.Diagnostic{File: f, Span: span, Message: msg, Related: inheritedFrom(p, s, d)})
}

// inheritedFrom points a finding on an inherited directive at the server
// it is about.
func inheritedFrom(p *analysis.Pass, s *config.Server, d *syntax.Directive) []analysis.Related {
	if p.Config.ServerOf(d) == s {
		return nil
	}
	a := tlsAnchor(p, s)
	return []analysis.Related{{File: p.Config.FileOf(a), Span: anchorSpan(a), Message: "the server that inherits it" + serverLabel(s)}}
}

func runTLS13NoGroup(p *analysis.Pass, s *config.Server) {
	e, in := endpoint(p, s)
	if e == nil || e.Start != nil || e.NoHandshake != "" {
		return
	}
	var tls13 negotiate.VersionState
	for _, vs := range e.Versions {
		if vs.Version.String() == "TLSv1.3" {
			tls13 = vs
		}
	}
	if !tls13.Configured || tls13.Negotiable || !strings.HasPrefix(tls13.Why, "no group") {
		return
	}
	var only12, refused []string
	level := ""
	for _, g := range e.Groups {
		switch {
		case g.Why != "" && strings.HasPrefix(g.Why, "security level"):
			refused = append(refused, g.Name)
			level = g.Why[:strings.Index(g.Why, ")")+1]
		case g.Why == "" && !g.TLS13:
			only12 = append(only12, g.Name)
		}
	}
	var parts []string
	if len(only12) > 0 {
		verb := " work"
		if len(only12) == 1 {
			verb = " works"
		}
		parts = append(parts, capList(only12, 3, "more")+verb+" with TLS 1.2 only")
	}
	if len(refused) > 0 {
		parts = append(parts, level+" refuses "+capList(refused, 3, "more"))
	}
	msg := "TLS 1.3 is enabled, but no group of the list works with it"
	if len(parts) > 0 {
		msg += ": " + strings.Join(parts, "; ")
	}
	d := in.Dirs["ssl_ecdh_curve"]
	for _, c := range in.Commands {
		if strings.EqualFold(c.Name, "Groups") || strings.EqualFold(c.Name, "Curves") {
			d = c.Dir
		}
	}
	if d == nil {
		d = tlsAnchor(p, s)
	}
	span := anchorSpan(d)
	if d.Block == nil && len(d.Args) > 0 {
		span = valueSpan(d)
	}
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(d), Span: span, Message: msg, Related: inheritedFrom(p, s, d)})
}
