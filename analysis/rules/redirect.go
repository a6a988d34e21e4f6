package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var HTTPSRedirectMissing = &analysis.Analyzer{
	ID:       "https-redirect-missing",
	Title:    "Plain-HTTP server serves content for a name that has an HTTPS server",
	Severity: analysis.Warning,
	Run:      runHTTPSRedirectMissing,
}

var HTTPSRedirectWeak = &analysis.Analyzer{
	ID:       "https-redirect-weak",
	Title:    "Redirect is temporary or leads to plain HTTP",
	Severity: analysis.Info,
	Run:      runHTTPSRedirectWeak,
}

// hostKey is how server names are compared: lower case, without the
// trailing dot.
func hostKey(name string) string { return strings.ToLower(strings.TrimSuffix(name, ".")) }

// httpsNames are the literal names served over HTTPS on port 443, where
// an https:// URL without a port leads.
func httpsNames(p *analysis.Pass) map[string]bool {
	return analysis.Shared(p, httpsNamesKey{}, func() map[string]bool {
		servers := httpsServers(p)
		names := make(map[string]bool, len(servers))
		for _, s := range servers {
			if !listensOn(s, "443") {
				continue
			}
			for _, w := range literalNames(p, s) {
				names[hostKey(w.Value)] = true
			}
		}
		return names
	})
}

// listensOn reports a listen on the port, whatever the address.
func listensOn(s *config.Server, port string) bool {
	for _, l := range s.Listens {
		if len(l.Args) > 0 && listenPort(l.Args[0].Value) == port {
			return true
		}
	}
	return false
}

// listenPort is the port of a listen address: "443", "*:443",
// "[::]:443", "10.0.0.1" (80) or "" for a unix socket.
func listenPort(a string) string {
	if strings.HasPrefix(a, "unix:") {
		return ""
	}
	if i := strings.LastIndexByte(a, ':'); i >= 0 && !strings.HasSuffix(a, "]") {
		return a[i+1:]
	}
	if a != "" && strings.Trim(a, "0123456789") == "" {
		return a
	}
	return "80"
}

// ignoredNames are, per plain server, the names an earlier plain server
// on the same address already has: nginx warns "conflicting server name"
// and never chooses the later server for them.
func ignoredNames(p *analysis.Pass, plain []*config.Server) map[*config.Server]map[string]bool {
	first := map[string]*config.Server{}
	out := map[*config.Server]map[string]bool{}
	for _, s := range plain {
		addrs := []string{"*:80"}
		if len(s.Listens) > 0 {
			addrs = addrs[:0]
			for _, l := range s.Listens {
				addrs = append(addrs, listenKey(l))
			}
		}
		for _, w := range literalNames(p, s) {
			for _, a := range addrs {
				k := a + " " + hostKey(w.Value)
				if o, ok := first[k]; ok && o != s {
					if out[s] == nil {
						out[s] = map[string]bool{}
					}
					out[s][hostKey(w.Value)] = true
				} else if !ok {
					first[k] = s
				}
			}
		}
	}
	return out
}

// plainServers are the http servers without a TLS listener.
func plainServers(p *analysis.Pass) []*config.Server {
	var out []*config.Server
	for _, s := range p.Config.Servers {
		if s.Module == config.HTTP && !p.Config.IsTLS(s) {
			out = append(out, s)
		}
	}
	return out
}

// isACME reports a location that serves ACME HTTP-01 challenges.
func isACME(loc *syntax.Directive) bool {
	for _, a := range loc.Args {
		if strings.Contains(a.Value, "acme-challenge") {
			return true
		}
	}
	return false
}

// isRootLocation reports `location /` (or `^~ /`).
func isRootLocation(loc *syntax.Directive) bool {
	args := loc.ArgValues()
	return len(args) == 1 && args[0] == "/" || len(args) == 2 && args[0] == "^~" && args[1] == "/"
}

// redirects reports whether a block ends every request with a return or a
// redirecting rewrite at its own level.
func redirects(block *syntax.Directive) bool {
	for _, d := range block.Children() {
		switch d.Name.Value {
		case "return":
			return true
		case "rewrite":
			if len(d.Args) >= 2 && (strings.HasPrefix(d.Args[1].Value, "https://") || strings.HasPrefix(d.Args[1].Value, "http://") || len(d.Args) == 3 && (d.Args[2].Value == "permanent" || d.Args[2].Value == "redirect")) {
				return true
			}
		}
	}
	return false
}

