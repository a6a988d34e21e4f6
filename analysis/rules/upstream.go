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
	Run:      runUpstreamTLSVerify,
}

var ForwardedProto = &analysis.Analyzer{
	ID:        "proxy-forwarded-proto-missing",
	Title:     "Proxied HTTPS requests do not tell the application the scheme",
	Severity:  analysis.Info,
	Run:       runForwardedProto,
	RunServer: runForwardedProtoServer,
}

var ProxyHeaderDropped = &analysis.Analyzer{
	ID:       "proxy-set-header-dropped",
	Title:    "A block's own proxy_set_header drops the inherited ones",
	Severity: analysis.Warning,
	Run:      runProxyHeaderDropped,
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
