package rules

import (
	"fmt"
	"net"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var UpstreamTLSVerify = &analysis.Analyzer{
	ID:       "upstream-tls-verify",
	Title:    "TLS to the upstream without certificate verification",
	Severity: analysis.Warning,
	Doc: `` + "`proxy_pass https://...`" + ` (and ` + "`grpc_pass grpcs://`" + `, ` + "`uwsgi_pass suwsgi://`" + `, stream ` + "`proxy_ssl on`" + `)
encrypts the connection to the upstream, but nginx does not check the upstream's certificate
unless ` + "`proxy_ssl_verify on`" + ` (default off): anyone who can redirect that traffic presents any
certificate and reads everything (CWE-295). With verification on nginx also needs the CA in
` + "`proxy_ssl_trusted_certificate`" + ` (else it refuses to start), and the upstream's name: it sends no
SNI and checks against ` + "`$proxy_host`" + ` unless ` + "`proxy_ssl_server_name on`" + `, and without SNI a
server hosting several names may present another certificate (information when verification
is on and SNI is off for a host name).

Severity: warning. Presenting a false certificate takes a position between nginx and the upstream,
often a private network: a real weakness, not one trivially exploitable from outside. Information
for a verified upstream without SNI, which may fail on the wrong certificate but exposes nothing.

Fix: ` + "`proxy_ssl_verify on; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;`" + `
(plus ` + "`proxy_ssl_server_name on;`" + ` for a host name), with the prefix of the module in use.`,
	Refs: []string{"CWE-295", "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_ssl_verify", "https://nginx.org/en/docs/http/ngx_http_grpc_module.html#grpc_ssl_verify"},
	Run:  runUpstreamTLSVerify,
}

var ForwardedProto = &analysis.Analyzer{
	ID:       "proxy-forwarded-proto-missing",
	Title:    "Proxied HTTPS requests do not tell the application the scheme",
	Severity: analysis.Info,
	Doc: `Behind nginx the application sees plain HTTP from 127.0.0.1. Unless nginx forwards the
original scheme (` + "`X-Forwarded-Proto`" + ` or ` + "`Forwarded`" + `), a Flask/Werkzeug, Django or Rails application
builds ` + "`http://`" + ` URLs and redirects, may loop on its own HTTPS redirect, and does not set the
Secure flag on cookies that depend on ` + "`request.is_secure`" + `. Werkzeug's ProxyFix (x_proto=1) and
similar middleware read the header. ` + "`uwsgi_pass`" + ` with ` + "`uwsgi_params`" + ` and ` + "`fastcgi_pass`" + ` pass the scheme
already (` + "`REQUEST_SCHEME`" + `, ` + "`HTTPS`" + `).

nginx inherits ` + "`proxy_set_header`" + ` only into levels without their own, so the header is looked
up where each ` + "`proxy_pass`" + ` takes its set from.

Severity: information. Whether the scheme matters depends on the application, which nginxls does
not see: a static or API backend may never build a URL, and where it matters the symptoms
(` + "`http://`" + ` links, redirect loops) show at once. Cookies without Secure are ` + "`cookie-secure-flags`" + `'s.

Fix: ` + "`proxy_set_header X-Forwarded-Proto $scheme;`" + ` where the location's headers come from.`,
	Refs:      []string{"RFC 7239", "https://flask.palletsprojects.com/en/stable/deploying/proxy_fix/", "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header"},
	Run:       runForwardedProto,
	RunServer: runForwardedProtoServer,
}

var ProxyHeaderDropped = &analysis.Analyzer{
	ID:       "proxy-set-header-dropped",
	Title:    "A block's own proxy_set_header drops the inherited ones",
	Severity: analysis.Warning,
	Doc: `nginx inherits ` + "`proxy_set_header`" + ` (like ` + "`add_header`" + `) only into a level that defines none. A
` + "`location`" + ` that sets one header of its own silently stops sending every header set above it
— typically ` + "`Host`" + `, ` + "`X-Forwarded-For`" + ` and ` + "`X-Forwarded-Proto`" + ` — and the application then sees
the wrong host, client address and scheme.

Severity: warning. Losing every inherited header for one block is almost never meant, and the
application then trusts the wrong host and client address.

Fix: repeat the dropped lines in the block.`,
	Refs: []string{"https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header"},
	Run:  runProxyHeaderDropped,
}

// upstreamTLS are the pass directives with the scheme that means TLS, and
// the prefix of their ssl directives.
var upstreamTLS = map[string]struct{ scheme, prefix string }{
	"proxy_pass": {"https://", "proxy_"},
	"grpc_pass":  {"grpcs://", "grpc_"},
	"uwsgi_pass": {"suwsgi://", "uwsgi_"},
}

// siblingsNamed returns the directives named name in the block that holds
// d, or at the top level of its file.
func siblingsNamed(p *analysis.Pass, d *syntax.Directive, name string) []*syntax.Directive {
	if d.Parent == nil {
		return topNamed(p, d, name)
	}
	return kidsNamed(d.Parent, name)
}

// runUpstreamTLSVerify looks up what applies to a pass directive from the
// directive itself: that is its block's settings, or its file's top level
// for a snippet of a location.
func runUpstreamTLSVerify(p *analysis.Pass) {
	for _, l := range p.Config.Named("proxy_pass", "grpc_pass", "uwsgi_pass") {
		f, d := l.File, l.Dir
		if len(d.Args) != 1 {
			continue
		}
		u := upstreamTLS[d.Name.Value]
		target := d.Args[0].Value
		srv := p.Config.ServerOf(d)
		stream := srv != nil && srv.Module == config.Stream
		if stream {
			// Stream proxying uses TLS with `proxy_ssl on`.
			if !flagOn(p, d, "proxy_ssl") {
				continue
			}
		} else if !strings.HasPrefix(target, u.scheme) {
			continue
		}
		host := hostOf(strings.TrimPrefix(target, u.scheme))
		named := host != "" && net.ParseIP(host) == nil && !hasVar(host) && !isUpstreamName(p, host)
		verify := u.prefix + "ssl_verify"
		if !flagOn(p, d, verify) {
			if !settled(p, d, verify) {
				continue // an include that could not be read may turn it on
			}
			lines := []string{u.prefix + "ssl_verify on;"}
			if p.Config.Effective(d, u.prefix+"ssl_trusted_certificate") == nil {
				lines = append(lines, u.prefix+"ssl_trusted_certificate "+caBundle+";")
			}
			if named && !flagOn(p, d, u.prefix+"ssl_server_name") {
				lines = append(lines, u.prefix+"ssl_server_name on;")
			}
			var edits []analysis.TextEdit
			// An explicit `..._ssl_verify off` in the same block is replaced.
			if v := siblingsNamed(p, d, verify); len(v) > 0 && len(v[0].Args) == 1 {
				edits = append(edits, replace(p.Config.FileOf(v[0]), v[0].Args[0].Span, "on"))
				lines = lines[1:]
			}
			if len(lines) > 0 {
				edits = append(edits, insertLinesAfter(f, d, lines...))
			}
			diag := analysis.Diagnostic{File: f, Span: d.Args[0].Span,
				Message: fmt.Sprintf("TLS to the upstream without %sssl_verify: nginx accepts any certificate", u.prefix),
				Fixes:   []analysis.SuggestedFix{{Title: "Verify the upstream's certificate against the system CAs", Edits: edits, Unsafe: true}}}
			// An explicit off is where the decision was written: the finding
			// goes there, the connection it affects related.
			if off := p.Config.Effective(d, verify); off != nil && len(off.Args) == 1 {
				diag.Related = []analysis.Related{{File: f, Span: d.Args[0].Span, Message: "TLS to this upstream is not verified"}}
				diag.File, diag.Span = p.Config.FileOf(off), off.Args[0].Span
				diag.Message = fmt.Sprintf("%sssl_verify %s: nginx accepts any certificate from the upstream", u.prefix, off.Args[0].Value)
			}
			p.Report(diag)
			continue
		}
		if named && !flagOn(p, d, u.prefix+"ssl_server_name") && settled(p, d, verify) && settled(p, d, u.prefix+"ssl_server_name") {
			p.Report(analysis.Diagnostic{File: f, Span: d.Args[0].Span, Severity: analysis.Info,
				Message: fmt.Sprintf("the upstream certificate is verified but %sssl_server_name is off: nginx sends no SNI", u.prefix),
				Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Send SNI (" + u.prefix + "ssl_server_name on)",
					Edits: []analysis.TextEdit{insertAfter(f, d, u.prefix+"ssl_server_name on;")}}}})
		}
	}
}

