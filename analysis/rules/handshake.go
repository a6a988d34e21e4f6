package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/openssl"
)

var HandshakeImpossible = &analysis.Analyzer{
	ID:        "tls-handshake-impossible",
	Title:     "No TLS handshake can succeed with these protocols and ciphers",
	Severity:  analysis.Error,
	RunServer: runHandshakeImpossible,
}

// tlsVersions are the versions ssl_protocols names, newest first, as
// OpenSSL walks them to find the range it supports.
var tlsVersions = []struct {
	name string
	v    openssl.Version
}{{"TLSv1.3", openssl.TLS13}, {"TLSv1.2", openssl.TLS12}, {"TLSv1.1", openssl.TLS11}, {"TLSv1", openssl.TLS10}, {"SSLv3", openssl.SSLv3}}

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

// supportedTop is what OpenSSL 1.1.1 and 3 make of a protocol list: walking
// from the newest version down, a version after a gap restarts the range,
// so the highest version OpenSSL checks ciphers against is the top of the
// lowest contiguous run. missing names the gap's versions, if any.
func supportedTop(protos []string) (top openssl.Version, missing string, enabled []string) {
	on := map[string]bool{}
	for _, v := range protos {
		on[v] = true
	}
	var gap []string
	var pendingGap []string
	hole := true
	for _, tv := range tlsVersions {
		// OpenSSL 1.1.0 and later are built without SSLv3 (and SSLv2).
		if !on[tv.name] || tv.v == openssl.SSLv3 {
			if !hole && tv.v != openssl.SSLv3 {
				pendingGap = append(pendingGap, tv.name)
			}
			hole = true
			continue
		}
		enabled = append([]string{tv.name}, enabled...) // oldest first
		if hole {
			if top != 0 {
				gap = append(gap, pendingGap...)
			}
			top = tv.v
			hole = false
		}
		pendingGap = nil
	}
	return top, enumerate(gap), enabled
}

// suiteFor reports whether a suite of the list works with version v, as
// OpenSSL's pre-handshake check asks: TLS 1.3 suites for TLS 1.3 (nginx
// leaves OpenSSL's default TLS 1.3 suites on), else a suite introduced at
// or before v.
func suiteFor(r *openssl.Result, v openssl.Version) bool {
	if v == openssl.TLS13 {
		return true
	}
	for _, s := range r.Suites {
		if s.Min <= v {
			return true
		}
	}
	return false
}

func newest(names []string) openssl.Version {
	var top openssl.Version
	for _, tv := range tlsVersions {
		for _, n := range names {
			if n == tv.name && tv.v > top {
				top = tv.v
			}
		}
	}
	return top
}

func versionName(v openssl.Version) string {
	for _, tv := range tlsVersions {
		if tv.v == v {
			return tv.name
		}
	}
	return fmt.Sprintf("0x%04x", uint16(v))
}

// confCommandChangesSuites reports an ssl_conf_command that changes the
// protocols or suites nginx's own directives set.
func confCommandChangesSuites(p *analysis.Pass, s *config.Server) bool {
	for _, d := range p.Config.EffectiveAll(s.Block, "ssl_conf_command") {
		if len(d.Args) == 0 {
			continue
		}
		switch strings.ToLower(d.Args[0].Value) {
		case "protocol", "minprotocol", "maxprotocol", "cipherstring", "ciphersuites":
			return true
		}
	}
	return false
}
