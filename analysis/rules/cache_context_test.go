package rules_test

import (
	"context"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

func cachedVsFresh(t *testing.T, s analysis.Settings, texts ...string) {
	t.Helper()
	cache := &analysis.Cache{}
	for i, text := range texts {
		got := cache.Analyze(context.Background(), config.Load(syntax.Parse("/etc/nginx/nginx.conf", []byte(text))), rules.All, s)
		want := analysis.Analyze(config.Load(syntax.Parse("/etc/nginx/nginx.conf", []byte(text))), rules.All, s)
		if g, w := render(got), render(want); g != w {
			r, c := cache.Servers()
			t.Fatalf("analysis %d (reused %d, checked %d):\n--- with the cache:\n%s\n--- fresh:\n%s", i, r, c, g, w)
		}
	}
}

// Two servers with the same text, one in http and one in stream, have
// different findings: the cache must not give one the other's.
func TestCacheSameTextHTTPAndStream(t *testing.T) {
	srv := "    server {\n        listen 443 ssl;\n        ssl_certificate a.pem;\n        ssl_certificate_key a.key;\n    }\n"
	text := "events {}\nhttp {\n" + srv + "}\nstream {\n" + srv + "}\n"
	cachedVsFresh(t, analysis.DefaultSettings(), text, text)
}

// Same text in two contexts, with the stream one first: the servers trade
// places between analyses while the outside text stays the same.
func TestCacheServersSwapContexts(t *testing.T) {
	a := "    server {\n        listen 443 ssl;\n        ssl_protocols TLSv1;\n    }\n"
	b := "    server {\n        listen 443 ssl;\n        ssl_protocols TLSv1.2;\n    }\n"
	t1 := "events {}\nhttp {\n    ssl_ciphers HIGH;\n" + a + "}\nstream {\n" + b + "}\n"
	t2 := "events {}\nhttp {\n    ssl_ciphers HIGH;\n" + b + "}\nstream {\n" + a + "}\n"
	cachedVsFresh(t, analysis.DefaultSettings(), t1, t2)
}

// Two analyses of the same tree through one Cache at once, as the
// language server may run them; run with -race.
func TestCacheConcurrent(t *testing.T) {
	site := "server {\n    listen 443 ssl;\n    server_name a;\n    ssl_protocols TLSv1;\n    ssl_ciphers RC4:HIGH;\n    location / { proxy_pass http://b; }\n}\n"
	fs := config.MemFS{
		"/etc/nginx/nginx.conf":   []byte("events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.2;\n    include sites/*.conf;\n}\n"),
		"/etc/nginx/sites/a.conf": []byte(site + site + site),
	}
	cache := &analysis.Cache{}
	done := make(chan string)
	for g := 0; g < 4; g++ {
		go func() {
			var last string
			for i := 0; i < 30; i++ {
				cfg, _ := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
				last = render(cache.Analyze(context.Background(), cfg, rules.All, analysis.DefaultSettings()))
			}
			done <- last
		}()
	}
	cfg := loadTree(t, fs)
	want := render(analysis.Analyze(cfg, rules.All, analysis.DefaultSettings()))
	for g := 0; g < 4; g++ {
		if got := <-done; got != want {
			t.Errorf("concurrent cached analysis differs:\n%s\n--- fresh:\n%s", got, want)
		}
	}
}

// A server block the model does not collect (misplaced in a location) gets
// no per-server check: its weak values are judged with the rest.
func TestUncollectedServerValues(t *testing.T) {
	text := "http {\n    location /x {\n        server {\n            listen 443 ssl;\n            ssl_protocols SSLv3 TLSv1.2;\n        }\n    }\n}\n"
	r := analysis.Analyze(config.Load(syntax.Parse("/etc/nginx/nginx.conf", []byte(text))), rules.All, analysis.DefaultSettings())
	for _, d := range r.Diagnostics {
		if d.Rule == "tls-protocol-sslv3" {
			return
		}
	}
	t.Errorf("SSLv3 not reported:\n%s", render(r))
}

// A context declaration typed into one server of a fragment must not change
// what the others are judged in (it counts only outside blocks).
func TestCacheContextDeclarationInServer(t *testing.T) {
	a := "server {\n    listen 80;\n    proxy_pass http://a;\n}\n"
	b := "server {\n    listen 81;\n    proxy_pass http://b;\n}\n"
	declared := "server {\n    # nginxls: context http\n    listen 80;\n    proxy_pass http://a;\n}\n"
	cachedVsFresh(t, analysis.DefaultSettings(), a+b, declared+b, a+b, "# nginxls: context http\n"+a+b, a+b)
}
