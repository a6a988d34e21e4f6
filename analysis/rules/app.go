package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var CookieFlags = &analysis.Analyzer{
	ID:        "cookie-secure-flags",
	Title:     "Cookies of a proxied HTTPS application may lack Secure and HttpOnly",
	Severity:  analysis.Warning,
	Run:       runCookieFlags,
	RunServer: runCookieFlagsServer,
}

var ServerTokens = &analysis.Analyzer{
	ID:       "server-tokens",
	Title:    "nginx version disclosed",
	Severity: analysis.Info,
	Run:      runServerTokens,
}

var ClientVerify = &analysis.Analyzer{
	ID:       "tls-client-verify",
	Title:    "Client certificate verification that can be bypassed or is ignored",
	Severity: analysis.Error,
	Run:      runClientVerify,
}

var cookieFlagsSince = config.MustVersion("1.19.3")

func runCookieFlags(p *analysis.Pass) {
	for _, l := range p.Config.Named("proxy_cookie_flags") {
		f, d := l.File, l.Dir
		for _, a := range d.Args[min(1, len(d.Args)):] {
			if a.Value == "nosecure" || a.Value == "nohttponly" {
				flag := strings.TrimPrefix(a.Value, "no")
				p.Report(analysis.Diagnostic{File: f, Span: a.Span,
					Message: fmt.Sprintf("%s removes the %s attribute from the application's cookies: %s", a.Value, cookieAttr(flag), cookieWhy(flag)),
					Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Use " + flag,
						Edits: []analysis.TextEdit{replace(f, a.Span, flag)}}}})
			}
		}
	}
}

// runCookieFlagsServer reports the proxy_pass of an HTTPS server that no
// proxy_cookie_flags covers.
func runCookieFlagsServer(p *analysis.Pass, s *config.Server) {
	if !p.Settings.Nginx.AtLeast(cookieFlagsSince) || !isHTTPS(p, s) {
		return
	}
	for _, b := range serverBlocks(s) {
		for _, d := range kidsNamed(b, "proxy_pass") {
			// An include that could not be read may set proxy_cookie_flags.
			if len(p.Config.EffectiveAll(b, "proxy_cookie_flags")) > 0 || p.Config.Incomplete(b) {
				continue
			}
			f := p.Config.FileOf(d)
			p.Report(analysis.Diagnostic{File: f, Span: directiveSpan(d), Severity: analysis.Hint,
				Message: "no proxy_cookie_flags: nginx adds no Secure or HttpOnly to the cookies this proxied server sets",
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Add proxy_cookie_flags ~ secure httponly samesite=lax",
					Edits: []analysis.TextEdit{insertAfter(f, d, "proxy_cookie_flags ~ secure httponly samesite=lax;")}}}})
		}
	}
}

func cookieWhy(flag string) string {
	if flag == "secure" {
		return "they are also sent over plain HTTP"
	}
	return "injected scripts can read them"
}

func cookieAttr(flag string) string {
	if flag == "secure" {
		return "Secure"
	}
	return "HttpOnly"
}

func runServerTokens(p *analysis.Pass) {
	for _, l := range p.Config.Named("server_tokens") {
		f, d := l.File, l.Dir
		if len(d.Args) == 1 && (d.Args[0].Value == "on" || d.Args[0].Value == "build") {
			p.Report(analysis.Diagnostic{File: f, Span: d.Args[0].Span,
				Message: fmt.Sprintf("server_tokens %s puts the nginx version in the Server header and error pages", d.Args[0].Value),
				Fixes:   []analysis.SuggestedFix{{Title: "Set server_tokens off", Edits: []analysis.TextEdit{replace(f, d.Args[0].Span, "off")}}}})
		}
	}
	// Absent: judged where it can be known, in a file with the http block,
	// and not where an include that could not be read may set it.
	for _, l := range p.Config.Named("http") {
		f, h := l.File, l.Dir
		if h.Block == nil || h.Parent != nil || len(kidsNamed(h, "server_tokens")) > 0 || p.Config.Incomplete(h) {
			continue
		}
		if len(h.Block.Directives) == 0 {
			continue
		}
		servers := p.Config.ServersUnder(h.Block.Directives[0])
		all := len(servers) > 0
		for _, s := range servers {
			all = all && (len(kidsNamed(s.Block, "server_tokens")) > 0 || p.Config.Incomplete(s.Block))
		}
		if all {
			continue
		}
		p.Report(analysis.Diagnostic{File: f, Span: h.Name.Span,
			Message: "server_tokens is not set: nginx's default (on) shows its version in the Server header and error pages",
			Fixes:   []analysis.SuggestedFix{{Title: "Add server_tokens off", Edits: []analysis.TextEdit{insertFirst(f, h, "server_tokens off;")}}}})
	}
}

