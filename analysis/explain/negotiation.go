package explain

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// negotiationHover is what the servers a directive configures negotiate:
// shown on ssl_protocols, ssl_ciphers and `listen ... ssl`. "" when no
// server of it is modelled.
func negotiationHover(cfg *config.Config, d *syntax.Directive, s analysis.Settings) string {
	if cfg == nil {
		return ""
	}
	var servers []*config.Server
	if srv := cfg.ServerOf(d); srv != nil {
		servers = []*config.Server{srv}
	} else {
		for _, srv := range cfg.ServersUnder(d) {
			if cfg.IsTLS(srv) && cfg.Effective(srv.Block, d.Name.Value) == d {
				servers = append(servers, srv)
			}
		}
	}
	if len(servers) == 0 {
		return ""
	}
	text := Negotiation(cfg, servers[0], s)
	if text != "" && len(servers) > 1 {
		text = fmt.Sprintf("%s\n\n(the first of the %d servers that take this value)", text, len(servers))
	}
	return text
}

// Negotiation says, in Markdown, what a server negotiates on the target:
// per protocol version, the suites a client can get in the server's order
// and the groups, or why the version is not negotiable. "" when the
// server is not a TLS server.
func Negotiation(cfg *config.Config, srv *config.Server, s analysis.Settings) string {
	t := s.Target()
	e, _, why := negotiate.Model(cfg, srv, s.Nginx, t)
	if e == nil {
		if why == "not a TLS server" {
			return ""
		}
		return "**Negotiation**: not modelled here: " + why
	}
	var b strings.Builder
	on := "OpenSSL " + openssl.Canonical(t.OpenSSL)
	if s.Platform != "" {
		on += " on " + s.Platform
	}
	fmt.Fprintf(&b, "**Negotiation** on %s, security level %d (%s)", on, e.Level, e.LevelFrom)
	if e.Start != nil {
		fmt.Fprintf(&b, "\n\nnginx does not start: %s (`%s`)", e.Start.Why, e.Start.Directive)
		return b.String()
	}
	if e.NoHandshake != "" {
		fmt.Fprintf(&b, "\n\nNo handshake completes: %s", e.NoHandshake)
		return b.String()
	}
	order := "the client's order decides among them"
	if e.ServerOrder {
		order = "picked in this order"
	}
	fmt.Fprintf(&b, " · suites in the server's list order, %s\n", order)
	for _, vv := range e.View() {
		switch {
		case vv.Negotiable:
			names := make([]string, len(vv.Suites))
			for i, su := range vv.Suites {
				names[i] = su.Name
			}
			fmt.Fprintf(&b, "\n- **%s**: %s; groups %s", vv.Version, strings.Join(names, ", "), strings.Join(vv.Groups, ", "))
		case vv.Configured:
			fmt.Fprintf(&b, "\n- %s: configured, not negotiable: %s", vv.Version, vv.Why)
		}
	}
	switch {
	case e.EarlyData:
		b.WriteString("\n\n0-RTT early data is accepted.")
	case e.EarlyDataWhy != "":
		b.WriteString("\n\n0-RTT early data is switched on but refused: " + e.EarlyDataWhy + ".")
	}
	for _, k := range e.Unused {
		fmt.Fprintf(&b, "\n\nThe %s certificate is never used: %s.", k.Key, k.Why)
	}
	return b.String()
}
