package rules

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

var SessionTickets = &analysis.Analyzer{
	ID:       "tls-session-tickets-rotation",
	Title:    "Session ticket keys are never rotated",
	Severity: analysis.Info,
	Run:      runSessionTickets,
}

var PreferServerCiphers = &analysis.Analyzer{
	ID:       "tls-prefer-server-ciphers",
	Title:    "ssl_prefer_server_ciphers does not suit the cipher list",
	Severity: analysis.Info,
	Run:      runPreferServerCiphers,
}

var Stapling = &analysis.Analyzer{
	ID:       "tls-stapling-config",
	Title:    "OCSP stapling cannot work as configured",
	Severity: analysis.Warning,
	Run:      runStapling,
}

var autoTicketRotation = config.MustVersion("1.23.2")

// settingsTarget is where an http-wide setting goes: the block the server
// inherits from (http, stream, mail) in the same file, else the server.
func settingsTarget(p *analysis.Pass, s *config.Server) (*syntax.File, *syntax.Directive) {
	if parent := s.Block.Parent; parent != nil && p.Config.FileOf(parent) == s.File {
		return s.File, parent
	}
	return s.File, s.Block
}

// parentTarget is the block a server inherits from (http, stream, mail),
// in whichever file holds it, else the server: where one line fixes every
// server that lacks it.
func parentTarget(p *analysis.Pass, s *config.Server) (*syntax.File, *syntax.Directive) {
	if parent := s.Block.Parent; parent != nil {
		return p.Config.FileOf(parent), parent
	}
	return s.File, s.Block
}

// insertSetting adds a line to the target of settingsTarget: after the
// server's listen lines when it is the server.
func insertSetting(p *analysis.Pass, s *config.Server, f *syntax.File, target *syntax.Directive, line string) analysis.TextEdit {
	if target == s.Block {
		return insertInServer(p, s, line)
	}
	return insertFirst(f, target, line)
}

// sessionSettings are what runSessionTickets judges a server by.
var sessionSettings = []string{"ssl_session_tickets", "ssl_session_ticket_key", "ssl_session_cache"}

// staleTicketKey is how old a ticket key file may be before it is called
// stale: keys are meant to change daily.
const staleTicketKey = 7 * 24 * time.Hour

// reportTicketKeys judges the ticket key files: nginx reads them once.
func reportTicketKeys(p *analysis.Pass) {
	for _, l := range p.Config.Named("ssl_session_ticket_key") {
		d := l.Dir
		if len(d.Args) != 1 || d.Parent == nil || !flagOn(p, d.Parent, "ssl_session_tickets") {
			continue
		}
		sev := analysis.Info
		msg := "nginx reads this ticket key at start and reload and never rotates it"
		if st, err := p.Config.Stat(d.Args[0].Value); err == nil {
			if age := time.Since(st.ModTime()); age > staleTicketKey {
				sev = analysis.Warning
				msg = fmt.Sprintf("this ticket key file has not changed for %d days, and nginx never rotates it", int(age.Hours()/24))
			}
		}
		p.Report(analysis.Diagnostic{File: l.File, Span: d.Args[0].Span, Severity: sev, Message: msg})
	}
}

