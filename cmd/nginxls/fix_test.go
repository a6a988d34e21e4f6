package main

import (
	"os"
	"path/filepath"
	"strings"
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

// --fix edits only the paths given: a site's fix that would rewrite the
// certbot options or a shared snippet it includes is not applied.
func TestFixStaysInTheGivenPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "testdata", "trees", "debian-certbot"))); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "sites-enabled", "app")
	os.Remove(link)
	if err := os.Symlink("../sites-available/app", link); err != nil {
		t.Fatal(err)
	}
	shared := []string{"letsencrypt/options-ssl-nginx.conf", "snippets/security-headers.conf", "nginx.conf"}
	before := map[string]string{}
	for _, f := range shared {
		before[f] = readFile(t, filepath.Join(dir, f))
	}
	r := runBinary(t, binary, "", "check", "--fix", "--min-severity", "warning", filepath.Join(dir, "sites-available", "app"))
	if r.code == 2 {
		t.Fatalf("exit 2: %s", r.stderr)
	}
	for _, f := range shared {
		if got := readFile(t, filepath.Join(dir, f)); got != before[f] {
			t.Errorf("--fix on the site edited %s:\n%s", f, got)
		}
	}
	// The weak curve of the snippet is left, and still reported.
	if !strings.Contains(r.stdout, "security-headers.conf") {
		t.Errorf("the finding whose fix was not applied is not reported:\n%s", r.stdout)
	}
	// Given the folder, the snippet is one of the paths: its fix applies.
	runBinary(t, binary, "", "check", "--fix", "--min-severity", "warning", "--only", "tls-curve-weak", dir)
	if got := readFile(t, filepath.Join(dir, "snippets/security-headers.conf")); strings.Contains(got, "secp192r1") {
		t.Errorf("--fix on the folder left the weak curve:\n%s", got)
	}
}

// --fix on main configurations fixes the site they include beside them,
// with what each configuration asks, though one reaches it through a link
// and the other directly.
func TestFixThroughMainConfigurations(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, ".nginxls.toml", "")
	writeFile(t, dir, "nginx.conf", "events {}\nhttp {\n    include sites-enabled/*;\n}\n")
	writeFile(t, dir, "b/nginx.conf", "events {}\nhttp {\n    include ../sites-available/app;\n}\n")
	site := writeFile(t, dir, "sites-available/app", "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n}\n")
	os.MkdirAll(filepath.Join(dir, "sites-enabled"), 0o755)
	if err := os.Symlink("../sites-available/app", filepath.Join(dir, "sites-enabled", "app")); err != nil {
		t.Fatal(err)
	}
	r := runBinary(t, binary, "", "check", "--fix", "--only", "tls-protocol-legacy-tls", filepath.Join(dir, "nginx.conf"), filepath.Join(dir, "b", "nginx.conf"))
	if r.code == 2 {
		t.Fatalf("exit 2: %s", r.stderr)
	}
	if got := readFile(t, site); strings.Contains(got, "TLSv1 ") {
		t.Errorf("the site was not fixed:\n%s\n%s", got, r.stdout)
	}
	if st, err := os.Lstat(filepath.Join(dir, "sites-enabled", "app")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link: %v", err)
	}
}

// --diff prints what --fix would write, as a unified diff, and writes
// nothing; exit 1 when there is a change, 0 when none.
func TestDiff(t *testing.T) {
	dir := t.TempDir()
	text := "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.2;\n}\n"
	path := writeFile(t, dir, "a.conf", text)
	r := runBinary(t, binary, "", "check", "--diff", "--only", "tls-protocol-legacy-tls", path)
	r.wantCode(t, 1)
	if got := readFile(t, path); got != text {
		t.Errorf("--diff wrote the file:\n%s", got)
	}
	for _, want := range []string{"--- a/", "+++ b/", "\n-    ssl_protocols TLSv1 TLSv1.2;\n", "\n+    ssl_protocols TLSv1.2 TLSv1.3;\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("diff lacks %q:\n%s", want, r.stdout)
		}
	}
	// What --fix then writes is what the diff said.
	runBinary(t, binary, "", "check", "--fix", "--only", "tls-protocol-legacy-tls", path)
	if got := readFile(t, path); got != strings.Replace(text, "TLSv1 TLSv1.2", "TLSv1.2 TLSv1.3", 1) {
		t.Errorf("--fix wrote:\n%s", got)
	}
	r = runBinary(t, binary, "", "check", "--diff", "--only", "tls-protocol-legacy-tls", path)
	r.wantCode(t, 0)
	if r.stdout != "" {
		t.Errorf("a diff with nothing to fix: %q", r.stdout)
	}
	runBinary(t, binary, "", "check", "--diff", "--format", "json", path).wantCode(t, 2)
}

// --fix applies safe fixes only: on an HSTS-less site whose protocols are
// weak, it fixes the protocols and adds no header; --unsafe-fixes adds it.
func TestFixSafeOnlyByDefault(t *testing.T) {
	dir := t.TempDir()
	text := "server {\n    listen 443 ssl;\n    ssl_certificate c.pem;\n    ssl_certificate_key k.pem;\n    ssl_protocols TLSv1 TLSv1.2;\n}\n"
	path := writeFile(t, dir, "a.conf", text)
	rules := "--only=tls-protocol-legacy-tls,hsts-missing"
	runBinary(t, binary, "", "check", "--fix", rules, path)
	got := readFile(t, path)
	if !strings.Contains(got, "ssl_protocols TLSv1.2 TLSv1.3;") || strings.Contains(got, "Strict-Transport-Security") {
		t.Errorf("--fix without --unsafe-fixes wrote:\n%s", got)
	}
	r := runBinary(t, binary, "", "check", "--format", "json", rules, path)
	if !strings.Contains(r.stdout, `"unsafe": true`) {
		t.Errorf("the HSTS fix is not marked unsafe in JSON:\n%s", r.stdout)
	}
	runBinary(t, binary, "", "check", "--fix", "--unsafe-fixes", rules, path)
	if got := readFile(t, path); !strings.Contains(got, "Strict-Transport-Security") {
		t.Errorf("--unsafe-fixes did not add the header:\n%s", got)
	}
}
