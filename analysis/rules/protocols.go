package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// The protocol rules judge ssl_protocols (and the upstream variants) token
// by token, and, for an HTTPS server that sets no ssl_protocols anywhere,
// nginx's default for the target version.

var ProtocolSSLv2 = &analysis.Analyzer{
	ID:       "tls-protocol-sslv2",
	Title:    "SSLv2 is enabled",
	Severity: analysis.Error,
	Run: func(p *analysis.Pass) {
		sslv2.Run(p)
		reportDefaultProtocols(p, "SSLv2")
	},
	RunServer: sslv2.RunServer,
}

var ProtocolSSLv3 = &analysis.Analyzer{
	ID:       "tls-protocol-sslv3",
	Title:    "SSLv3 is enabled",
	Severity: analysis.Error,
	Run: func(p *analysis.Pass) {
		sslv3.Run(p)
		reportDefaultProtocols(p, "SSLv3")
		sslv3Commands.Run(p)
	},
	RunServer: func(p *analysis.Pass, s *config.Server) {
		sslv3.RunServer(p, s)
		sslv3Commands.RunServer(p, s)
	},
}

var ProtocolLegacyTLS = &analysis.Analyzer{
	ID:       "tls-protocol-legacy-tls",
	Title:    "TLS 1.0 or TLS 1.1 is enabled",
	Severity: analysis.Warning,
	Run: func(p *analysis.Pass) {
		legacyTLS.Run(p)
		reportDefaultProtocols(p, "TLSv1", "TLSv1.1")
		legacyTLSCommands.Run(p)
	},
	RunServer: func(p *analysis.Pass, s *config.Server) {
		legacyTLS.RunServer(p, s)
		legacyTLSCommands.RunServer(p, s)
	},
}

var ProtocolNoTLS13 = &analysis.Analyzer{
	ID:       "tls-protocol-no-tls13",
	Title:    "TLS 1.3 is not enabled",
	Severity: analysis.Info,
	Run: func(p *analysis.Pass) {
		noTLS13.Run(p)
		reportDefaultNoTLS13(p)
	},
	RunServer: noTLS13.RunServer,
}

// protocolsDirectives are ssl_protocols and its upstream variants.
var protocolsDirectives = []string{"ssl_protocols", "proxy_ssl_protocols", "grpc_ssl_protocols", "uwsgi_ssl_protocols"}

// The protocol rules' checks of the protocol directives, and of the
// ssl_conf_command Protocol commands nginx applies after them.
var (
	protocolLists     = analysis.Named(protocolsDirectives...)
	confCommands      = analysis.Named("ssl_conf_command")
	sslv2             = analysis.Split(protocolLists, enabling("SSLv2"))
	sslv3             = analysis.Split(protocolLists, enabling("SSLv3"))
	sslv3Commands     = analysis.Split(confCommands, enablingByCommand(analysis.Error, "SSLv3"))
	legacyTLS         = analysis.Split(protocolLists, enabling("TLSv1", "TLSv1.1"))
	legacyTLSCommands = analysis.Split(confCommands, enablingByCommand(analysis.Warning, "TLSv1", "TLSv1.1"))
	noTLS13           = analysis.Split(protocolLists, runNoTLS13)
)

// enabling is the check that reports the given protocols where a
// directive enables them.
func enabling(names ...string) func(*analysis.Pass, config.Located) {
	return func(p *analysis.Pass, l config.Located) { runProtocols(p, l, names...) }
}

// enablingByCommand is the check that reports the given protocols where
// ssl_conf_command Protocol switches them on, at severity sev.
func enablingByCommand(sev analysis.Severity, names ...string) func(*analysis.Pass, config.Located) {
	return func(p *analysis.Pass, l config.Located) { runProtocolCommands(p, l, sev, names...) }
}

