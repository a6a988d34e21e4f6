package directives

import (
	"strings"
	"testing"
)

func TestTableSanity(t *testing.T) {
	if n := len(All()); n < 900 {
		t.Fatalf("only %d directives", n)
	}
	seen := map[string]bool{}
	for _, d := range All() {
		key := d.Module + " " + d.Name
		if seen[key] {
			t.Errorf("%s defined twice in %s", d.Name, d.Module)
		}
		seen[key] = true
		if d.Contexts == 0 {
			t.Errorf("%s: no context", d.Name)
		}
		if d.Args == 0 {
			t.Errorf("%s: no argument rule", d.Name)
		}
		if !strings.HasPrefix(d.URL, "https://") || !strings.HasSuffix(d.URL, "#"+d.Name) {
			t.Errorf("%s: bad URL %q", d.Name, d.URL)
		}
		if !d.ThirdParty && !strings.HasPrefix(d.URL, "https://nginx.org/en/docs/") {
			t.Errorf("%s: nginx directive documented off nginx.org: %s", d.Name, d.URL)
		}
		if len(d.Syntax) == 0 || !strings.HasPrefix(d.Syntax[0], d.Name) {
			t.Errorf("%s: bad syntax %q", d.Name, d.Syntax)
		}
		for _, s := range d.Syntax {
			if d.Block != strings.HasSuffix(s, "{ ... }") {
				t.Errorf("%s: syntax %q disagrees with Block=%v", d.Name, s, d.Block)
			}
		}
		if d.Module == "" || !strings.HasSuffix(d.Module, "_module") {
			t.Errorf("%s: bad module %q", d.Name, d.Module)
		}
	}
	// Variants of one name must not overlap: LookupIn would be ambiguous.
	for _, name := range Names() {
		var union Context
		for _, d := range Variants(name) {
			if union&d.Contexts != 0 {
				t.Errorf("%s: variants overlap in %s", name, union&d.Contexts)
			}
			union |= d.Contexts
		}
	}
}

func mustLookup(t *testing.T, name string) *Directive {
	t.Helper()
	d, ok := Lookup(name)
	if !ok {
		t.Fatalf("%s not found", name)
	}
	return d
}

func TestWellKnownFacts(t *testing.T) {
	d := mustLookup(t, "ssl_protocols")
	if d.Contexts != HTTP|Server || d.Block || d.ArgsOK(0) || !d.ArgsOK(1) || !d.ArgsOK(4) || d.Args.String() != "1+" {
		t.Errorf("ssl_protocols: %v block=%v args=%s", d.Contexts, d.Block, d.Args)
	}
	if d.Module != "ngx_http_ssl_module" || d.URL != "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_protocols" {
		t.Errorf("ssl_protocols: %s %s", d.Module, d.URL)
	}
	if d.Default != "TLSv1.2 TLSv1.3" || !strings.Contains(d.Syntax[0], "[TLSv1.3]") {
		t.Errorf("ssl_protocols: default %q syntax %q", d.Default, d.Syntax)
	}

	d = mustLookup(t, "ssl_ciphers")
	if d.ArgsOK(0) || !d.ArgsOK(1) || d.ArgsOK(2) || d.Args.Min() != 1 || d.Args.Max() != 1 {
		t.Errorf("ssl_ciphers: args %s", d.Args)
	}

	d = mustLookup(t, "location")
	if !d.Block || d.Contexts != Server|Location || d.Args.String() != "1-2" || d.Opaque() {
		t.Errorf("location: %v", d)
	}

	d = mustLookup(t, "sendfile")
	if d.Block || !d.IsFlag() || !d.ArgsOK(1) || d.ArgsOK(2) || !d.AllowedIn(LocationIf) {
		t.Errorf("sendfile: %v", d)
	}

	d = mustLookup(t, "include")
	if d.Contexts != Any || d.Contexts.String() != "any" {
		t.Errorf("include: %v", d.Contexts)
	}

	if d := mustLookup(t, "types"); !d.Block || !d.Opaque() {
		t.Errorf("types: %v", d)
	}
	if d := mustLookup(t, "content_by_lua_block"); !d.Block || !d.Opaque() || !d.ThirdParty || d.Contexts != Location|LocationIf {
		t.Errorf("content_by_lua_block: %v", d)
	}
	if d := mustLookup(t, "error_log"); d.Contexts != Main || d.URL != "https://nginx.org/en/docs/ngx_core_module.html#error_log" {
		t.Errorf("error_log: %v", d)
	}
	if d, ok := LookupIn("error_log", StreamServer); !ok || d.Module != "ngx_stream_core_module" || !strings.HasSuffix(d.URL, "ngx_core_module.html#error_log") {
		t.Errorf("error_log in stream server: %v", d)
	}
	if d := mustLookup(t, "worker_connections"); d.Contexts != Events {
		t.Errorf("worker_connections: %v", d)
	}
	if d := mustLookup(t, "return"); d.Contexts != Server|Location|ServerIf|LocationIf || d.Args.String() != "1-2" {
		t.Errorf("return: %v", d)
	}
	if d := mustLookup(t, "more_set_headers"); !d.ThirdParty || !strings.Contains(d.URL, "headers-more") {
		t.Errorf("more_set_headers: %v", d)
	}
	if d := mustLookup(t, "api"); !d.Plus {
		t.Errorf("api should be NGINX Plus: %v", d)
	}
	if d := mustLookup(t, "ssl_certificate_cache"); d.Since != "1.27.4" || d.Args.String() != "1-3" {
		t.Errorf("ssl_certificate_cache: %v since %s", d, d.Since)
	}
}

