package main

import (
	"strings"
	"testing"
)

func TestContextBits(t *testing.T) {
	for _, c := range []struct {
		mtype, typ uint64
		want       string
	}{
		// sendfile: NGX_HTTP_MAIN_CONF|SRV|LOC|LIF|NGX_CONF_FLAG
		{typeHTTP, 0x4e000200, "http,server,location,lif"},
		// server in upstream: NGX_HTTP_UPS_CONF|NGX_CONF_1MORE
		{typeHTTP, 0x10000800, "upstream"},
		{typeStream, 0x08000800, "stream_upstream"},
		{typeMail, 0x06000800, "mail,mail_server"},
		{typeCore, 0x01010200, "main"},
		{typeEvent, 0x02000002, "events"},
		// include: NGX_ANY_CONF
		{typeConf, 0xff000002, "any"},
	} {
		got, err := contexts(c.mtype, c.typ)
		if err != nil || strings.Join(got, ",") != c.want {
			t.Errorf("contexts(%#x, %#x) = %v, %v; want %s", c.mtype, c.typ, got, err, c.want)
		}
	}
	if _, err := contexts(typeHTTP, 0x00000002); err == nil {
		t.Error("a command without context bits was accepted")
	}
	if got := strings.Join(args(0x0106), ","); got != "take1,take2,block" {
		t.Errorf("args = %s", got)
	}
}

func TestDocModule(t *testing.T) {
	for in, want := range map[string]string{
		"ngx_http_gzip_filter_module":     "ngx_http_gzip_module",
		"ngx_http_upstream_hash_module":   "ngx_http_upstream_module",
		"ngx_http_upstream_fair_module":   "ngx_http_upstream_fair_module",
		"ngx_stream_upstream_zone_module": "ngx_stream_upstream_module",
		"ngx_errlog_module":               "ngx_core_module",
		"ngx_http_brotli_filter_module":   "ngx_http_brotli_filter_module",
		"ngx_http_ssl_module":             "ngx_http_ssl_module",
	} {
		if got := docModule(in, "x"); got != want {
			t.Errorf("docModule(%s) = %s, want %s", in, got, want)
		}
	}
	if got := docModule("ngx_http_core_module", "gzip_vary"); got != "ngx_http_gzip_module" {
		t.Errorf("gzip_vary is documented with gzip, not %s", got)
	}
}

func TestMerge(t *testing.T) {
	cmds := []*cmdRow{
		{name: "a", module: "m", contexts: "http", flags: "take1"},
		{name: "b", module: "m", contexts: "http", flags: "flag"},
	}
	docs := []*docRow{
		{module: "m", url: "https://nginx.org/en/docs/m.html#", name: "a", line: 1},
		{module: "m", url: "https://nginx.org/en/docs/m.html#", name: "c", line: 2, contexts: "server", flags: "take2,take1"},
		{module: "m", url: "https://nginx.org/en/docs/m.html#", name: "d", line: 3},
		{module: "m", url: "https://nginx.org/en/docs/m.html#", name: "e", line: 4, tags: []string{"doc=ngx_core_module"}, contexts: "nowhere", flags: "take1"},
	}
	rows, problems := merge(docs, cmds)
	if len(rows) != 2 || rows[0].flags != "take1" || rows[1].flags != "take1,take2" {
		t.Errorf("rows = %+v", rows)
	}
	want := []string{"d (m): no compiled command", "unknown context \"nowhere\"", "b (m): no docs row"}
	if len(problems) != len(want) {
		t.Fatalf("problems = %q", problems)
	}
	for i, w := range want {
		if !strings.Contains(problems[i], w) {
			t.Errorf("problem %d = %q, want %q", i, problems[i], w)
		}
	}
}