// servesContent reports whether a plain server answers some request with
// content rather than a return: every location but ACME's, and the
// server's default for requests no location matches. A location holding
// an include that could not be read may return in it.
func servesContent(p *analysis.Pass, s *config.Server) bool {
	if redirects(s.Block) {
		return false
	}
	rootHandled := false
	for _, loc := range kidsNamed(s.Block, "location") {
		if isACME(loc) {
			continue
		}
		if !redirects(loc) && !p.Config.Incomplete(loc) {
			return true
		}
		if isRootLocation(loc) {
			rootHandled = true
		}
	}
	return !rootHandled
}

// redirectCode is the status the fixes use: 308 keeps the method, as
// Mozilla's generator does; the "old" profile's clients need 301.
func redirectCode(p *analysis.Pass) string {
	if profile(p).Name == "old" {
		return "301"
	}
	return "308"
}

func runHTTPSRedirectMissing(p *analysis.Pass) {
	runMixedRedirectMissing(p)
	plain := plainServers(p)
	ignored := ignoredNames(p, plain)
	for _, s := range plain {
		if p.Config.Incomplete(s.Block) {
			continue // an include that could not be read may redirect, or listen with TLS
		}
		var shared []string
		for _, w := range literalNames(p, s) {
			// Asked for only here: without plain servers, no rule needs
			// the names of thousands of HTTPS servers.
			if httpsNames(p)[hostKey(w.Value)] && !ignored[s][hostKey(w.Value)] {
				shared = append(shared, w.Value)
			}
		}
		if len(shared) == 0 || !servesContent(p, s) {
			continue
		}
		ret := fmt.Sprintf("return %s https://$host$request_uri;", redirectCode(p))
		var edit analysis.TextEdit
		var title string
		acme, root := false, (*syntax.Directive)(nil)
		for _, loc := range kidsNamed(s.Block, "location") {
			if isACME(loc) {
				acme = true
			}
			if isRootLocation(loc) {
				root = loc
			}
		}
		switch {
		case acme && root != nil:
			edit, title = insertFirst(p.Config.FileOf(root), root, ret), "Redirect location / to HTTPS (the ACME challenge location keeps working)"
		case acme:
			edit, title = insertInServer(p, s, "location / {", "    "+ret, "}"), "Redirect everything but the ACME challenges to HTTPS"
		default:
			edit, title = insertInServer(p, s, ret), "Redirect every request to HTTPS"
		}
		anchor := s.Block
		if len(s.Listens) > 0 {
			anchor = s.Listens[0]
		}
		p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor),
			Message: fmt.Sprintf("%s also %s an HTTPS server, but this plain-HTTP server serves content instead of redirecting",
				capList(shared, 2, "names"), map[bool]string{true: "has", false: "have"}[len(shared) == 1]),
			Fixes: []analysis.SuggestedFix{{Title: title, Edits: []analysis.TextEdit{edit}, Unsafe: true}}})
	}
}

// runMixedRedirectMissing reports a server that listens for HTTPS and for
// plain HTTP alike (listen 80; listen 443 ssl;) and serves the same
// content on both: plain HTTP is never sent to HTTPS.
func runMixedRedirectMissing(p *analysis.Pass) {
	for _, s := range p.Config.Servers {
		if s.Module != config.HTTP || !p.Config.IsTLS(s) || p.Config.Incomplete(s.Block) {
			continue
		}
		if d := p.Config.Effective(s.Block, "ssl"); d != nil && len(d.Args) > 0 && d.Args[0].Value == "on" {
			continue // every listen speaks TLS
		}
		// HTTPS on 443, as the plain servers' check counts it: a TLS port
		// of its own is another service, not this site's HTTPS.
		plain := plainListen(s)
		if plain == nil || !tlsListensOn(s, "443") || schemeRedirects(s.Block) || !servesContent(p, s) {
			continue
		}
		ret := fmt.Sprintf("return %s https://$host$request_uri;", redirectCode(p))
		edit := insertInServer(p, s, "if ($scheme = http) {", "    "+ret, "}")
		p.Report(analysis.Diagnostic{File: p.Config.FileOf(plain), Span: anchorSpan(plain),
			Message: "this server listens for plain HTTP too, and serves there what it serves over HTTPS instead of redirecting",
			Fixes:   []analysis.SuggestedFix{{Title: "Redirect plain-HTTP requests to HTTPS", Edits: []analysis.TextEdit{edit}, Unsafe: true}}})
	}
}

// tlsListensOn reports a TLS listen on the port.
func tlsListensOn(s *config.Server, port string) bool {
	for _, l := range s.Listens {
		if len(l.Args) > 0 && listenPort(l.Args[0].Value) == port && config.ListenHas(l, "ssl") != nil {
			return true
		}
	}
	return false
}