var (
	cveVerifyFrom   = config.MustVersion("1.11.4")
	cveVerifyFixed  = config.MustVersion("1.27.4")
	cveVerifyStable = config.MustVersion("1.26.3")
	cveVerifyMain   = config.MustVersion("1.27.0")
)

// vulnerable23419 reports an nginx version affected by CVE-2025-23419.
func vulnerable23419(v config.Version) bool {
	if !v.AtLeast(cveVerifyFrom) || v.AtLeast(cveVerifyFixed) {
		return false
	}
	return !(v.AtLeast(cveVerifyStable) && !v.AtLeast(cveVerifyMain))
}

// usesClientCert reports a use of the $ssl_client_* variables in a server.
func usesClientCert(s *config.Server) bool {
	used := false
	syntax.Walk(s.Block.Children(), func(d *syntax.Directive) bool {
		for _, a := range d.Args {
			if strings.Contains(a.Value, "$ssl_client_") || strings.Contains(a.Value, "${ssl_client_") {
				used = true
			}
		}
		return !used
	})
	return used
}

// listenKey is a listen socket as "addr:port" (port only for wildcards).
func listenKey(l *syntax.Directive) string {
	if len(l.Args) == 0 {
		return ""
	}
	a := l.Args[0].Value
	if !strings.Contains(a, ":") || strings.HasPrefix(a, "*:") {
		return "*:" + strings.TrimPrefix(a, "*:")
	}
	return a
}

func runClientVerify(p *analysis.Pass) {
	servers := httpsServers(p)
	for _, s := range servers {
		d := p.Config.Effective(s.Block, "ssl_verify_client")
		// An include that could not be read may set another mode, pass
		// the client certificate on, or turn session resumption off.
		if d == nil || len(d.Args) != 1 || p.Config.Incomplete(s.Block) {
			continue
		}
		f := p.Config.FileOf(d)
		switch d.Args[0].Value {
		case "optional_no_ca":
			if usesClientCert(s) {
				continue
			}
			p.Report(analysis.Diagnostic{File: f, Span: d.Args[0].Span,
				Message: "optional_no_ca accepts any client certificate unchecked, and this server uses no $ssl_client_* variable",
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Stop requesting client certificates",
					Edits: []analysis.TextEdit{replace(f, d.Args[0].Span, "off")}}}})
		case "on", "optional":
			if !vulnerable23419(p.Settings.Nginx) {
				continue
			}
			var shared []string
			for _, o := range servers {
				// A server with an include that could not be read may
				// verify too.
				if o == s || sameVerify(p, o) || p.Config.Incomplete(o.Block) {
					continue
				}
				for _, l := range s.Listens {
					for _, ol := range o.Listens {
						if listenKey(l) == listenKey(ol) {
							shared = append(shared, listenKey(l))
						}
					}
				}
			}
			if len(shared) == 0 {
				continue
			}
			var edits []analysis.TextEdit
			var lines []string
			for _, set := range [][2]string{{"ssl_session_tickets", "off"}, {"ssl_session_cache", "off"}} {
				if own := kidsNamed(s.Block, set[0]); len(own) > 0 {
					edits = append(edits, replace(p.Config.FileOf(own[0]), valueSpan(own[0]), set[1]))
				} else {
					lines = append(lines, set[0]+" "+set[1]+";")
				}
			}
			if len(lines) > 0 {
				edits = append(edits, insertInServer(p, s, lines...))
			}
			anchor := tlsAnchor(p, s)
			p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor),
				Message: fmt.Sprintf("this server verifies client certificates and shares %s with servers that do not: nginx %s is open to CVE-2025-23419",
					shared[0], p.Settings.Nginx),
				Fixes: []analysis.SuggestedFix{{Title: "Turn session resumption off in this server", Edits: edits}}})
		}
	}
}

// sameVerify reports a server that verifies client certificates too.
func sameVerify(p *analysis.Pass, s *config.Server) bool {
	d := p.Config.Effective(s.Block, "ssl_verify_client")
	return d != nil && len(d.Args) == 1 && (d.Args[0].Value == "on" || d.Args[0].Value == "optional")
}