// hostOf returns the host of "host[:port][/path]".
func hostOf(rest string) string {
	rest, _, _ = strings.Cut(rest, "/")
	if strings.HasPrefix(rest, "[") {
		if i := strings.Index(rest, "]"); i > 0 {
			return rest[1:i]
		}
	}
	if h, _, err := net.SplitHostPort(rest); err == nil {
		return h
	}
	return rest
}

// isUpstreamName reports a name defined by an upstream block.
func isUpstreamName(p *analysis.Pass, name string) bool {
	for _, l := range p.Config.Named("upstream") {
		if len(l.Dir.Args) == 1 && l.Dir.Args[0].Value == name {
			return true
		}
	}
	return false
}

// forwardsProto reports a header set that tells the scheme.
func forwardsProto(ds []*syntax.Directive) bool {
	for _, d := range ds {
		if len(d.Args) >= 1 {
			switch strings.ToLower(d.Args[0].Value) {
			case "x-forwarded-proto", "forwarded", "x-forwarded-ssl", "x-forwarded-scheme", "x-scheme":
				return true
			}
		}
	}
	return false
}

// runForwardedProto reports, once per place the header would go, the
// proxy_pass of HTTPS servers whose requests lack X-Forwarded-Proto. Where
// the headers come from the server itself it is a per-server check
// (forwardedProtoIn); where they come from outside servers, one finding
// covers every server sharing them, and that is judged here.
func runForwardedProto(p *analysis.Pass) {
	shared := false
	for _, l := range p.Config.Named("proxy_set_header") {
		shared = shared || !inServer(p, l.Dir)
	}
	if !shared {
		return
	}
	seen := seenDirs{}
	for _, s := range httpsServers(p) {
		forwardedProto(p, s, seen, false)
	}
}