func TestServerVariants(t *testing.T) {
	vs := Variants("server")
	if len(vs) != 5 {
		t.Fatalf("server: %d variants, want http, upstream, stream, stream upstream, mail", len(vs))
	}
	for _, c := range []struct {
		ctx    Context
		module string
		block  bool
	}{
		{HTTP, "ngx_http_core_module", true},
		{Stream, "ngx_stream_core_module", true},
		{Mail, "ngx_mail_core_module", true},
		{Upstream, "ngx_http_upstream_module", false},
		{StreamUpstream, "ngx_stream_upstream_module", false},
	} {
		d, ok := LookupIn("server", c.ctx)
		if !ok || d.Module != c.module || d.Block != c.block {
			t.Errorf("server in %s: %v", c.ctx, d)
			continue
		}
		if c.block && !d.ArgsOK(0) {
			t.Errorf("server block in %s takes no arguments: %s", c.ctx, d.Args)
		}
		if !c.block && (d.ArgsOK(0) || !d.ArgsOK(3)) {
			t.Errorf("server in %s takes an address and parameters: %s", c.ctx, d.Args)
		}
	}
	if _, ok := LookupIn("server", Location); ok {
		t.Error("server allowed in location")
	}
	if d, _ := Lookup("server"); d.Module != "ngx_http_core_module" {
		t.Errorf("Lookup(server) = %v, want the http block first", d)
	}
	if !Allowed("server", Upstream) || Allowed("server", Location) {
		t.Error("Allowed(server)")
	}
}

func TestArgs(t *testing.T) {
	for _, c := range []struct {
		a        Args
		str      string
		min, max int
		ok, bad  []int
	}{
		{NoArgs, "0", 0, 0, []int{0}, []int{1}},
		{Take1, "1", 1, 1, []int{1}, []int{0, 2}},
		{Take1 | Take2, "1-2", 1, 2, []int{1, 2}, []int{0, 3}},
		{Take1 | Take3, "1|3", 1, 3, []int{1, 3}, []int{2, 4}},
		{NoArgs | Take1, "0-1", 0, 1, []int{0, 1}, []int{2}},
		{Flag, "flag", 1, 1, []int{1}, []int{0, 2}},
		{OneOrMore, "1+", 1, -1, []int{1, 9, 20}, []int{0}},
		{TwoOrMore, "2+", 2, -1, []int{2, 30}, []int{0, 1}},
		{AnyArgs, "any", 0, -1, []int{0, 1, 40}, []int{-1}},
		{Take7, "7", 7, 7, []int{7}, []int{8}},
	} {
		if s := c.a.String(); s != c.str {
			t.Errorf("%#x: String %q, want %q", uint16(c.a), s, c.str)
		}
		if c.a.Min() != c.min || c.a.Max() != c.max {
			t.Errorf("%s: min %d max %d", c.str, c.a.Min(), c.a.Max())
		}
		for _, n := range c.ok {
			if !c.a.OK(n) {
				t.Errorf("%s rejects %d", c.str, n)
			}
		}
		for _, n := range c.bad {
			if c.a.OK(n) {
				t.Errorf("%s accepts %d", c.str, n)
			}
		}
	}
}

func TestContext(t *testing.T) {
	if s := (HTTP | Server | LocationIf).String(); s != "http|server|lif" {
		t.Errorf("String = %q", s)
	}
	for _, n := range contextNames {
		if c, ok := ParseContext(n.name); !ok || c != n.ctx {
			t.Errorf("ParseContext(%q)", n.name)
		}
	}
	if _, ok := ParseContext("nowhere"); ok {
		t.Error("ParseContext accepted nowhere")
	}
	for _, c := range []struct {
		name   string
		parent Context
		want   Context
	}{
		{"http", Main, HTTP}, {"server", HTTP, Server}, {"server", Stream, StreamServer},
		{"server", Mail, MailServer}, {"server", Upstream, 0}, {"if", Location, LocationIf},
		{"if", Server, ServerIf}, {"upstream", Stream, StreamUpstream}, {"location", Location, Location},
		{"types", HTTP, 0},
	} {
		if got := BlockContext(c.name, c.parent); got != c.want {
			t.Errorf("BlockContext(%s, %s) = %s, want %s", c.name, c.parent, got, c.want)
		}
	}
}

func TestBlockContextsHoldTheirDirectives(t *testing.T) {
	// Every block that opens a context must itself be a known block
	// directive allowed in the parent.
	for _, c := range []struct {
		name   string
		parent Context
	}{
		{"events", Main}, {"http", Main}, {"stream", Main}, {"mail", Main},
		{"server", HTTP}, {"server", Stream}, {"server", Mail}, {"location", Server},
		{"location", Location}, {"if", Server}, {"if", Location}, {"limit_except", Location},
		{"upstream", HTTP}, {"upstream", Stream},
	} {
		d, ok := LookupIn(c.name, c.parent)
		if !ok || !d.Block {
			t.Errorf("%s in %s: %v", c.name, c.parent, d)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, line := range []string{
		"x\tm\thttp\ttake1\t\t\t\tu",        // 8 fields
		"x\tm\tnowhere\ttake1\t\t\t\tu\t",   // context
		"x\tm\thttp\ttake9\t\t\t\tu\t",      // flag
		"x\tm\thttp\ttake1\t\t\t\tu\tshiny", // tag
	} {
		if _, err := parse(line); err == nil {
			t.Errorf("parse(%q) succeeded", line)
		}
	}
}