// runProtocols reports the given protocols where directives enable them;
// reportDefaultProtocols where nginx's default does.
func runProtocols(p *analysis.Pass, l config.Located, names ...string) {
	f, d := l.File, l.Dir
	var on []string
	var words []*syntax.Word
	for _, a := range d.Args {
		if slices.Contains(names, a.Value) {
			on = append(on, a.Value)
			words = append(words, a)
		}
	}
	if len(on) == 0 {
		return
	}
	// One finding for the directive, on its first such protocol: the
	// others are related, with what each one is.
	sev, note := profileKeeps(p, on...)
	if d.Name.Value == "ssl_protocols" {
		servers := heirs(p, d)
		if s := p.Config.ServerOf(d); s != nil {
			servers = []*config.Server{s}
		}
		if why, ok := notNegotiable(p, servers, on); ok {
			sev, note = analysis.Info, notNegotiableNote(why)
		}
	}
	msg := fitNote(protocolMessage(on[0], d.Name.Value), note)
	var rel []analysis.Related
	if len(on) > 1 {
		msg = fitNote(protocolsMessage(on, d.Name.Value), note)
		for _, w := range words[1:] {
			rel = append(rel, analysis.Related{File: f, Span: w.Span, Message: protocolMessage(w.Value, d.Name.Value)})
		}
	}
	p.Report(analysis.Diagnostic{
		File: f, Span: words[0].Span, Severity: sev, Message: msg,
		Fixes:   []analysis.SuggestedFix{setProtocolsFix(p, f, d)},
		Related: append(rel, inheritedBy(p, f, d)...),
	})
	reportInherited(p, f, d, on)
}

// reportDefaultProtocols reports the given protocols where servers take
// them from nginx's default: once per block they inherit from, since one
// missing line there is the cause.
func reportDefaultProtocols(p *analysis.Pass, names ...string) {
	forDefaultProtocols(p, func(servers []*config.Server, def []string) {
		var on []string
		for _, v := range def {
			if slices.Contains(names, v) && configuredAfterCommands(p, servers, v) {
				on = append(on, v)
			}
		}
		if len(on) == 0 {
			return
		}
		sev, note := profileKeeps(p, on...)
		if why, ok := notNegotiable(p, servers, on); ok {
			sev, note = analysis.Info, notNegotiableNote(why)
		}
		d := defaultProtocolsFinding(p, servers, fitNote(fmt.Sprintf("%s's default %s enables %s",
			p.Settings.Nginx, strings.Join(def, " "), capList(on, len(on), "")), note))
		d.Severity = sev
		p.Report(d)
	})
}

// defaultProtocolsFinding sits on the first of the servers, with the others
// related, and adds ssl_protocols where they all inherit from.
func defaultProtocolsFinding(p *analysis.Pass, servers []*config.Server, what string) analysis.Diagnostic {
	anchor := tlsAnchor(p, servers[0])
	msg := "no ssl_protocols: nginx " + what
	if n := len(servers) - 1; n > 0 {
		msg = fmt.Sprintf("no ssl_protocols here and in %d more %s: nginx %s", n, plural(n, "server", "servers"), what)
	}
	return analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor), Message: msg,
		Related: alsoServers(p, servers[1:], "takes nginx's default ssl_protocols too"),
		Fixes:   []analysis.SuggestedFix{insertProtocolsFix(p, servers[0])}}
}

func runNoTLS13(p *analysis.Pass, l config.Located) {
	if !p.Settings.OpenSSLAtLeast("1.1.1") {
		return
	}
	f, d := l.File, l.Dir
	if len(d.Args) == 0 || hasVariable(d) || hasArg(d, "TLSv1.3") {
		return
	}
	p.Report(analysis.Diagnostic{
		File: f, Span: valueSpan(d),
		Message: "TLS 1.3 is not enabled",
		Fixes:   []analysis.SuggestedFix{setProtocolsFix(p, f, d)},
	})
}

// reportDefaultNoTLS13 reports servers whose default protocols lack TLS 1.3.
func reportDefaultNoTLS13(p *analysis.Pass) {
	if !p.Settings.OpenSSLAtLeast("1.1.1") {
		return
	}
	forDefaultProtocols(p, func(servers []*config.Server, def []string) {
		if !slices.Contains(def, "TLSv1.3") {
			p.Report(defaultProtocolsFinding(p, servers, fmt.Sprintf("%s's default %s does not enable TLS 1.3", p.Settings.Nginx, strings.Join(def, " "))))
		}
	})
}

func protocolMessage(proto, directive string) string {
	pr := tlsdata.LookupProtocol(proto)
	who := ""
	if directive != "ssl_protocols" {
		who = " for connections to the upstream"
	}
	return fmt.Sprintf("%s is enabled%s: %s", proto, who, pr.Verdict)
}

