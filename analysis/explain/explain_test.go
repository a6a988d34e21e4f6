package explain_test

import (
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/explain"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

const conf = `http {
    ssl_protocols TLSv1 TLSv1.2;
    server {
        listen 443 ssl;
        ssl_ecdh_curve X25519:secp192r1;
        ssl_early_data on;
        ssl_protocols TLSv1.3;
        ssl_protocols TLSv1.2 TLSv1.3;
    }
    ssl_ciphers HIGH:!aNULL:RC4-SHA;
    upstream app {
        server 127.0.0.1:8000;
    }
}
`

func hover(t *testing.T, s analysis.Settings, needle string, delta int) (string, string) {
	t.Helper()
	f := syntax.Parse("x.conf", []byte(conf))
	cfg := config.Load(f)
	diags, _ := analysis.Run(cfg, rules.All, s)
	off := strings.Index(conf, needle)
	if off < 0 {
		t.Fatalf("%q not in the config", needle)
	}
	md, span, ok := explain.At(cfg, f, off+delta, s, diags)
	if !ok {
		return "", ""
	}
	return md, f.Text(span)
}

func TestHover(t *testing.T) {
	s := analysis.DefaultSettings()
	for _, c := range []struct {
		needle string
		delta  int
		span   string
		want   []string
	}{
		// A finding's range: its rule, message and documentation.
		{"TLSv1 ", 1, "TLSv1", []string{"tls-protocol-legacy-tls", "RFC 8996", "deprecated"}},
		// A directive name: syntax, default for the target, what it does,
		// Mozilla's recommendation, context and link.
		{"ssl_protocols TLSv1 ", 2, "ssl_protocols", []string{"[SSLv2]", "Default on nginx 1.28.0: `ssl_protocols TLSv1.2 TLSv1.3;`", "Recommended (Mozilla intermediate)", "ngx_http_ssl_module.html#ssl_protocols", "Allowed in the http block or a server."}},
		// A curve inside a list: only the name under the cursor.
		{"secp192r1", 3, "secp192r1", []string{"192-bit group", "Weak:"}},
		{"X25519:", 1, "X25519", []string{"**X25519**", "255-bit"}},
		// ssl_early_data on: 0-RTT, replay, the mitigation.
		{"ssl_early_data on", 16, "on", []string{"replay", "$ssl_early_data", "425"}},
		// A repeated directive: which one is in effect.
		{"ssl_protocols TLSv1.3;", 1, "ssl_protocols", []string{"Not in effect: the later `ssl_protocols` on line 8 wins"}},
		// A cipher alias: what it enables on the target, the weak ones, and
		// the whole list.
		{"HIGH:", 1, "HIGH", []string{"OpenSSL alias", "enables", "weak or insecure", "this value enables 125"}},
		// A suite name OpenSSL 3 lacks.
		{"RC4-SHA", 1, "RC4-SHA", []string{"**RC4-SHA**", "RC4", "does not offer this suite"}},
		// server in an upstream is the upstream module's directive.
		{"server 127.0.0.1", 1, "server", []string{"ngx_http_upstream_module.html#server"}},
	} {
		md, span := hover(t, s, c.needle, c.delta)
		if span != c.span {
			t.Errorf("hover at %q: span %q, want %q", c.needle, span, c.span)
		}
		for _, w := range c.want {
			if !strings.Contains(md, w) {
				t.Errorf("hover at %q lacks %q:\n%s", c.needle, w, md)
			}
		}
	}
	// Older target: the default changes.
	old := s
	old.Nginx = config.MustVersion("1.22.1")
	if md, _ := hover(t, old, "ssl_protocols TLSv1 ", 2); !strings.Contains(md, "Default on nginx 1.22.1: `ssl_protocols TLSv1 TLSv1.1 TLSv1.2;`") {
		t.Errorf("1.22.1 default missing:\n%s", md)
	}
	// The word first, the findings after it, once each, briefly, their
	// documentation behind a link.
	if md, _ := hover(t, s, "TLSv1 ", 1); strings.Index(md, "RFC 8996") > strings.Index(md, "tls-protocol-legacy-tls") ||
		!strings.Contains(md, "](https://github.com/nginxls/nginxls/blob/main/docs/rules.md#tls-protocol-legacy-tls)") ||
		strings.Count(md, "tls-protocol-legacy-tls`]") != 1 {
		t.Errorf("hover on TLSv1 is not the protocol, then its finding:\n%s", md)
	}
	// Blank space: nothing.
	if md, _ := hover(t, s, "    server {", 1); md != "" {
		t.Errorf("hover on blanks: %q", md)
	}
}

// In a configuration loaded with its includes, hover on an included file's
// directive knows its context and what overrides it.
func TestHoverTree(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    include site.conf;\n}\n"),
		"/etc/nginx/site.conf":  []byte("server {\n    listen 443 ssl;\n    ssl_protocols TLSv1.2;\n    ssl_protocols TLSv1.3;\n}\n"),
	}
	cfg, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Files[1]
	off := strings.Index(string(f.Src), "ssl_protocols TLSv1.2") + 2
	md, _, ok := explain.At(cfg, f, off, analysis.DefaultSettings(), nil)
	if !ok || !strings.Contains(md, "Not in effect: the later `ssl_protocols` on line 4 wins") || !strings.Contains(md, "ngx_http_ssl_module") {
		t.Errorf("hover:\n%s", md)
	}
}