// plainListen is a server's first listen that speaks neither TLS nor
// QUIC, or nil.
func plainListen(s *config.Server) *syntax.Directive {
	for _, l := range s.Listens {
		if config.ListenHas(l, "ssl") == nil && config.ListenHas(l, "quic") == nil {
			return l
		}
	}
	return nil
}

// schemeRedirects reports an `if` on $scheme or $https in the block that
// returns or rewrites: the usual way a server on both ports sends plain
// HTTP to HTTPS.
func schemeRedirects(block *syntax.Directive) bool {
	for _, d := range block.Children() {
		if d.Name.Value != "if" || d.Block == nil {
			continue
		}
		cond := strings.Join(d.ArgValues(), " ")
		if (strings.Contains(cond, "$scheme") || strings.Contains(cond, "$https") || strings.Contains(cond, "$server_port")) && redirects(d) {
			return true
		}
	}
	return false
}

// permanent maps a temporary redirect code to its permanent counterpart.
var permanent = map[string]string{"302": "301", "303": "301", "307": "308"}

func runHTTPSRedirectWeak(p *analysis.Pass) {
	for _, l := range p.Config.Named("return", "rewrite") {
		f, d := l.File, l.Dir
		s := p.Config.ServerOf(d)
		if s == nil || s.Module != config.HTTP {
			continue
		}
		tls := p.Config.IsTLS(s)
		// What is wrong on plain HTTP only is not certain where an include
		// that could not be read may hold a TLS listen.
		plain := !tls && !p.Config.Incomplete(s.Block)
		// Only servers for names that have HTTPS matter on plain HTTP.
		if !tls {
			has := false
			for _, w := range literalNames(p, s) {
				has = has || httpsNames(p)[hostKey(w.Value)]
			}
			if !has {
				continue
			}
		}
		var code, target *syntax.Word
		switch {
		case d.Name.Value == "return" && len(d.Args) == 2:
			code, target = d.Args[0], d.Args[1]
		case d.Name.Value == "return" && len(d.Args) == 1:
			target = d.Args[0]
		case d.Name.Value == "rewrite" && len(d.Args) >= 2:
			target = d.Args[1]
		default:
			continue
		}
		url := target.Value
		if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "$scheme://") {
			continue
		}
		switch {
		case strings.HasPrefix(url, "http://") || plain && strings.HasPrefix(url, "$scheme://"):
			scheme := "http://"
			if !strings.HasPrefix(url, scheme) {
				scheme = "$scheme://"
			}
			newURL := "https://" + strings.TrimPrefix(url, scheme)
			p.Report(analysis.Diagnostic{File: f, Span: target.Span,
				Message: "this redirect leads to plain HTTP: the visitor is sent back to an unencrypted connection",
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Redirect to https://",
					Edits: []analysis.TextEdit{replace(f, target.Span, quoteLike(target, newURL))}}}})
		case d.Name.Value == "return" && code == nil && plain:
			p.Report(analysis.Diagnostic{File: f, Span: target.Span,
				Message: "\"return URL\" redirects with 302, a temporary redirect; use 301 or 308",
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Redirect permanently (" + redirectCode(p) + ")",
					Edits: []analysis.TextEdit{replace(f, syntax.Span{Start: target.Start, End: target.Start}, redirectCode(p)+" ")}}}})
		case d.Name.Value == "return" && code != nil && permanent[code.Value] != "" && plain:
			p.Report(analysis.Diagnostic{File: f, Span: code.Span,
				Message: fmt.Sprintf("%s is a temporary redirect: browsers ask again over plain HTTP on every visit", code.Value),
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Use " + permanent[code.Value],
					Edits: []analysis.TextEdit{replace(f, code.Span, permanent[code.Value])}}}})
		case d.Name.Value == "rewrite" && plain && len(d.Args) == 3 && d.Args[2].Value == "redirect":
			p.Report(analysis.Diagnostic{File: f, Span: d.Args[2].Span,
				Message: "\"redirect\" is a temporary (302) redirect; use \"permanent\"",
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Use permanent",
					Edits: []analysis.TextEdit{replace(f, d.Args[2].Span, "permanent")}}}})
		}
	}
}

// quoteLike writes a new value with the quotes the word had.
func quoteLike(w *syntax.Word, v string) string {
	if w.Quote != 0 {
		return string(w.Quote) + v + string(w.Quote)
	}
	return v
}