func runSessionTickets(p *analysis.Pass) {
	reportTicketKeys(p)
	seen := seenDirs{}
	// Servers that set none of sessionSettings and take fixes at their
	// parent are all judged alike: the first one of each parent speaks
	// for the others.
	judged := seenDirs{}
	for _, s := range tlsServers(p) {
		// An include that could not be read may turn tickets off, or set
		// a key or a shared cache: such a server does not speak for the
		// others of its parent either.
		if s.Module == config.Mail || p.Config.Incomplete(s.Block) {
			continue
		}
		if _, target := parentTarget(p, s); target != s.Block && !slices.ContainsFunc(s.Block.Children(), func(d *syntax.Directive) bool {
			return slices.Contains(sessionSettings, d.Name.Value)
		}) && !judged.first(target) {
			continue
		}
		if !flagOn(p, s.Block, "ssl_session_tickets") || p.Config.Effective(s.Block, "ssl_session_ticket_key") != nil {
			continue
		}
		cache := p.Config.Effective(s.Block, "ssl_session_cache")
		shared := false
		if cache != nil {
			for _, a := range cache.Args {
				shared = shared || strings.HasPrefix(a.Value, "shared:")
			}
		}
		auto := p.Settings.Nginx.AtLeast(autoTicketRotation)
		if auto && shared {
			continue
		}
		// One finding per place the fix goes: that place is known before
		// the finding is made (thousands of servers inheriting one http
		// level make one finding, wherever their files are).
		tf, target := parentTarget(p, s)
		key := target
		if auto && cache != nil {
			key = cache
		}
		if !seen.first(key) {
			continue
		}
		anchor := tlsAnchor(p, s)
		var fix analysis.SuggestedFix
		var msg string
		switch {
		case auto && cache != nil:
			anchor = cache
			msg = fmt.Sprintf("session tickets are on and the session cache is not shared: nginx %s never rotates the ticket key", p.Settings.Nginx)
			fix = analysis.SuggestedFix{Title: "Use a shared session cache (nginx rotates ticket keys)",
				Edits: []analysis.TextEdit{replace(p.Config.FileOf(cache), valueSpan(cache), "shared:MozSSL:10m")}}
		case auto:
			msg = fmt.Sprintf("session tickets are on without a shared session cache: nginx %s never rotates the ticket key", p.Settings.Nginx)
			fix = analysis.SuggestedFix{Title: "Add ssl_session_cache shared:MozSSL:10m (nginx rotates ticket keys)",
				Edits: []analysis.TextEdit{insertSetting(p, s, tf, target, "ssl_session_cache shared:MozSSL:10m;")}}
		default:
			if cache != nil {
				anchor = cache
			}
			msg = fmt.Sprintf("session tickets are on, and nginx %s never rotates their key (rotation came in 1.23.2)", p.Settings.Nginx)
			fix = analysis.SuggestedFix{Title: "Turn session tickets off",
				Edits: []analysis.TextEdit{insertSetting(p, s, tf, target, "ssl_session_tickets off;")}}
		}
		p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor), Message: msg,
			Fixes: []analysis.SuggestedFix{fix}})
	}
}

func runPreferServerCiphers(p *analysis.Pass) {
	seen := seenDirs{}
	for _, s := range tlsServers(p) {
		// ssl_conf_command may reorder or replace the suites.
		if setsCipherString(p, s) || !tls12Enabled(p, s) {
			continue
		}
		ciphers := p.Config.Effective(s.Block, "ssl_ciphers")
		value, ok := "", false
		if ciphers != nil && len(ciphers.Args) == 1 && !hasVariable(ciphers) {
			value, ok = ciphers.Args[0].Value, true
		} else if def, found := config.Default("ssl_ciphers", p.Settings.Nginx); found && ciphers == nil {
			value, ok = strings.Join(def, " "), true
		}
		if !ok {
			continue
		}
		strong := onlyStrongSuites(value, targetProfile(p))
		d := p.Config.Effective(s.Block, "ssl_prefer_server_ciphers")
		have := "off"
		if d != nil && len(d.Args) == 1 {
			have = d.Args[0].Value
		}
		want := "on"
		if strong {
			want = "off"
		}
		if have == want {
			continue
		}
		msg := "the cipher list has only strong suites: leave the choice to the client"
		if !strong {
			msg = "the cipher list still has weak suites: prefer the server's order so that strong ones win"
		}
		if d != nil {
			if seen.first(d) {
				f := p.Config.FileOf(d)
				p.Report(analysis.Diagnostic{File: f, Span: d.Args[0].Span, Message: msg,
					Fixes: []analysis.SuggestedFix{{Title: "Set it to " + want, Edits: []analysis.TextEdit{replace(f, d.Args[0].Span, want)}}}})
			}
			continue
		}
		// nginx's default is off. With nginx's default list too,
		// tls-cipher-default-implicit asks for a list first.
		tf, target := settingsTarget(p, s)
		if ciphers == nil || p.Config.Incomplete(s.Block) || !seen.first(target) {
			continue // nginx's default is certain only where no include went unread
		}
		anchor := tlsAnchor(p, s)
		p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor), Message: msg + " (nginx's default is the client's)",
			Fixes: []analysis.SuggestedFix{{Title: "Add ssl_prefer_server_ciphers on",
				Edits: []analysis.TextEdit{insertSetting(p, s, tf, target, "ssl_prefer_server_ciphers on;")}}}})
	}
}

// onlyStrongSuites reports a cipher string whose suites are all
// forward-secret AEAD suites (DHE ones included), as Mozilla's
// intermediate and modern lists are.
func onlyStrongSuites(value, profile string) bool {
	for _, su := range openssl.EvaluateLenient(value, profile).Usable() {
		if openssl.Classify(su)&^openssl.WeakDHE != 0 {
			return false
		}
	}
	return true
}

