package rules

import (
	"fmt"
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
	if !p.Config.IsTLS(s) || p.Config.Incomplete(s.Block) || !p.Settings.OpenSSLAtLeast("1.1.1") || confCommandChangesSuites(p, s) {
		return
	}
	protos, protoDir, ok := serverProtocols(p, s)
	if !ok {
		return
	}
	cipherDir := p.Config.Effective(s.Block, "ssl_ciphers")
	ciphers, _ := config.Default("ssl_ciphers", p.Settings.Nginx)
	if cipherDir != nil {
		if hasVariable(cipherDir) || len(cipherDir.Args) != 1 {
			return
		}
		ciphers = cipherDir.ArgValues()
	}
	if len(ciphers) != 1 {
		return
	}
	r := openssl.Evaluate(ciphers[0], targetProfile(p))
	if r.Err != nil {
		return // tls-cipher-string-invalid: nginx does not start
	}
	// OpenSSL's security level takes versions out before the range is
	// made: TLS 1.0 at level 3, TLS 1.1 too at level 4 and above.
	var usable []string
	for _, v := range protos {
		if v == "TLSv1" && r.SecLevel >= 3 || v == "TLSv1.1" && r.SecLevel >= 4 {
			continue
		}
		usable = append(usable, v)
	}
	if len(usable) == 0 {
		usable = protos
	}
	top, missing, enabled := supportedTop(usable)
	var why string
	switch {
	case top == 0:
		if len(protos) == 0 {
			return // nginx-directive-args
		}
		why = fmt.Sprintf("OpenSSL %s is built without %s", p.Settings.OpenSSL, enumerate(protos))
	case !suiteFor(r, top):
		if missing != "" {
			why = fmt.Sprintf("%s is missing, so OpenSSL caps the versions at %s, and no enabled suite works with it", missing, versionName(top))
		} else {
			why = fmt.Sprintf("no enabled suite works with %s", enumerate(enabled))
		}
	case top < openssl.TLS12 && p.Settings.OpenSSLAtLeast("3.0") && r.SecLevel != 0:
		// TLS 1.0 and 1.1 sign with MD5+SHA-1, refused at level 1 and
		// above; a gap leaves the versions above usable, so only a server
		// whose every version is older fails.
		if newest(enabled) < openssl.TLS12 {
			why = fmt.Sprintf("OpenSSL %s refuses %s below @SECLEVEL=0", p.Settings.OpenSSL, enumerate(enabled))
		}
	}
	if why == "" {
		return
	}
	anchor := tlsAnchor(p, s)
	span := anchorSpan(anchor)
	fixes := []analysis.SuggestedFix{insertProtocolsFix(p, s)}
	if protoDir != nil {
		anchor, span = protoDir, valueSpan(protoDir)
		fixes = []analysis.SuggestedFix{setProtocolsFix(p, p.Config.FileOf(protoDir), protoDir)}
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
