package rules

import (
	"slices"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// A weakness the configuration names but the target refuses (the security
// level, the certificates' key types, no DH parameters) is no weakness a
// client can use: its finding is lowered one step and says why. These
// helpers ask the negotiation model.

// servedBy are the TLS servers a server-side directive configures: its
// own server, or the servers that take it from the level it stands in.
func servedBy(p *analysis.Pass, d *syntax.Directive) []*config.Server {
	if s := p.Config.ServerOf(d); s != nil {
		if p.Config.IsTLS(s) {
			return []*config.Server{s}
		}
		return nil
	}
	var out []*config.Server
	for _, s := range p.Config.ServersUnder(d) {
		if !p.Config.IsTLS(s) || p.Config.Incomplete(s.Block) {
			continue
		}
		if d.Name.Value == "ssl_conf_command" && slices.Contains(p.Config.EffectiveAll(s.Block, d.Name.Value), d) ||
			p.Config.Effective(s.Block, d.Name.Value) == d {
			out = append(out, s)
		}
	}
	return out
}

// refusedHere says why no client of any of the servers gets what check
// judges; ok is false when one does, when the model does not know a
// server, or when the only refusal is a security level nobody set (no
// platform, no @SECLEVEL: a build or the system configuration may lower
// OpenSSL's default).
func refusedHere(p *analysis.Pass, servers []*config.Server, check func(*negotiate.Endpoint) (bool, string)) (why string, ok bool) {
	if len(servers) == 0 {
		return "", false
	}
	for _, s := range servers {
		e, _ := endpoint(p, s)
		if e == nil || e.Start != nil {
			return "", false
		}
		yes, w := check(e)
		if yes || !trustedRefusal(p, e, w) {
			return "", false
		}
		if why == "" {
			why = w
		}
	}
	return why, true
}

func trustedRefusal(p *analysis.Pass, e *negotiate.Endpoint, why string) bool {
	return !strings.Contains(why, "security level") || p.Settings.LevelKnown() || strings.HasPrefix(e.LevelFrom, "@SECLEVEL")
}

// suitesRefused: none of the suites is negotiable on any of the servers.
func suitesRefused(p *analysis.Pass, servers []*config.Server, suites []*openssl.Suite) (string, bool) {
	return refusedHere(p, servers, func(e *negotiate.Endpoint) (bool, string) {
		why := ""
		for _, s := range suites {
			ok, w := e.SuiteNegotiable(s)
			if ok {
				return true, ""
			}
			if why == "" || !trustedRefusal(p, e, why) {
				why = w // an untrusted reason only when no other is known
			}
		}
		return false, why
	})
}

// lowered is the severity of a finding on what the target refuses.
func lowered(sev analysis.Severity) analysis.Severity {
	if sev == analysis.Error || sev == analysis.Warning {
		return analysis.Info
	}
	return analysis.Hint
}

// hereNote is what a message adds about a refused weakness.
func hereNote(why string) string {
	return "; not negotiable here: " + why
}

// withNote appends a note to a message, shortened to fit.
func withNote(msg, why string) string {
	for _, note := range []string{hereNote(why), "; not negotiable here"} {
		if len(msg)+len(note) <= analysis.MaxMessage {
			return msg + note
		}
	}
	return msg[:analysis.MaxMessage-len("; not negotiable here")] + "; not negotiable here"
}