// caBundle is Debian's CA bundle (package ca-certificates), the usual
// trusted certificate file.
const caBundle = "/etc/ssl/certs/ca-certificates.crt"

func runStapling(p *analysis.Pass) {
	seen := seenDirs{}
	cache := pemCache{}
	for _, s := range tlsServers(p) {
		if s.Module != config.HTTP && s.Module != config.Stream {
			continue
		}
		st := p.Config.Effective(s.Block, "ssl_stapling")
		if st == nil || len(st.Args) != 1 || st.Args[0].Value != "on" {
			continue
		}
		sf := p.Config.FileOf(st)
		off := analysis.SuggestedFix{Title: "Turn OCSP stapling off", Edits: []analysis.TextEdit{replace(sf, st.Args[0].Span, "off")}}
		first := seen.first(st)
		if cc := p.Config.Effective(s.Block, "ssl_certificate_compression"); cc != nil && len(cc.Args) == 1 && cc.Args[0].Value == "on" {
			if first {
				p.Report(analysis.Diagnostic{File: sf, Span: directiveSpan(st), Severity: analysis.Error,
					Message: "nginx refuses ssl_stapling together with ssl_certificate_compression on", Fixes: []analysis.SuggestedFix{off}})
			}
			continue
		}
		// What follows is about what the server lacks (a resolver, trusted
		// certificates, a responder), which an include that could not be
		// read may give it.
		if p.Config.Incomplete(s.Block) {
			continue
		}
		// No resolver is needed with a stapling file or a responder given
		// as an IP address.
		file := p.Config.Effective(s.Block, "ssl_stapling_file")
		responder := p.Config.Effective(s.Block, "ssl_stapling_responder")
		if file == nil && !ipResponder(responder) && p.Config.Effective(s.Block, "resolver") == nil {
			tf, target := settingsTarget(p, s)
			if st.Parent == s.Block || st.Parent != nil && st.Parent != s.Block.Parent {
				tf, target = s.File, s.Block
			}
			if seen.first(target) {
				p.Report(analysis.Diagnostic{File: sf, Span: directiveSpan(st),
					Message: "OCSP stapling needs a resolver, and none is in scope: nginx staples nothing",
					Fixes: []analysis.SuggestedFix{
						{Unsafe: true, Title: "Add resolver 127.0.0.1 (a local resolver)", Edits: []analysis.TextEdit{insertSetting(p, s, tf, target, "resolver 127.0.0.1;")}},
						off,
					}})
			}
		}
		if v := p.Config.Effective(s.Block, "ssl_stapling_verify"); v != nil && len(v.Args) == 1 && v.Args[0].Value == "on" &&
			p.Config.Effective(s.Block, "ssl_trusted_certificate") == nil && seen.first(v) {
			vf := p.Config.FileOf(v)
			p.Report(analysis.Diagnostic{File: vf, Span: directiveSpan(v),
				Message: "ssl_stapling_verify needs the issuer and root certificates in ssl_trusted_certificate",
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Add ssl_trusted_certificate " + caBundle,
					Edits: []analysis.TextEdit{insertAfter(vf, v, "ssl_trusted_certificate "+caBundle+";")}}}})
		}
		if file != nil || responder != nil {
			continue
		}
		for _, cp := range loadPairs(p, certServerOf(p, s), cache) {
			if len(cp.certs) > 0 && len(cp.certs[0].OCSPServer) == 0 && seen.first(cp.cert) {
				p.Report(analysis.Diagnostic{File: p.Config.FileOf(cp.cert), Span: cp.cert.Args[0].Span, Severity: analysis.Info,
					Message: fmt.Sprintf("the certificate (%s) has no OCSP responder URL, so ssl_stapling does nothing for it", tlsdata.SubjectName(cp.certs[0])),
					Fixes:   []analysis.SuggestedFix{off}})
			}
		}
	}
}

func ipResponder(d *syntax.Directive) bool {
	if d == nil || len(d.Args) != 1 {
		return false
	}
	host := strings.TrimPrefix(strings.TrimPrefix(d.Args[0].Value, "http://"), "https://")
	host, _, _ = strings.Cut(host, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return net.ParseIP(strings.Trim(host, "[]")) != nil
}
