package lsp

import "github.com/nginxls/nginxls/analysis/rules"

// baseRules are the rules the wire tests were written against; tests that
// pin exact findings switch the others off, so that a rule added later does
// not shift them (every rule is tested on its own in analysis/rules).
var baseRules = []string{"syntax", "tls-protocol-sslv2", "tls-protocol-sslv3", "tls-protocol-legacy-tls",
	"tls-protocol-no-tls13", "tls-curve-weak", "tls-curve-unknown", "tls-early-data", "nginx-ssl-directive",
	"nginx-listen-http2-deprecated"}

// onlyRules is a "rules" setting that switches off every rule but ids.
func onlyRules(ids ...string) map[string]any {
	keep := map[string]bool{}
	for _, id := range ids {
		keep[id] = true
	}
	out := map[string]any{}
	for _, a := range rules.All {
		if !keep[a.ID] {
			out[a.ID] = "off"
		}
	}
	return out
}
