package rules_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Under the old profile, which keeps TLS 1.0 and 1.1, enabling them is
// information; under the others, a warning. SSLv3 is a note on the
// default target, OpenSSL 3.0, which is built without it.
func TestLegacyTLSUnderOldProfile(t *testing.T) {
	src := "events {}\nhttp {\n    ssl_protocols SSLv3 TLSv1 TLSv1.2;\n    server { listen 443 ssl; }\n}\n"
	for profile, want := range map[string]string{
		"old":          "tls-protocol-sslv3 info; tls-protocol-legacy-tls info",
		"intermediate": "tls-protocol-sslv3 info; tls-protocol-legacy-tls warning",
	} {
		s := analysis.DefaultSettings()
		s.Profile = profile
		diags, _ := analysis.Run(config.Load(syntax.Parse("nginx.conf", []byte(src))), []*analysis.Analyzer{rules.ProtocolSSLv3, rules.ProtocolLegacyTLS}, s)
		var got []string
		for _, d := range diags {
			got = append(got, d.Rule+" "+d.Severity.String())
		}
		if strings.Join(got, "; ") != want {
			t.Errorf("profile %s: %s, want %s", profile, strings.Join(got, "; "), want)
		}
	}
}

// Several weaknesses in one inherited value: one information finding per
// server, naming them all, whichever cipher rules run.
func TestCipherInheritedOnce(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf":   []byte("events {}\nhttp {\n    ssl_ciphers ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256;\n    include sites/*.conf;\n}\n"),
		"/etc/nginx/sites/a.conf": []byte("server {\n    listen 443 ssl;\n}\n"),
	}
	cfg := loadTree(t, fs)
	diags, _ := analysis.Run(cfg, rules.All, analysis.DefaultSettings())
	var infos []string
	for _, d := range diags {
		if d.File.Name == "/etc/nginx/sites/a.conf" && strings.HasPrefix(d.Rule, "tls-cipher-") {
			infos = append(infos, d.Rule+": "+d.Message)
		}
	}
	if len(infos) != 1 || !strings.Contains(infos[0], "suites without forward secrecy and CBC suites") {
		t.Errorf("inherited cipher findings on the server:\n%s", strings.Join(infos, "\n"))
	}
}

// A word the target ignores (RC4-MD5 on OpenSSL 3.0) is reported by the
// first of its weaknesses whose rule runs: by tls-cipher-md5 when only
// that rule is asked for.
func TestDeadWordGoesToARuleThatRuns(t *testing.T) {
	src := "server {\n    listen 443 ssl;\n    ssl_ciphers ECDHE+AESGCM:RC4-MD5;\n}\n"
	for _, tc := range []struct {
		off  string
		want string
	}{
		{"", "tls-cipher-rc4"},
		{"tls-cipher-rc4", "tls-cipher-md5"},
	} {
		s := analysis.DefaultSettings()
		if tc.off != "" {
			s.Rules = map[string]analysis.Severity{tc.off: analysis.Off}
		}
		diags, errs := analysis.Run(config.Load(syntax.Parse("dead.conf", []byte(src))), rules.All, s)
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var got []string
		for _, d := range diags {
			if strings.HasPrefix(d.Rule, "tls-cipher-rc4") || strings.HasPrefix(d.Rule, "tls-cipher-md5") {
				got = append(got, d.Rule)
			}
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("with %q off: %v, want %s", tc.off, got, tc.want)
		}
	}
}

// A ticket key file nginx never rotates: information, and a warning once
// it has not changed for a week.
func TestTicketKeyFileAge(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "ticket.key")
	if err := os.WriteFile(key, make([]byte, 80), 0o600); err != nil {
		t.Fatal(err)
	}
	src := "http {\n    server {\n        listen 443 ssl;\n        ssl_session_ticket_key " + key + ";\n    }\n}\n"
	judge := func() (analysis.Severity, string) {
		diags, _ := analysis.Run(config.Load(syntax.Parse(filepath.Join(dir, "t.conf"), []byte(src))), rules.All, analysis.DefaultSettings())
		for _, d := range diags {
			if d.Rule == "tls-session-tickets-rotation" {
				return d.Severity, d.Message
			}
		}
		return 0, ""
	}
	if sev, msg := judge(); sev != analysis.Info {
		t.Errorf("a fresh key file: %v %q", sev, msg)
	}
	old := time.Now().Add(-30 * 24 * time.Hour)
	if err := os.Chtimes(key, old, old); err != nil {
		t.Fatal(err)
	}
	if sev, msg := judge(); sev != analysis.Warning || !strings.Contains(msg, "30 days") {
		t.Errorf("a 30-day-old key file: %v %q", sev, msg)
	}
}