// protocolsMessage says several protocols of one directive are enabled:
// the first's reason, the others' in related information.
func protocolsMessage(protos []string, directive string) string {
	who := ""
	if directive != "ssl_protocols" {
		who = " for connections to the upstream"
	}
	pr := tlsdata.LookupProtocol(protos[0])
	return fmt.Sprintf("%s and %s are enabled%s: %s", strings.Join(protos[:len(protos)-1], ", "), protos[len(protos)-1], who, pr.Verdict)
}

// recommendedProtocols is the value the fixes write: Mozilla's intermediate
// profile, without TLS 1.3 where the target OpenSSL lacks it.
func recommendedProtocols(p *analysis.Pass) string {
	if !p.Settings.OpenSSLAtLeast("1.1.1") {
		return tlsdata.RecommendedProtocols102
	}
	return tlsdata.RecommendedProtocols
}

// setProtocolsFix rewrites the value. All protocol findings on one directive
// share this exact edit, so applying them together is consistent.
func setProtocolsFix(p *analysis.Pass, f *syntax.File, d *syntax.Directive) analysis.SuggestedFix {
	want := recommendedProtocols(p)
	return analysis.SuggestedFix{
		Title: fmt.Sprintf("Set %s to %s", d.Name.Value, want),
		Edits: []analysis.TextEdit{replace(f, valueSpan(d), want)},
	}
}

// insertProtocolsFix adds ssl_protocols where the server inherits from.
func insertProtocolsFix(p *analysis.Pass, s *config.Server) analysis.SuggestedFix {
	return insertSettingFix(p, s, "ssl_protocols "+recommendedProtocols(p)+";")
}

// serverProtocols are the protocols a server's ssl_protocols names, or
// nginx's default for the target without one; d is the directive, if any.
// ok is false when a variable makes them unknown.
func serverProtocols(p *analysis.Pass, s *config.Server) (protos []string, d *syntax.Directive, ok bool) {
	if d = p.Config.Effective(s.Block, "ssl_protocols"); d != nil {
		return d.ArgValues(), d, !hasVariable(d)
	}
	def, _ := config.Default("ssl_protocols", p.Settings.Nginx)
	return def, nil, true
}

// forDefaultProtocols calls fn once per block whose TLS servers take
// ssl_protocols from nginx's default (the http, stream or mail block they
// inherit from; a server at a fragment's top level alone), with those
// servers in order. A server with an include that could not be read may set
// ssl_protocols there: its default is not certain.
func forDefaultProtocols(p *analysis.Pass, fn func(servers []*config.Server, def []string)) {
	def, ok := config.Default("ssl_protocols", p.Settings.Nginx)
	if !ok {
		return
	}
	var servers []*config.Server
	for _, s := range p.Config.Servers {
		if p.Config.IsTLS(s) && p.Config.Effective(s.Block, "ssl_protocols") == nil && !overridesProtocols(p, s) && !p.Config.Incomplete(s.Block) {
			servers = append(servers, s)
		}
	}
	for _, group := range byParent(servers) {
		fn(group, def)
	}
}

// overridesProtocols reports an ssl_conf_command that sets the protocol
// range itself (MinProtocol/MaxProtocol/Protocol), which nginx applies last.
func overridesProtocols(p *analysis.Pass, s *config.Server) bool {
	for _, d := range p.Config.EffectiveAll(s.Block, "ssl_conf_command") {
		if len(d.Args) > 0 {
			switch strings.ToLower(d.Args[0].Value) {
			case "minprotocol", "maxprotocol", "protocol":
				e, _ := endpoint(p, s)
				return e == nil // the model says what the commands leave
			}
		}
	}
	return false
}

// profileKeeps lowers a finding to information when the selected Mozilla
// profile itself enables every one of the protocols (the old profile keeps
// TLS 1.0 and 1.1 for clients as old as Windows XP): that was a choice. It
// returns 0 (the rule's own severity) otherwise.
func profileKeeps(p *analysis.Pass, protocols ...string) (analysis.Severity, string) {
	pr := profile(p)
	for _, v := range protocols {
		if !slices.Contains(pr.Protocols, v) {
			return 0, ""
		}
	}
	return analysis.Info, fmt.Sprintf(" (kept by the Mozilla %s profile for very old clients)", pr.Name)
}