func runForwardedProtoServer(p *analysis.Pass, s *config.Server) {
	if isHTTPS(p, s) {
		forwardedProto(p, s, seenDirs{}, true)
	}
}

// forwardedProto checks the proxy_pass of one server, reporting those whose
// fix goes inside the server (own) or outside it (!own).
func forwardedProto(p *analysis.Pass, s *config.Server, seen seenDirs, own bool) {
	for _, b := range serverBlocks(s) {
		for _, d := range kidsNamed(b, "proxy_pass") {
			// An include that could not be read may set the header.
			if len(d.Args) != 1 || forwardsProto(p.Config.EffectiveAll(b, "proxy_set_header")) || p.Config.Incomplete(b) {
				continue
			}
			f := p.Config.FileOf(d)
			line := "proxy_set_header X-Forwarded-Proto $scheme;"
			// The header goes where the block's set comes from: after
			// the last proxy_set_header of that level, else after the
			// proxy_pass.
			key, edit := d, insertAfter(f, d, line)
			if set := p.Config.EffectiveAll(b, "proxy_set_header"); len(set) > 0 {
				last := set[len(set)-1]
				key, edit = last, insertAfter(p.Config.FileOf(last), last, line)
			}
			if inServer(p, key) != own || !seen.first(key) {
				continue
			}
			p.Report(analysis.Diagnostic{File: f, Span: directiveSpan(d),
				Message: "requests proxied from this HTTPS server do not carry X-Forwarded-Proto: the application takes them for HTTP",
				Fixes:   []analysis.SuggestedFix{{Title: "Add " + line, Edits: []analysis.TextEdit{edit}, Unsafe: true}}})
		}
	}
}

func runProxyHeaderDropped(p *analysis.Pass) {
	for _, b := range p.Config.Blocks() {
		d := b.Dir
		if d.Name.Value != "location" && d.Name.Value != "if" && d.Name.Value != "server" {
			continue
		}
		own, dropped := droppedInherited(p, d, "proxy_set_header", headerKey)
		// An include that could not be read, in the block or above it, may
		// repeat the headers or change what is inherited.
		if len(dropped) == 0 || p.Config.Incomplete(d) {
			continue
		}
		var names []string
		for _, h := range dropped {
			names = append(names, h.Args[0].Value)
		}
		var lines []string
		for _, h := range dropped {
			lines = append(lines, directiveText(p.Config.FileOf(h), h))
		}
		f := p.Config.FileOf(own[0])
		p.Report(analysis.Diagnostic{File: f, Span: directiveSpan(own[0]),
			Message: fmt.Sprintf("this proxy_set_header makes the %s inherit none from above: %s %s no longer sent", d.Name.Value, capList(names, 2, "headers"), plural(len(names), "is", "are")),
			Fixes: []analysis.SuggestedFix{{Title: "Repeat the dropped headers here",
				Edits: []analysis.TextEdit{insertLinesFirst(b.File, d, lines...)}}}})
	}
}

// headerKey is what makes a proxy_set_header of a block replace an
// inherited one: the header's name.
func headerKey(h *syntax.Directive) string {
	if len(h.Args) == 0 {
		return ""
	}
	return strings.ToLower(h.Args[0].Value)
}

// droppedInherited returns a block's own directives of an array setting
// (proxy_set_header, ssl_conf_command: inherited all or none) and those of
// the enclosing levels it therefore stops inheriting, which no own
// directive with the same key replaces.
func droppedInherited(p *analysis.Pass, block *syntax.Directive, name string, key func(*syntax.Directive) string) (own, dropped []*syntax.Directive) {
	own = kidsNamed(block, name)
	if len(own) == 0 {
		return nil, nil
	}
	var inherited []*syntax.Directive
	if block.Parent == nil {
		inherited = topNamed(p, block, name)
	} else {
		inherited = p.Config.EffectiveAll(block.Parent, name)
	}
	have := map[string]bool{}
	for _, d := range own {
		have[key(d)] = true
	}
	for _, d := range inherited {
		if len(d.Args) > 0 && !have[key(d)] {
			dropped = append(dropped, d)
		}
	}
	return own, dropped
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
