package main

import (
	"os"
	"path/filepath"
	"testing"
)

// copyFile copies a testdata file into dir with the given mode.
func copyFile(t *testing.T, src, dir string, mode os.FileMode) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(src)))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(dst, b, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dst, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return dst
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFix(t *testing.T) {
	t.Parallel()
	const src = "testdata/rules/tls-protocol-legacy-tls/fix-explicit.conf"
	dir := t.TempDir()
	path := copyFile(t, src, dir, 0o640)
	r := nginxls(t, "", "check", "--fix", path)
	r.wantCode(t, 0)
	if !noFindings(t, r.stdout) || r.stderr != "" {
		t.Errorf("findings remain after --fix:\n%s%s", r.stdout, r.stderr)
	}
	if got, want := readFile(t, path), readFile(t, filepath.Join(repoRoot, src+".golden")); got != want {
		t.Errorf("fixed file:\n%s\nwant (%s.golden):\n%s", got, src, want)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode after --fix = %v, want 0640", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("--fix left files behind: %v", entries)
	}

	// A second run finds nothing to do and does not rewrite the file.
	before := readFile(t, path)
	r = nginxls(t, "", "check", "--fix", path)
	r.wantCode(t, 0)
	st2, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if readFile(t, path) != before || !os.SameFile(st, st2) {
		t.Errorf("the second --fix changed the file")
	}
}

// Fixes that collide (both rewrite the listen line) are applied in
// successive rounds of one run.
func TestFixRounds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := writeFile(t, dir, "site.conf", `http {
    server {
        listen 443 http2;
        ssl on;
        ssl_protocols TLSv1.2 TLSv1.3;
    }
}
`)
	const want = `http {
    server {
        listen 443 ssl;
        http2 on;
        ssl_protocols TLSv1.2 TLSv1.3;
    }
}
`
	r := nginxls(t, "", "check", "--fix", path)
	r.wantCode(t, 0)
	if got := readFile(t, path); got != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if !noFindings(t, r.stdout) {
		t.Errorf("findings remain:\n%s", r.stdout)
	}
}

// --fix applies the fixes of the findings shown only, and reports what
// remains; a symbolic link stays a link to the fixed file.
func TestFixMinSeverityAndLink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := writeFile(t, dir, "sites-available/app.conf", `server {
    listen 443 ssl;
    ssl_ecdh_curve X25519:secp192r1;
    ssl_early_data on;
}
`)
	link := filepath.Join(dir, "app.conf")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	r := nginxls(t, "", "check", "--fix", "--min-severity", "error", "--fail-on", "warning", link)
	r.wantCode(t, 0)
	const want = `server {
    listen 443 ssl;
    ssl_ecdh_curve X25519;
    ssl_early_data on;
}
`
	if got := readFile(t, target); got != want {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, want)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", st, err)
	}
	// The warning was left alone: it is still reported, and the next
	// --fix without a filter repairs it.
	r = nginxls(t, "", "check", "--fail-on", "warning", link)
	r.wantCode(t, 1)
	if got := rulesOf(parseText(t, r.stdout)); !got["tls-early-data"] {
		t.Errorf("remaining findings: %v", got)
	}
	r = nginxls(t, "", "check", "--fix", "--fail-on", "warning", link)
	if got := readFile(t, target); got == want {
		t.Errorf("ssl_early_data was not fixed")
	}
	r.wantCode(t, 0)
}
