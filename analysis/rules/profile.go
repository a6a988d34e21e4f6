package rules

import (
	"fmt"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

var MozillaProfile = &analysis.Analyzer{
	ID:       "tls-mozilla-profile",
	Title:    "TLS settings differ from the selected Mozilla profile",
	Severity: analysis.Info,
	Doc: `Mozilla's Server Side TLS guidelines give three tested configurations: **modern** (TLS 1.3
only), **intermediate** (TLS 1.2 and 1.3 with forward-secret AEAD suites; the default, and
the recommendation for almost every site) and **old** (back to TLS 1.0, for very old clients;
guidelines 5.7, dropped in 6.0). nginxls carries the data of guidelines 5.7 and 6.0 and judges
each HTTPS server against the profile selected with ` + "`--profile`" + ` (or the language server's
` + "`profile`" + ` setting): ` + "`ssl_protocols`" + `, ` + "`ssl_ciphers`" + `, ` + "`ssl_ecdh_curve`" + ` (without groups the target
OpenSSL lacks, as Mozilla's generator does) and ` + "`ssl_prefer_server_ciphers`" + `. The other rules judge
what is weak; this one says what differs from the profile, and its fix rewrites all of it in
one step. The profile also sets the HSTS age, the key sizes, the certificate lifetime and the
server cipher preference that the other rules expect.

Severity: a warning when the server enables a protocol the profile leaves out, else
information.

Fix: set every differing directive to the profile's value where the server takes it from (the
http block when it is inherited), so that ` + "`nginxls check --fix --profile intermediate`" + ` conforms a
configuration in one run.`,
	Refs:      []string{"https://wiki.mozilla.org/Security/Server_Side_TLS", "https://ssl-config.mozilla.org/", "https://github.com/mozilla/ssl-config-generator (guidelines 5.7 and 6.0, MPL-2.0)"},
	RunServer: runMozillaProfile,
}

// profileSetting is one directive the profile decides.
type profileSetting struct {
	name, want string
}

// profileSettings are the profile's values for the target OpenSSL. They
// are worked out once per profile and target: every server asks.
func profileSettings(p *analysis.Pass, pr *tlsdata.Profile) []profileSetting {
	k := profileKey{pr, p.Settings.OpenSSL}
	if v, ok := profileMemo.Load(k); ok {
		return v.([]profileSetting)
	}
	out := makeProfileSettings(p, pr)
	profileMemo.Store(k, out)
	return out
}

type profileKey struct {
	pr      *tlsdata.Profile
	openssl string
}

var profileMemo sync.Map // profileKey -> []profileSetting

func makeProfileSettings(p *analysis.Pass, pr *tlsdata.Profile) []profileSetting {
	var protos []string
	for _, v := range pr.Protocols {
		if v == "TLSv1.3" && !p.Settings.OpenSSLAtLeast("1.1.1") {
			continue
		}
		protos = append(protos, v)
	}
	out := []profileSetting{{"ssl_protocols", strings.Join(protos, " ")}}
	if len(pr.Ciphers) > 0 {
		ciphers := strings.Join(pr.Ciphers, ":")
		// TLS 1.0 and 1.1 need SHA-1 signatures, which OpenSSL 3 allows only
		// at security level 0: Mozilla's generator prepends it.
		if pr.HasProtocol("TLSv1") && p.Settings.OpenSSLAtLeast("3.0") {
			ciphers = "@SECLEVEL=0:" + ciphers
		}
		out = append(out, profileSetting{"ssl_ciphers", ciphers})
	}
	if curves := pr.NginxCurves(p.Settings.OpenSSL); curves != "" {
		out = append(out, profileSetting{"ssl_ecdh_curve", curves})
	}
	prefer := "off"
	if pr.ServerPreferredOrder {
		prefer = "on"
	}
	return append(out, profileSetting{"ssl_prefer_server_ciphers", prefer})
}

func runMozillaProfile(p *analysis.Pass, s *config.Server) {
	// An include that could not be read may set any of the settings: what
	// the server differs in is not known.
	if !isHTTPS(p, s) || p.Config.Incomplete(s.Block) {
		return
	}
	pr := profile(p)
	settings := profileSettings(p, pr)
	wants := map[string]string{}
	for _, st := range settings {
		wants[st.name] = st.want
	}
	var diffs []string
	var edits []analysis.TextEdit
	extra := false
	for _, st := range settings {
		d := p.Config.Effective(s.Block, st.name)
		have := ""
		if d != nil {
			if hasVariable(d) {
				continue
			}
			have = strings.Join(d.ArgValues(), " ")
		} else if def, ok := config.Default(st.name, p.Settings.Nginx); ok {
			have = strings.Join(def, " ")
		}
		if have == st.want || st.name == "ssl_protocols" && overridesProtocols(p, s) {
			continue
		}
		if st.name == "ssl_protocols" {
			for _, v := range strings.Fields(have) {
				if !pr.HasProtocol(v) {
					extra = true
				}
			}
		}
		shown := have
		if d == nil {
			shown = "default " + have
		}
		diffs = append(diffs, st.name+"\x00"+shown)
		if d != nil {
			edits = append(edits, replace(p.Config.FileOf(d), valueSpan(d), st.want))
		} else {
			tf, target := settingsTarget(p, s)
			edits = append(edits, insertSetting(p, s, tf, target, st.name+" "+st.want+";"))
		}
	}
	if len(diffs) == 0 {
		return
	}
	sev := analysis.Info
	if extra {
		sev = analysis.Warning
	}
	anchor := tlsAnchor(p, s)
	parts := make([]string, len(diffs))
	for i, d := range diffs {
		name, shown, _ := strings.Cut(d, "\x00")
		parts[i] = fmt.Sprintf("%s is %q, the profile has %q", name, shown, wants[name])
	}
	msg := fmt.Sprintf("this server differs from the %s: %s", pr, strings.Join(parts, "; "))
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor), Severity: sev,
		Message: msg,
		Fixes:   []analysis.SuggestedFix{{Title: "Apply the " + pr.String() + " TLS settings", Edits: mergeInserts(edits)}}})
}

// mergeInserts joins insertions at the same place into one edit, so that a
// fix adding several directives to a block stays consistent.
func mergeInserts(edits []analysis.TextEdit) []analysis.TextEdit {
	var out []analysis.TextEdit
	for _, e := range edits {
		merged := false
		for i, o := range out {
			if o.File == e.File && o.Span == e.Span && o.Span.Start == o.Span.End {
				out[i].NewText = o.NewText + e.NewText
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, e)
		}
	}
	return out
}
