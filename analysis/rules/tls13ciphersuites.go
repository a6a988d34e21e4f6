package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

var TLS13Ciphersuites = &analysis.Analyzer{
	ID:       "tls13-ciphersuites",
	Title:    "Problem in the TLS 1.3 cipher suite list",
	Severity: analysis.Error,
	Run:      runTLS13Ciphersuites,
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
		fix := analysis.SuggestedFix{Title: "Use Mozilla's TLS 1.3 suites " + tlsdata.MozillaCiphersuites,
			Edits: []analysis.TextEdit{replace(v.file, v.whole(), tlsdata.MozillaCiphersuites)}}
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
