package config_test

import (
	"fmt"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
)

// tree1000 is a configuration of 1,000 files: nginx.conf, a TLS snippet and
// 998 site files of one server each, every one including the snippet.
func tree1000() config.MemFS {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    ssl_protocols TLSv1.2 TLSv1.3;\n    include sites/*.conf;\n}\n"),
		"/etc/nginx/snippets/tls.conf": []byte("ssl_session_cache shared:SSL:10m;\nssl_session_tickets off;\n" +
			"add_header Strict-Transport-Security \"max-age=63072000\" always;\n"),
	}
	for i := 0; i < 998; i++ {
		fs[fmt.Sprintf("/etc/nginx/sites/s%03d.conf", i)] = []byte(fmt.Sprintf(`server {
    listen 443 ssl;
    server_name s%d.example.com;
    include snippets/tls.conf;
    location / {
        proxy_pass http://127.0.0.1:%d;
        proxy_set_header Host $host;
    }
}
`, i, 8000+i))
	}
	return fs
}

// BenchmarkLoadTree1000 loads and analyses the whole tree from scratch.
func BenchmarkLoadTree1000(b *testing.B) {
	fs := tree1000()
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
		if err != nil || len(cfg.Files) != 1000 {
			b.Fatalf("%v, %d files", err, len(cfg.Files))
		}
		analysis.Run(cfg, rules.All, analysis.DefaultSettings())
	}
}

// BenchmarkReanalyzeAfterEdit is what the language server does after an
// edit to one site file: re-load through a warm parse cache (only the edited
// file is parsed again) and re-analyse.
func BenchmarkReanalyzeAfterEdit(b *testing.B) {
	fs := tree1000()
	var cache config.ParseCache
	if _, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", cache.Parse); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		fs["/etc/nginx/sites/s500.conf"] = []byte(fmt.Sprintf("server { listen 443 ssl; server_name edit%d.example.com; }\n", n))
		cfg, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", cache.Parse)
		if err != nil {
			b.Fatal(err)
		}
		analysis.Run(cfg, rules.All, analysis.DefaultSettings())
	}
}
