package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// TestCiphersAgainstOpenSSL compares `nginxls ciphers` with `openssl
// ciphers` (TLS 1.3 suites aside): the same suites in the same order, and
// failure where OpenSSL fails.
func TestCiphersAgainstOpenSSL(t *testing.T) {
	bin := testenv.LookPath(t, "openssl")
	if v, _ := exec.Command(bin, "version").Output(); !strings.HasPrefix(string(v), "OpenSSL 3.0.") {
		t.Skipf("the default profile models OpenSSL 3.0; installed: %s", v)
	}
	for _, s := range []string{"HIGH:!aNULL:!MD5", "DEFAULT", "-ALL:HIGH:+kRSA:@STRENGTH",
		"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305",
		"RC4-SHA:DES-CBC3-SHA", "HIGH:(x)", "ALL:COMPLEMENTOFALL"} {
		out, err := exec.Command(bin, "ciphers", "--", s).Output()
		r := nginxls(t, "", "ciphers", "--", s)
		if err != nil {
			r.wantCode(t, 1)
			if !strings.Contains(r.stderr, "rejects the cipher list") {
				t.Errorf("nginxls ciphers %q: stderr %q", s, r.stderr)
			}
			continue
		}
		r.wantCode(t, 0)
		var want []string
		for _, n := range strings.Split(strings.TrimSpace(string(out)), ":") {
			if !strings.HasPrefix(n, "TLS_") {
				want = append(want, n)
			}
		}
		if got := strings.Fields(r.stdout); strings.Join(got, ":") != strings.Join(want, ":") {
			t.Errorf("nginxls ciphers %q:\n%s\nopenssl ciphers:\n%s", s, r.stdout, strings.Join(want, "\n"))
		}
	}
	// -v: OpenSSL's columns, then a grade.
	out, err := exec.Command(bin, "ciphers", "-v", "--", "ECDHE+AESGCM:AES128-SHA").Output()
	if err != nil {
		t.Fatal(err)
	}
	r := nginxls(t, "", "ciphers", "-v", "ECDHE+AESGCM:AES128-SHA")
	r.wantCode(t, 0)
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if !strings.HasPrefix(l, "TLS_") {
			want = append(want, strings.Join(strings.Fields(l), " "))
		}
	}
	got := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(got) != len(want) {
		t.Fatalf("-v printed %d lines, openssl %d:\n%s", len(got), len(want), r.stdout)
	}
	for i := range got {
		f := strings.Fields(got[i])
		if line := strings.Join(f[:len(f)-1], " "); line != want[i] {
			t.Errorf("-v line %d: %q, openssl: %q", i, line, want[i])
		}
	}
	if !strings.HasSuffix(got[0], " good") || !strings.HasSuffix(got[len(got)-1], " weak") {
		t.Errorf("grades: first %q, last %q", got[0], got[len(got)-1])
	}
}

func TestCiphersProfilesAndUsage(t *testing.T) {
	r := nginxls(t, "", "ciphers", "--openssl", "1.0.2", "HIGH:!aNULL:!MD5")
	r.wantCode(t, 0)
	if !strings.Contains(r.stdout, "\nDES-CBC3-SHA\n") {
		t.Errorf("HIGH on legacy builds includes 3DES:\n%s", r.stdout)
	}
	r = nginxls(t, "", "ciphers", "--openssl", "1.0.2", "@SECLEVEL=1:HIGH")
	r.wantCode(t, 1)
	nginxls(t, "", "ciphers").wantCode(t, 2)
	nginxls(t, "", "ciphers", "--openssl", "2.0", "HIGH").wantCode(t, 2)
	if r := nginxls(t, "", "ciphers", "-h"); r.code != 0 || !strings.Contains(r.stdout, "--openssl") {
		t.Errorf("help: %d %s", r.code, r.stdout)
	}
}

// --server prints the negotiation model of a server block: per version the
// suites in the server's order and the groups, refused versions with why.
func TestCiphersServer(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "nginx.conf")
	src := "events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.2;\n    server {\n        listen 443 ssl;\n" +
		"        ssl_ciphers ECDHE+AESGCM:AES128-SHA:DHE-RSA-AES128-GCM-SHA256;\n        ssl_prefer_server_ciphers on;\n" +
		"        ssl_ecdh_curve X25519:secp384r1;\n    }\n}\n"
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := nginxls(t, "", "ciphers", "--nginx-version", "1.22.1", "--server", conf+":6")
	r.wantCode(t, 0)
	want := "# nginx 1.22.1, OpenSSL 3.0, security level 1 (OpenSSL's default)\n" +
		"# suites in the order the server picks them\n" +
		"TLSv1: configured, not negotiable: security level 1 refuses the SHA-1 and MD5 signatures of TLS 1.0 and 1.1\n" +
		"TLSv1.2\n  ECDHE-ECDSA-AES256-GCM-SHA384\n  ECDHE-RSA-AES256-GCM-SHA384\n  ECDHE-ECDSA-AES128-GCM-SHA256\n" +
		"  ECDHE-RSA-AES128-GCM-SHA256\n  AES128-SHA\n  groups: x25519 secp384r1\n"
	if r.stdout != want {
		t.Errorf("got:\n%s\nwant:\n%s", r.stdout, want)
	}
	nginxls(t, "", "ciphers", "--server", conf+":1").wantCode(t, 2)
	nginxls(t, "", "ciphers", "--server", conf).wantCode(t, 2)
	nginxls(t, "", "ciphers", "--server", conf+":6", "HIGH").wantCode(t, 2)
}
