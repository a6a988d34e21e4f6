package rules

import (
	"fmt"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

var MozillaProfile = &analysis.Analyzer{
	ID:        "tls-mozilla-profile",
	Title:     "TLS settings differ from the selected Mozilla profile",
	Severity:  analysis.Info,
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
	var outside []string
	var edits []analysis.TextEdit
	for _, st := range profileSettings(p, pr) {
		d := p.Config.Effective(s.Block, st.name)
		var have []string
		if d != nil {
			if hasVariable(d) {
				continue
			}
			have = d.ArgValues()
		} else if def, ok := config.Default(st.name, p.Settings.Nginx); ok {
			have = def
		}
		what := beyondProfile(p, s, pr, st.name, have)
		if len(what) == 0 {
			continue
		}
		outside = append(outside, what...)
		want := st.want
		// The old profile lowers OpenSSL's security level for TLS 1.0 and
		// 1.1 only: a server without them keeps its level.
		if rest, ok := strings.CutPrefix(want, "@SECLEVEL=0:"); ok && !enablesPreTLS12(p, s) {
			want = rest
		}
		if d != nil {
			edits = append(edits, replace(p.Config.FileOf(d), valueSpan(d), want))
		} else {
			tf, target := settingsTarget(p, s)
			edits = append(edits, insertSetting(p, s, tf, target, st.name+" "+want+";"))
		}
	}
	if len(outside) == 0 {
		return
	}
	anchor := tlsAnchor(p, s)
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor),
		Message: fmt.Sprintf("this server enables %s outside the Mozilla %s profile", enumerate(outside), pr.Name),
		Fixes: []analysis.SuggestedFix{{Title: "Apply the " + pr.String() + " TLS settings", Edits: mergeInserts(edits),
			// The profile's lists replace the server's: clients that relied on
			// what is left out (not only on what is weak) lose the connection.
			Unsafe: true}}})
}

// beyondProfile says what a setting enables that the profile does not
// allow ("TLSv1.1", "12 cipher suites"), or nothing when it conforms: a server
// that enables a subset of what the profile allows conforms. Server cipher
// preference is tls-prefer-server-ciphers's to judge.
func beyondProfile(p *analysis.Pass, s *config.Server, pr *tlsdata.Profile, name string, have []string) []string {
	switch name {
	case "ssl_protocols":
		if overridesProtocols(p, s) {
			return nil
		}
		var extra []string
		for _, v := range have {
			if !pr.HasProtocol(v) {
				extra = append(extra, v)
			}
		}
		return extra
	case "ssl_ciphers":
		if len(have) != 1 || setsCipherString(p, s) || !tls12Enabled(p, s) {
			return nil
		}
		allowed := map[string]bool{}
		for _, c := range pr.Ciphers {
			allowed[c] = true
		}
		n := 0
		for _, su := range openssl.EvaluateLenient(have[0], targetProfile(p)).Usable() {
			if !allowed[su.Name] {
				n++
			}
		}
		switch n {
		case 0:
			return nil
		case 1:
			return []string{"1 cipher suite"}
		}
		return []string{fmt.Sprintf("%d cipher suites", n)}
	case "ssl_ecdh_curve":
		// OpenSSL's default groups are all sound; tls-curve-weak judges
		// explicit lists for strength, this for conformance.
		if len(have) != 1 || have[0] == "auto" {
			return nil
		}
		allowed := map[*tlsdata.Group]bool{}
		for _, c := range pr.Curves {
			allowed[tlsdata.LookupGroup(c, p.Settings.OpenSSL).Group] = true
		}
		var extra []string
		for _, g := range strings.Split(have[0], ":") {
			if g != "" && !allowed[tlsdata.LookupGroup(g, p.Settings.OpenSSL).Group] {
				extra = append(extra, g)
			}
		}
		return extra
	}
	return nil
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

// enumerate joins "a", "a and b", "a, b and c"; "" for none.
func enumerate(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// enablesPreTLS12 reports whether the server's ssl_protocols (or nginx's
// default) has TLS 1.0 or 1.1.
func enablesPreTLS12(p *analysis.Pass, s *config.Server) bool {
	protos, _, _ := serverProtocols(p, s)
	for _, v := range protos {
		if v == "TLSv1" || v == "TLSv1.1" {
			return true
		}
	}
	return false
}