// notNegotiable says why no client can negotiate any of the protocols on
// any of the servers, according to the negotiation model: they are
// configured, but the target refuses them (its security level, most
// often). ok is false when one of them is negotiable somewhere, or the
// model does not apply.
func notNegotiable(p *analysis.Pass, servers []*config.Server, protocols []string) (why string, ok bool) {
	why, ok = refusedHere(p, servers, func(e *negotiate.Endpoint) (bool, string) {
		first := ""
		for _, vs := range e.Versions {
			if !slices.Contains(protocols, vs.Version.String()) {
				continue
			}
			// Without a platform or a system level, the level is only
			// OpenSSL's default, which a build or the system configuration
			// may lower: such a refusal counts as none.
			if vs.Negotiable || !vs.Configured || !trustedRefusal(p, e, vs.Why) {
				return true, ""
			}
			if first == "" {
				first = vs.Why
			}
		}
		return false, first
	})
	return why, ok && why != ""
}

// configuredAfterCommands reports whether an ssl_conf_command of the
// servers leaves a protocol of nginx's default switched on (Protocol
// -TLSv1, MinProtocol TLSv1.2 switch it off).
func configuredAfterCommands(p *analysis.Pass, servers []*config.Server, proto string) bool {
	for _, s := range servers {
		e, _ := endpoint(p, s)
		if e == nil {
			return true
		}
		for _, vs := range e.Versions {
			if vs.Version.String() == proto && vs.Configured && !strings.HasPrefix(vs.Why, "MinProtocol") && !strings.HasPrefix(vs.Why, "MaxProtocol") {
				return true
			}
		}
	}
	return false
}

var levelRE = regexp.MustCompile(`^security level \d+`)

// notNegotiableNote is the end of a finding on protocols the target
// refuses: short, the documentation says the rest.
// fitNote appends a note to a message, its short form when the long one
// does not fit.
func fitNote(msg, note string) string {
	if len(msg)+len(note) > analysis.MaxMessage && strings.HasPrefix(note, " (configured, but not negotiable here") {
		note = " (configured, but not negotiable here)"
	}
	return msg + note
}

func notNegotiableNote(why string) string {
	if m := levelRE.FindString(why); m != "" {
		return " (" + m + " refuses them here)"
	}
	return " (configured, but not negotiable here: " + why + ")"
}

// runProtocolCommands reports `ssl_conf_command Protocol` where it switches
// on one of the protocols: OpenSSL applies it after ssl_protocols, and it
// switches on or off only the versions it names (ALL names them all).
func runProtocolCommands(p *analysis.Pass, l config.Located, sev analysis.Severity, names ...string) {
	d := l.Dir
	if len(d.Args) != 2 || !strings.EqualFold(d.Args[0].Value, "Protocol") || strings.Contains(d.Args[1].Value, "$") {
		return
	}
	// The items apply in order: "ALL,-SSLv3" leaves SSLv3 off.
	set := map[string]bool{}
	for _, item := range strings.Split(d.Args[1].Value, ",") {
		item = strings.TrimSpace(item)
		off := strings.HasPrefix(item, "-")
		item = strings.TrimLeft(item, "+-")
		for _, n := range names {
			if strings.EqualFold(item, n) || strings.EqualFold(item, "ALL") {
				set[n] = !off
			}
		}
	}
	var on []string
	for _, n := range names {
		if set[n] {
			on = append(on, n)
		}
	}
	if len(on) == 0 {
		return
	}
	level, note := sev, ""
	if k, n := profileKeeps(p, on...); k != 0 {
		level, note = k, n
	}
	if why, ok := notNegotiable(p, servedBy(p, d), on); ok {
		level, note = analysis.Info, notNegotiableNote(why)
	}
	msg := fitNote(fmt.Sprintf("ssl_conf_command Protocol switches %s on, after ssl_protocols: %s",
		capList(on, 2, ""), tlsdata.LookupProtocol(on[0]).Verdict), note)
	p.Report(analysis.Diagnostic{File: l.File, Span: d.Args[1].Span, Severity: level, Message: msg,
		Related: inheritedBy(p, l.File, d)})
}
