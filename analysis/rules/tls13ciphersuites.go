package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var TLS13Ciphersuites = &analysis.Analyzer{
	ID:       "tls13-ciphersuites",
	Title:    "Problem in the TLS 1.3 cipher suite list",
	Severity: analysis.Error,
	Doc: `TLS 1.3 suites are not part of ` + "`ssl_ciphers`" + `: nginx sets them only through
` + "`ssl_conf_command Ciphersuites`" + ` (OpenSSL's SSL_CTX_set_ciphersuites). That list takes exact,
case-sensitive IANA names separated by ':' only; OpenSSL skips names it does not know and rejects
the list, so that nginx refuses to start (` + "`SSL_CONF_cmd() failed`" + `), when none is left (commas,
lower case, OpenSSL cipher-string words). An empty value is accepted and switches every TLS 1.3
suite off, which makes TLS 1.3 handshakes fail: clients fall back to TLS 1.2 or fail.
` + "`TLS_AES_128_CCM_8_SHA256`" + ` truncates the authentication tag to 8 bytes, is meant for
constrained devices and is not in OpenSSL's default list; the IANA registry marks it not
recommended. OpenSSL 3.0 also accepts the IANA name of a TLS 1.2 suite here, and then prefers
that suite to every suite of the cipher list, whatever their order. OpenSSL 1.0.2 has
no TLS 1.3 and no such command.

Severity: error where nginx does not start (OpenSSL rejects the list, or the target has no TLS
1.3). A warning for an empty list (TLS 1.3 clients fall back to TLS 1.2 where it is enabled), a
name OpenSSL skips, and a TLS 1.2 suite that then outranks the cipher list: likely mistakes that
leave the server working. Information for ` + "`TLS_AES_128_CCM_8_SHA256`" + `, weaker than the others but
not broken.

Fix: ` + "`ssl_conf_command Ciphersuites " + openssl.MozillaCiphersuites + ";`" + ` (Mozilla's list; OpenSSL's
default is the same three suites), or no Ciphersuites command at all.`,
	Refs: []string{"RFC 8446 §9.1", "https://docs.openssl.org/3.0/man3/SSL_CTX_set_cipher_list/", "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_conf_command"},
	Run:  runTLS13Ciphersuites,
}

func runTLS13Ciphersuites(p *analysis.Pass) {
	profile := targetProfile(p)
	for _, l := range p.Config.Named(confCommandDirectives...) {
		d := l.Dir
		if len(d.Args) != 2 || !strings.EqualFold(d.Args[0].Value, "Ciphersuites") || strings.Contains(d.Args[1].Value, "$") {
			continue
		}
		w := d.Args[1]
		v := newCipherValue(l.File, d, w)
		fix := analysis.SuggestedFix{Title: "Use Mozilla's TLS 1.3 suites " + openssl.MozillaCiphersuites,
			Edits: []analysis.TextEdit{replace(v.file, v.whole(), openssl.MozillaCiphersuites)}}
		r := openssl.EvaluateCiphersuites(w.Value, profile)
		if profile == openssl.LegacyProfile {
			p.Report(analysis.Diagnostic{File: v.file, Span: syntax.Span{Start: d.Start(), End: d.End()},
				Message: profileName(profile) + " has no TLS 1.3 and no Ciphersuites command: nginx refuses to start",
				Fixes:   []analysis.SuggestedFix{{Title: "Remove the directive", Edits: []analysis.TextEdit{removeDirective(v.file, d)}}}})
			continue
		}
		report := func(start, end int, sev analysis.Severity, msg string) {
			p.Report(analysis.Diagnostic{File: v.file, Span: v.span(start, end), Severity: sev, Message: msg,
				Fixes: []analysis.SuggestedFix{fix}})
		}
		if r.Err != nil {
			why := "it knows none of the names"
			switch {
			case strings.ContainsAny(w.Value, ",; "):
				why = "names are separated by ':' only"
			case strings.ToUpper(w.Value) != w.Value:
				why = "names are case-sensitive"
			}
			report(0, len(w.Value), analysis.Error, fmt.Sprintf("%s rejects this TLS 1.3 list (%s): nginx refuses to start", profileName(profile), why))
			continue
		}
		if strings.TrimSpace(w.Value) == "" {
			report(0, len(w.Value), analysis.Warning, "an empty Ciphersuites list switches every TLS 1.3 suite off: TLS 1.3 handshakes fail")
			continue
		}
		for _, it := range r.Items {
			switch {
			case it.Suite == nil:
				msg := fmt.Sprintf("%s does not know the TLS 1.3 suite %q and ignores it", profileName(profile), it.Text)
				for _, s := range openssl.TLS13Suites() {
					if strings.EqualFold(s.IANA, it.Text) {
						msg = fmt.Sprintf("%s ignores the unknown TLS 1.3 suite %q (names are case-sensitive: %s)", profileName(profile), it.Text, s.IANA)
					}
				}
				report(it.Start, it.End, analysis.Warning, msg)
			case it.Suite.Min != openssl.TLS13:
				report(it.Start, it.End, analysis.Warning, fmt.Sprintf("%s is a TLS 1.2 suite (%s) that %s then prefers to every suite of ssl_ciphers",
					it.Text, it.Suite.Name, profileName(profile)))
			case it.Suite.Enc == openssl.EncAES128CCM8:
				report(it.Start, it.End, analysis.Info, it.Text+" has a truncated 8-byte tag, meant for constrained devices")
			}
		}
	}
}
