package rules_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
	"github.com/nginxls/nginxls/internal/testenv"
)

// An analysis that reuses the previous one's per-server findings must find
// exactly what a fresh analysis finds, edit after edit: random edits, most
// of them inside server blocks (where findings are reused and moved), some
// outside (where the cache must be dropped), on every rule's test
// configurations and on a generated one. Now and then the settings change
// too, one field at a time: a field the cache's key forgot would keep the
// findings of the previous settings.
func TestCacheMatchesFreshAnalysis(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "*", "*.conf"))
	texts := map[string][]byte{"generated.conf": synthtest.GenerateTLSConfig(30)}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[filepath.Base(filepath.Dir(p))+"/"+filepath.Base(p)] = b
	}
	edits := 40
	if testing.Short() {
		edits = 10
	}
	variants := settingsVariants(t)
	reused := 0
	for name, text := range texts {
		rng := rand.New(rand.NewPCG(1, uint64(len(text))))
		cache := &analysis.Cache{}
		settings := analysis.DefaultSettings()
		for i := 0; i <= edits; i++ {
			if i > 0 {
				text = randomEdit(rng, text)
			}
			if rng.IntN(5) == 0 {
				settings = variants[rng.IntN(len(variants))]
			}
			f := syntax.Parse("/etc/nginx/"+filepath.Base(name), text)
			got := cache.Analyze(context.Background(), config.Load(f), rules.All, settings)
			want := analysis.Analyze(config.Load(syntax.Parse(f.Name, text)), rules.All, settings)
			if g, w := render(got), render(want); g != w {
				t.Fatalf("%s after %d edits, settings %+v:\n%s\n--- with the cache:\n%s\n--- fresh:\n%s", name, i, settings, text, g, w)
			}
			for _, err := range want.Errors { // no rule may fail on a half-typed file
				t.Fatalf("%s after %d edits:\n%s\n%v", name, i, text, err)
			}
			n, _ := cache.Servers()
			reused += n
		}
	}
	if reused < 1000 {
		t.Errorf("only %d servers were reused: the test does not exercise the cache", reused)
	}
	t.Logf("%d servers reused", reused)
}

// settingsVariants are the default settings and, for every field of
// Settings, a variant that changes it alone in a way that changes what the
// per-server rules find. A field added to Settings fails the test until it
// is given one here (and, for the test to pass, a place in the cache's key).
func settingsVariants(t *testing.T) []analysis.Settings {
	def := analysis.DefaultSettings()
	vary := map[string]func(*analysis.Settings){
		"Nginx":           func(s *analysis.Settings) { s.Nginx = config.MustVersion("1.22.1") },
		"OpenSSL":         func(s *analysis.Settings) { s.OpenSSL = "1.0.2" },
		"Profile":         func(s *analysis.Settings) { s.Profile = "old" },
		"Platform":        func(s *analysis.Settings) { s.Platform = "debian-12" },
		"SystemLevel":     func(s *analysis.Settings) { s.SystemLevel, s.SystemLevelFrom = 3, "/etc/ssl/openssl.cnf" },
		"SystemLevelFrom": func(s *analysis.Settings) { s.SystemLevelFrom = "/etc/ssl/openssl.cnf" },
		"CertExpiryDays":  func(s *analysis.Settings) { s.CertExpiryDays = 5000 },
		"Rules": func(s *analysis.Settings) {
			s.Rules = map[string]analysis.Severity{"tls-cipher-rc4": analysis.Off, "hsts-missing": analysis.Off, "tls-protocol-legacy-tls": analysis.Error}
		},
	}
	out := []analysis.Settings{def}
	st := reflect.TypeFor[analysis.Settings]()
	for i := range st.NumField() {
		name := st.Field(i).Name
		fn := vary[name]
		if fn == nil {
			t.Fatalf("no variant of Settings.%s: add one to settingsVariants", name)
		}
		s := def
		fn(&s)
		out = append(out, s)
	}
	return out
}

// The same through includes: a site file edited, its servers reused, the
// main file's context unchanged.
func TestCacheMatchesFreshAnalysisTree(t *testing.T) {
	site := synthtest.GenerateTLSConfig(12)
	site = site[len("events {}\nhttp {\n") : len(site)-len("}\n")]
	fs := config.MemFS{
		"/etc/nginx/nginx.conf":      []byte("events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.2;\n    include sites/*.conf;\n    server {\n        listen 80;\n        include snippets/x.conf;\n    }\n}\n"),
		"/etc/nginx/snippets/x.conf": []byte("return 301 https://$host$request_uri;\n"),
	}
	rng := rand.New(rand.NewPCG(2, 3))
	cache := &analysis.Cache{}
	reused := 0
	for i := 0; i <= 40; i++ {
		if i > 0 {
			site = randomEdit(rng, site)
		}
		fs["/etc/nginx/sites/a.conf"] = site
		cfg := loadTree(t, fs)
		got := cache.Analyze(context.Background(), cfg, rules.All, analysis.DefaultSettings())
		cfg2 := loadTree(t, fs)
		want := analysis.Analyze(cfg2, rules.All, analysis.DefaultSettings())
		if g, w := render(got), render(want); g != w {
			t.Fatalf("after %d edits:\n%s\n--- with the cache:\n%s\n--- fresh:\n%s", i, site, g, w)
		}
		n, _ := cache.Servers()
		reused += n
	}
	if reused < 100 {
		t.Errorf("only %d servers were reused: the test does not exercise the cache", reused)
	}
}

