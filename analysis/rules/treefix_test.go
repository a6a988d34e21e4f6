package rules_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
)

// fixTree applies every fix to a configuration spread over files, round
// after round as the command line does, and returns the files.
func fixTree(t *testing.T, fs config.MemFS, s analysis.Settings, as []*analysis.Analyzer) config.MemFS {
	t.Helper()
	for round := 0; round < 5; round++ {
		cfg := loadTree(t, fs)
		diags, errs := analysis.Run(cfg, as, s)
		for _, e := range errs {
			t.Fatal(e)
		}
		edits, _ := analysis.MergeFixes(diags)
		changed := false
		for f, es := range edits {
			out, err := analysis.ApplyEdits(f.Src, es)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, f.Src) {
				fs[filepath.Clean(f.Name)] = out
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	return fs
}

func findings(t *testing.T, fs config.MemFS, s analysis.Settings) (map[string]int, int) {
	t.Helper()
	cfg := loadTree(t, fs)
	syntaxErrors := 0
	for _, f := range cfg.Files {
		syntaxErrors += len(f.Errors)
	}
	diags, _ := analysis.Run(cfg, rules.All, s)
	out := map[string]int{}
	for _, d := range diags {
		out[d.Rule]++
	}
	return out, syntaxErrors
}

// Fixes land in the file that holds what they change, also when the
// server, its listen or the offending directive come from included files.
func TestTreeFixes(t *testing.T) {
	old := analysis.DefaultSettings()
	old.Nginx = config.MustVersion("1.22.1")
	for _, c := range []struct {
		name  string
		rules []*analysis.Analyzer // the rules whose fixes are applied
		fs    config.MemFS
		s     analysis.Settings
		gone  []string            // rules with no finding left
		check map[string][]string // file -> texts it must contain
	}{
		{
			name:  "default protocols of a server in sites/: set at http level in nginx.conf",
			rules: []*analysis.Analyzer{rules.ProtocolLegacyTLS, rules.ProtocolNoTLS13},
			fs: config.MemFS{
				"/etc/nginx/nginx.conf":   []byte("events {}\nhttp {\n    include sites/*.conf;\n}\n"),
				"/etc/nginx/sites/a.conf": []byte("server {\n    listen 443 ssl;\n}\n"),
			},
			s:    old,
			gone: []string{"tls-protocol-legacy-tls", "tls-protocol-no-tls13"},
			check: map[string][]string{
				"/etc/nginx/nginx.conf":   {"http {\n    ssl_protocols TLSv1.2 TLSv1.3;\n    include sites/*.conf;"},
				"/etc/nginx/sites/a.conf": {"server {\n    listen 443 ssl;\n}\n"},
			},
		},
		{
			name:  "listen ... http2 in a snippet: fixed in the snippet",
			rules: []*analysis.Analyzer{rules.ListenHTTP2},
			fs: config.MemFS{
				"/etc/nginx/nginx.conf":           []byte("events {}\nhttp {\n    server {\n        include snippets/listen.conf;\n        server_name a;\n    }\n}\n"),
				"/etc/nginx/snippets/listen.conf": []byte("listen 443 ssl http2;\n"),
			},
			s:    analysis.DefaultSettings(),
			gone: []string{"nginx-listen-http2-deprecated"},
			check: map[string][]string{
				"/etc/nginx/snippets/listen.conf": {"listen 443 ssl;\nhttp2 on;\n"},
				"/etc/nginx/nginx.conf":           {"        include snippets/listen.conf;\n        server_name a;"},
			},
		},
		{
			name:  "ssl on in a snippet shared by two servers: both servers' listens get ssl",
			rules: []*analysis.Analyzer{rules.SSLDirective},
			fs: config.MemFS{
				"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    server {\n        listen 443;\n        include snippets/tls.conf;\n    }\n" +
					"    server {\n        listen 8443;\n        include snippets/tls.conf;\n    }\n}\n"),
				"/etc/nginx/snippets/tls.conf": []byte("ssl on;\n"),
			},
			s:    analysis.DefaultSettings(),
			gone: []string{"nginx-ssl-directive"},
			check: map[string][]string{
				"/etc/nginx/nginx.conf":        {"listen 443 ssl;", "listen 8443 ssl;"},
				"/etc/nginx/snippets/tls.conf": {""},
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, before := findings(t, c.fs, c.s)
			fixed := fixTree(t, c.fs, c.s, c.rules)
			after, errs := findings(t, fixed, c.s)
			if errs > before {
				t.Errorf("the fixes added syntax errors")
			}
			for _, r := range c.gone {
				if after[r] != 0 {
					t.Errorf("%s still reported %d times", r, after[r])
				}
			}
			for name, wants := range c.check {
				for _, w := range wants {
					if !strings.Contains(string(fixed[name]), w) {
						t.Errorf("%s lacks %q:\n%s", name, w, fixed[name])
					}
				}
			}
		})
	}
}
