package rules

import (
	"net"
	"slices"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// Helpers shared by the HTTPS hardening rules (HSTS, redirects, proxies):
// header inheritance, the servers that serve HTTPS, and multi-line inserts.

// profile is the Mozilla profile the settings select.
func profile(p *analysis.Pass) *tlsdata.Profile {
	if pr := tlsdata.LookupProfile(p.Settings.Profile); pr != nil {
		return pr
	}
	return tlsdata.LookupProfile("intermediate")
}

// rejectsHandshake reports `ssl_reject_handshake on`: such a server never
// completes a handshake, so it needs no certificate, header or redirect.
func rejectsHandshake(p *analysis.Pass, s *config.Server) bool {
	d := p.Config.Effective(s.Block, "ssl_reject_handshake")
	return d != nil && len(d.Args) == 1 && d.Args[0].Value == "on"
}

// Keys of the values shared by the rules of one analysis.
type (
	httpsServersKey struct{}
	tlsServersKey   struct{}
	httpsNamesKey   struct{}

	cipherValuesOutsideKey struct{}
	protocolsOutsideKey    struct{}
)

// httpsServers are the http servers that terminate TLS and answer requests.
func httpsServers(p *analysis.Pass) []*config.Server {
	return p.Shared(httpsServersKey{}, func() any {
		var out []*config.Server
		for _, s := range p.Config.Servers {
			if isHTTPS(p, s) {
				out = append(out, s)
			}
		}
		return out
	}).([]*config.Server)
}

// loopbackOnly reports a server that listens on loopback addresses only:
// nothing between a browser and it can strip TLS.
func loopbackOnly(s *config.Server) bool {
	if len(s.Listens) == 0 {
		return false
	}
	for _, l := range s.Listens {
		if len(l.Args) == 0 {
			return false
		}
		host, _, ok := strings.Cut(l.Args[0].Value, "]")
		if ok {
			host = strings.TrimPrefix(host, "[")
		} else {
			host, _, _ = strings.Cut(l.Args[0].Value, ":")
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			if host != "localhost" {
				return false
			}
		}
	}
	return true
}

// serverReturn is the code of the return that ends every request at the
// server's own level: a server-level return runs before any location is
// chosen. A rewrite, if or break before it may send requests elsewhere,
// and then there is none ("").
func serverReturn(s *config.Server) string {
	for _, d := range s.Block.Block.Directives {
		switch d.Name.Value {
		case "return":
			if len(d.Args) == 0 {
				return ""
			}
			return d.Args[0].Value
		case "rewrite", "if", "break":
			return ""
		}
	}
	return ""
}

// onlyRedirects reports a server that answers every request with a 30x.
func onlyRedirects(s *config.Server) bool {
	switch serverReturn(s) {
	case "301", "302", "303", "307", "308":
		return true
	}
	return false
}

// closesConnections reports a server whose every request ends in
// `return 444`: nginx closes the connection and sends no response, so
// there is no header to add.
func closesConnections(s *config.Server) bool {
	return serverReturn(s) == "444"
}

// isHTTPS reports an http server that terminates TLS and answers requests.
func isHTTPS(p *analysis.Pass, s *config.Server) bool {
	return s.Module == config.HTTP && p.Config.IsTLS(s) && !rejectsHandshake(p, s)
}

// tlsServers are the servers of any module that terminate TLS.
func tlsServers(p *analysis.Pass) []*config.Server {
	return p.Shared(tlsServersKey{}, func() any {
		var out []*config.Server
		for _, s := range p.Config.Servers {
			if p.Config.IsTLS(s) && !rejectsHandshake(p, s) {
				out = append(out, s)
			}
		}
		return out
	}).([]*config.Server)
}

// kidsNamed returns the directives named name among a block's children.
func kidsNamed(block *syntax.Directive, name string) []*syntax.Directive {
	if block == nil {
		return nil // the top level of a file: no block to look in
	}
	var out []*syntax.Directive
	for _, d := range block.Children() {
		if d.Name.Value == name {
			out = append(out, d)
		}
	}
	return out
}

// topNamed returns the directives named name at the top level above d (the
// http context of a fragment).
func topNamed(p *analysis.Pass, d *syntax.Directive, name string) []*syntax.Directive {
	for d.Parent != nil {
		d = d.Parent
	}
	f := p.Config.FileOf(d)
	var out []*syntax.Directive
	for _, l := range p.Config.Named(name) {
		if l.Dir.Parent == nil && l.File == f {
			out = append(out, l.Dir)
		}
	}
	return out
}

// settled reports whether the value of a single-valued setting that applies
// to directive d is certain: written at d's own level (an include there
// could only repeat it, which nginx refuses), or no include that could not
// be read lies at that level or above it (Config.Incomplete), where it
// could set it.
func settled(p *analysis.Pass, d *syntax.Directive, name string) bool {
	if e := p.Config.Effective(d, name); e != nil && e.Parent == d.Parent {
		return true
	}
	return !p.Config.Incomplete(d.Parent)
}

// flagOn reports whether an on|off directive is on for a block, with
// nginx's default for the target version when it is absent.
func flagOn(p *analysis.Pass, block *syntax.Directive, name string) bool {
	if d := p.Config.Effective(block, name); d != nil {
		return len(d.Args) == 1 && d.Args[0].Value == "on"
	}
	def, _ := config.Default(name, p.Settings.Nginx)
	return len(def) == 1 && def[0] == "on"
}

var addHeaderInheritSince = config.MustVersion("1.29.3")

// addHeaderInherit is the effective add_header_inherit mode of a block:
// "on" (nginx's all-or-nothing inheritance), "off" or "merge".
func addHeaderInherit(p *analysis.Pass, block *syntax.Directive) string {
	if !p.Settings.Nginx.AtLeast(addHeaderInheritSince) {
		return "on"
	}
	if d := p.Config.Effective(block, "add_header_inherit"); d != nil && len(d.Args) == 1 {
		return d.Args[0].Value
	}
	return "on"
}

// effectiveHeaders returns the add_header directives that apply to a
// block: its own, else the nearest level's, and with `add_header_inherit
// merge` its own followed by its parent's.
func effectiveHeaders(p *analysis.Pass, block *syntax.Directive) []*syntax.Directive {
	// Without add_header_inherit anywhere, nginx's all-or-nothing rule is
	// the configuration's indexed lookup (an http block of 3,000 servers
	// is not scanned once per server).
	if !p.Settings.Nginx.AtLeast(addHeaderInheritSince) || len(p.Config.Named("add_header_inherit")) == 0 {
		return p.Config.EffectiveAll(block, "add_header")
	}
	own := kidsNamed(block, "add_header")
	switch addHeaderInherit(p, block) {
	case "off":
		return own
	case "merge":
		return append(own, inheritedHeaders(p, block)...)
	}
	if len(own) > 0 {
		return own
	}
	return inheritedHeaders(p, block)
}

// inheritedHeaders are the add_header directives in effect one level above.
func inheritedHeaders(p *analysis.Pass, block *syntax.Directive) []*syntax.Directive {
	if block.Parent != nil && (!p.Settings.Nginx.AtLeast(addHeaderInheritSince) || len(p.Config.Named("add_header_inherit")) == 0) {
		return p.Config.EffectiveAll(block.Parent, "add_header")
	}
	if block.Parent == nil {
		return topNamed(p, block, "add_header")
	}
	return effectiveHeaders(p, block.Parent)
}

// headerName returns the header an add_header or more_set_headers argument
// sets, and its value.
func headerName(d *syntax.Directive) []headerArg {
	switch d.Name.Value {
	case "add_header":
		if len(d.Args) >= 2 {
			return []headerArg{{d.Args[0].Value, d.Args[1].Value, d.Args[1]}}
		}
	case "more_set_headers":
		// more_set_headers [-s STATUS] [-t TYPE] "Name: value" ...
		var out []headerArg
		for i := 0; i < len(d.Args); i++ {
			a := d.Args[i]
			if a.Value == "-s" || a.Value == "-t" {
				i++
				continue
			}
			name, value, _ := strings.Cut(a.Value, ":")
			out = append(out, headerArg{strings.TrimSpace(name), strings.TrimSpace(value), a})
		}
		return out
	}
	return nil
}

type headerArg struct {
	name, value string
	word        *syntax.Word
}

const stsHeader = "Strict-Transport-Security"

// stsIn returns the first directive of ds that sets Strict-Transport-Security.
func stsIn(ds []*syntax.Directive) *syntax.Directive {
	for _, d := range ds {
		for _, h := range headerName(d) {
			if strings.EqualFold(h.name, stsHeader) {
				return d
			}
		}
	}
	return nil
}

// moreSetSTS returns a more_set_headers that sets HSTS for a block: those
// directives (headers-more module) accumulate across levels.
func moreSetSTS(p *analysis.Pass, block *syntax.Directive) *syntax.Directive {
	if len(p.Config.Named("more_set_headers")) == 0 {
		return nil
	}
	for b := block; b != nil; b = b.Parent {
		if d := stsIn(kidsNamed(b, "more_set_headers")); d != nil {
			return d
		}
		if b.Parent == nil {
			return stsIn(topNamed(p, b, "more_set_headers"))
		}
	}
	return nil
}

// hasSTS reports whether responses of a block carry HSTS.
func hasSTS(p *analysis.Pass, block *syntax.Directive) bool {
	return stsIn(effectiveHeaders(p, block)) != nil || moreSetSTS(p, block) != nil
}

// blockIndent is the indentation of a new first line in a block, as
// insertFirst computes it.
func blockIndent(f *syntax.File, block *syntax.Directive) string {
	if kids := block.Block.Directives; len(kids) > 0 && lineBlankBefore(f, kids[0].Start()) {
		return f.Indent(kids[0].Start())
	}
	return f.Indent(block.Start()) + "    "
}

// insertLinesFirst adds several directives at the top of a block.
func insertLinesFirst(f *syntax.File, block *syntax.Directive, lines ...string) analysis.TextEdit {
	return insertFirst(f, block, strings.Join(lines, newline(f)+blockIndent(f, block)))
}

// insertLinesAfter adds several directives after d, one per line.
func insertLinesAfter(f *syntax.File, d *syntax.Directive, lines ...string) analysis.TextEdit {
	return insertAfter(f, d, strings.Join(lines, newline(f)+f.Indent(d.Start())))
}

// serverBlocks are a server and the blocks nested in it that can hold
// request-level directives (locations, ifs, limit_except).
func serverBlocks(s *config.Server) []*syntax.Directive {
	return append([]*syntax.Directive{s.Block}, config.Descendants(s.Block)...)
}

// inServer reports a directive inside one of the configuration's servers
// (a server block misplaced elsewhere is not one: no per-server check sees
// it, so the whole-configuration checks must).
func inServer(p *analysis.Pass, d *syntax.Directive) bool { return p.Config.ServerOf(d) != nil }

// namedOutsideServers are the directives of the given names outside every
// server; namedInServer those inside one server. A rule split into Run and
// RunServer judges each part once.
func namedOutsideServers(p *analysis.Pass, names ...string) []config.Located {
	var out []config.Located
	for _, l := range p.Config.Named(names...) {
		if !inServer(p, l.Dir) {
			out = append(out, l)
		}
	}
	return out
}

func namedInServer(p *analysis.Pass, s *config.Server, names ...string) []config.Located {
	var out []config.Located
	syntax.Walk(s.Block.Children(), func(d *syntax.Directive) bool {
		if !d.InEntryBlock() && slices.Contains(names, d.Name.Value) {
			out = append(out, config.Located{File: p.Config.FileOf(d), Dir: d})
		}
		return true
	})
	return out
}

// hasVar reports a value nginx expands at run time.
func hasVar(v string) bool { return strings.Contains(v, "$") }

// literalNames are a server's server_name values that name one host (no
// regex, no catch-all "_" or empty name).
func literalNames(p *analysis.Pass, s *config.Server) []*syntax.Word {
	var out []*syntax.Word
	for _, d := range kidsNamed(s.Block, "server_name") {
		for _, a := range d.Args {
			v := a.Value
			if v == "" || v == "_" || strings.HasPrefix(v, "~") || hasVar(v) || strings.ContainsAny(v, " /") {
				continue
			}
			out = append(out, a)
		}
	}
	return out
}