// A server without a certificate is offered the certificate of another
// server of its name: when that one changes, the finding must not keep the
// old suggestion (it is made outside the cache, by the rule's Run).
func TestCacheSeesOtherServers(t *testing.T) {
	const text = "events {}\nhttp {\n" +
		"    server { listen 443 ssl; server_name a.example; ssl_certificate /etc/CERT.pem; ssl_certificate_key /etc/a.key; }\n" +
		"    server { listen 443 ssl; server_name a.example; }\n}\n"
	cache := &analysis.Cache{}
	for _, cert := range []string{"one", "two", "three"} {
		src := []byte(strings.Replace(text, "CERT", cert, 1))
		got := cache.Analyze(context.Background(), config.Load(syntax.Parse("/etc/nginx/nginx.conf", src)), rules.All, analysis.DefaultSettings())
		want := analysis.Analyze(config.Load(syntax.Parse("/etc/nginx/nginx.conf", src)), rules.All, analysis.DefaultSettings())
		if g, w := render(got), render(want); g != w {
			t.Fatalf("certificate %s:\n--- with the cache:\n%s\n--- fresh:\n%s", cert, g, w)
		}
		if !strings.Contains(render(got), "/etc/"+cert+".pem") {
			t.Fatalf("certificate %s: the certificate-less server is not offered it:\n%s", cert, render(got))
		}
	}
}

// Fixes take their line breaks from the file's first line and their
// indentation from the line a directive starts on: an edit there, even in
// another server, changes a reused server's fix.
func TestCacheSeesLayout(t *testing.T) {
	for _, tc := range []struct{ name, v1, v2 string }{
		{"line break", "http { server {\r\n    listen 443 ssl;\r\n    server_name a.example;\r\n}\r\nserver {\r\n    listen 443 ssl;\r\n    server_name b.example;\r\n}\r\n}\r\n",
			"http { server {\n    listen 443 ssl;\r\n    server_name a.example;\r\n}\r\nserver {\r\n    listen 443 ssl;\r\n    server_name b.example;\r\n}\r\n}\r\n"},
		{"indentation", "http {\nserver {\n    listen 80;\n    } server { listen 443 ssl; }\n}\n",
			"http {\nserver {\n    listen 80;\n  } server { listen 443 ssl; }\n}\n"},
	} {
		cache := &analysis.Cache{}
		for _, text := range []string{tc.v1, tc.v2} {
			src := []byte(text)
			got := cache.Analyze(context.Background(), config.Load(syntax.Parse("/etc/nginx/nginx.conf", src)), rules.All, analysis.DefaultSettings())
			want := analysis.Analyze(config.Load(syntax.Parse("/etc/nginx/nginx.conf", src)), rules.All, analysis.DefaultSettings())
			if g, w := render(got), render(want); g != w {
				t.Fatalf("%s:\n--- with the cache:\n%s\n--- fresh:\n%s", tc.name, g, w)
			}
		}
	}
}

// randomEdit inserts, deletes or replaces a little text, three times in four
// inside a server block.
func randomEdit(rng *rand.Rand, text []byte) []byte {
	pos := rng.IntN(len(text) + 1)
	if rng.IntN(4) > 0 {
		if i := strings.Index(string(text[pos:]), "server {"); i >= 0 {
			pos += i + len("server {") + rng.IntN(40)
			pos = min(pos, len(text))
		}
	}
	pieces := []string{"x", " ", ";", "\n", "#", "TLSv1 ", "RC4:", "ssl_protocols TLSv1.3;", "listen 443 ssl;", "}", "{", "'", "location / { proxy_pass http://a; }",
		"server_name a.example;", "ssl_certificate /etc/a.pem; ssl_certificate_key /etc/a.key;",
		`add_header Strict-Transport-Security "max-age=100";`, "location /x { add_header X-A b; }", "proxy_pass https://a.example;"}
	out := append([]byte(nil), text[:pos]...)
	switch rng.IntN(3) {
	case 0: // insert
		out = append(out, pieces[rng.IntN(len(pieces))]...)
		out = append(out, text[pos:]...)
	case 1: // delete
		out = append(out, text[min(len(text), pos+1+rng.IntN(8)):]...)
	default: // replace
		out = append(out, pieces[rng.IntN(len(pieces))]...)
		out = append(out, text[min(len(text), pos+1+rng.IntN(8)):]...)
	}
	return out
}

// render writes down everything a finding carries.
func render(r analysis.Result) string {
	var b strings.Builder
	span := func(f *syntax.File, s syntax.Span) string {
		if f == nil {
			return fmt.Sprintf("<nil>:%d-%d", s.Start, s.End)
		}
		return fmt.Sprintf("%s:%d-%d", f.Name, s.Start, s.End)
	}
	for _, d := range r.Diagnostics {
		fmt.Fprintf(&b, "%s %s %s %q %v\n", span(d.File, d.Span), d.Rule, d.Severity, d.Message, d.Tags)
		for _, fx := range d.Fixes {
			fmt.Fprintf(&b, "  fix %q unsafe=%t\n", fx.Title, fx.Unsafe)
			for _, e := range fx.Edits {
				fmt.Fprintf(&b, "    %s %q\n", span(e.File, e.Span), e.NewText)
			}
		}
		for _, rel := range d.Related {
			fmt.Fprintf(&b, "  related %s %q\n", span(rel.File, rel.Span), rel.Message)
		}
	}
	for _, s := range r.Suppressed {
		fmt.Fprintf(&b, "suppressed %s %s\n", span(s.File, s.Span), s.Rule)
	}
	for _, err := range r.Errors {
		fmt.Fprintf(&b, "error %v\n", err)
	}
	return b.String()
}
