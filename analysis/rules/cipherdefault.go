package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

var CipherDefaultImplicit = &analysis.Analyzer{
	ID:       "tls-cipher-default-implicit",
	Title:    "nginx's default cipher list is in use",
	Severity: analysis.Info,
	Run:      runCipherDefaultImplicit,
}

// runCipherDefaultImplicit reports once per block the servers inherit
// from: one missing ssl_ciphers there is the cause for all of them.
func runCipherDefaultImplicit(p *analysis.Pass) {
	d, ok := defaultCiphers(p)
	if !ok {
		return
	}
	var servers []*config.Server
	for _, s := range p.Config.Servers {
		// An include that could not be read may set ssl_ciphers.
		if p.Config.IsTLS(s) && !p.Config.Incomplete(s.Block) && p.Config.Effective(s.Block, "ssl_ciphers") == nil && !setsCipherString(p, s) && tls12Enabled(p, s) {
			servers = append(servers, s)
		}
	}
	for _, group := range byParent(servers) {
		s := group[0]
		head := "no ssl_ciphers"
		if n := len(group) - 1; n > 0 {
			head = fmt.Sprintf("no ssl_ciphers here and in %d more %s", n, plural(n, "server", "servers"))
		}
		anchor := tlsAnchor(p, s)
		p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor),
			Message: firstShort([]string{
				fmt.Sprintf("%s: nginx %s's default %s enables %s on %s", head, p.Settings.Nginx, d.value, d.summary, profileName(targetProfile(p))),
				fmt.Sprintf("%s: nginx %s's default %s enables %s on OpenSSL %s", head, p.Settings.Nginx, d.value, d.summary, targetProfile(p)),
				fmt.Sprintf("%s: nginx %s's default %s enables %s on OpenSSL %s", head, p.Settings.Nginx, d.value, d.short, targetProfile(p)),
			}),
			Related: alsoServers(p, group[1:], "takes nginx's default ssl_ciphers too"),
			Fixes:   []analysis.SuggestedFix{insertCiphersFix(p, s)}})
	}
}

// defaultCipherString is nginx's default ssl_ciphers for the target
// version, and what it enables on the target OpenSSL.
type defaultCipherString struct{ value, summary, short string }

type defaultCiphersKey struct{}

// defaultCiphers depends on the settings alone: every server may share it.
func defaultCiphers(p *analysis.Pass) (defaultCipherString, bool) {
	v := analysis.Shared(p, defaultCiphersKey{}, func() *defaultCipherString {
		def, ok := config.Default("ssl_ciphers", p.Settings.Nginx)
		if !ok {
			return nil
		}
		value := strings.Join(def, " ")
		r := openssl.Evaluate(value, targetProfile(p))
		suites := r.Usable()
		var parts []string
		for _, w := range []openssl.Weakness{openssl.WeakRC4, openssl.Weak3DES, openssl.WeakNoFS, openssl.WeakCBC} {
			if n := len(openssl.Select(suites, w)); n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, openssl.Explain(w).Many))
			}
		}
		summary := fmt.Sprintf("%d suites", len(suites))
		short := summary
		if len(parts) > 0 {
			summary, short = capList(parts, len(parts), ""), capList(parts, 1, "kinds of weak suites")
		}
		return &defaultCipherString{value, summary, short}
	})
	if v == nil {
		return defaultCipherString{}, false
	}
	return *v, true
}

func setsCipherString(p *analysis.Pass, s *config.Server) bool {
	for _, d := range p.Config.EffectiveAll(s.Block, "ssl_conf_command") {
		if len(d.Args) == 2 && strings.EqualFold(d.Args[0].Value, "CipherString") {
			return true
		}
	}
	return false
}

// tls12Enabled reports whether the server offers a protocol older than TLS
// 1.3, where the cipher list matters.
func tls12Enabled(p *analysis.Pass, s *config.Server) bool {
	for _, d := range p.Config.EffectiveAll(s.Block, "ssl_conf_command") {
		if len(d.Args) == 2 && strings.EqualFold(d.Args[0].Value, "MinProtocol") && d.Args[1].Value == "TLSv1.3" {
			return false
		}
	}
	protos, _, ok := serverProtocols(p, s)
	if !ok {
		return false
	}
	for _, v := range protos {
		if v != "TLSv1.3" {
			return true
		}
	}
	return false
}

// insertCiphersFix adds Mozilla's list where the server inherits from: the
// enclosing http/stream/mail block, else the server itself. Every server
// of a block gets the same edit, so they merge.
func insertCiphersFix(p *analysis.Pass, s *config.Server) analysis.SuggestedFix {
	return insertSettingFix(p, s, "ssl_ciphers "+tlsdata.MozillaIntermediate+";")
}
