package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMaxFileSize: a configuration over --max-file-size is refused with
// exit 2, from a file or standard input, and read once the cap is raised;
// a bad size is a usage error. The project file's max-file-size is the
// cap of its configurations; the flag wins over it.
func TestMaxFileSize(t *testing.T) {
	conf := "events {}\nhttp {\n" + strings.Repeat("  # padding padding padding padding padding\n", 30_000) +
		"  server { listen 443 ssl; ssl_protocols TLSv1 TLSv1.2; }\n}\n" // 1.3 MB
	path := filepath.Join(t.TempDir(), "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"check", "--nginx-version", "1.28.0", "--only", "tls-protocol-legacy-tls"}
	r := runBinary(t, binary, "", append(args, "--max-file-size", "1M", path)...)
	r.wantCode(t, 2)
	if !strings.Contains(r.stderr, "larger than 1M, not read") {
		t.Errorf("a file over the cap: %q", r.stderr)
	}
	r = runBinary(t, binary, conf, append(args, "--max-file-size", "1048576", "-")...)
	r.wantCode(t, 2)
	if !strings.Contains(r.stderr, "larger than 1M, not read") {
		t.Errorf("standard input over the cap: %q", r.stderr)
	}
	for _, in := range []struct{ stdin, path string }{{"", path}, {conf, "-"}} {
		r = runBinary(t, binary, in.stdin, append(args, "--max-file-size", "2m", in.path)...)
		r.wantCode(t, 0) // a warning
		if !strings.Contains(r.stdout, "TLSv1 is enabled") {
			t.Errorf("%s under a raised cap: %q", in.path, r.stdout)
		}
	}
	for _, bad := range []string{"0", "2X", "-1", "2G", ""} {
		r = runBinary(t, binary, "", append(args, "--max-file-size", bad, path)...)
		r.wantCode(t, 2)
		if !strings.Contains(r.stderr, "is not a size from 1 to 1G") {
			t.Errorf("--max-file-size %q: %q", bad, r.stderr)
		}
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), ".nginxls.toml"), []byte("max-file-size = \"1M\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runBinary(t, binary, "", append(args, path)...)
	r.wantCode(t, 2)
	if !strings.Contains(r.stderr, "larger than 1M, not read") {
		t.Errorf("a file over its project file's cap: %q", r.stderr)
	}
	r = runBinary(t, binary, "", append(args, "--max-file-size", "2M", path)...)
	r.wantCode(t, 0)
}
