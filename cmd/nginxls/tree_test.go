package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// debianFindings are the findings on testdata/trees/debian: the weak
// http-level values once, where they are written, an information finding
// in each server's file naming what it inherits, and the snippet's finding
// once although two servers include it.
var debianFindings = []string{
	"nginx.conf:15:19 tls-protocol-legacy-tls",
	"nginx.conf:15:19 tls-protocol-no-tls13",
	"nginx.conf:16:20 tls-curve-weak",
	"sites-enabled/api.conf:2:5 tls-curve-weak",
	"sites-enabled/api.conf:2:5 tls-protocol-legacy-tls",
	"sites-enabled/app.conf:8:5 tls-curve-weak",
	"sites-enabled/app.conf:8:5 tls-protocol-legacy-tls",
	"snippets/ssl-params.conf:3:16 tls-early-data",
}

var findingRE = regexp.MustCompile(`^(.*):(\d+):(\d+): \w+: .* \[([a-z0-9-]+)\]$`)

// treeFindings reads text output, keeps the rules of debianFindings and
// makes the file names relative to root.
func treeFindings(t *testing.T, out, root string) []string {
	t.Helper()
	keep := map[string]bool{}
	for _, f := range debianFindings {
		keep[strings.Fields(f)[1]] = true
	}
	var got []string
	body, _ := splitSummary(t, out)
	for _, line := range strings.Split(strings.TrimSpace(body), "\n") {
		m := findingRE.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("unexpected output line %q", line)
		}
		if !keep[m[4]] {
			continue
		}
		rel, err := filepath.Rel(root, m[1])
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rel+":"+m[2]+":"+m[3]+" "+m[4])
	}
	sort.Strings(got)
	return got
}

func TestCheckTree(t *testing.T) {
	t.Parallel()
	root := filepath.Join("testdata", "trees", "debian")
	for _, arg := range []string{filepath.Join(root, "nginx.conf"), root} {
		r := nginxls(t, "", "check", arg)
		r.wantCode(t, 1)
		got := treeFindings(t, r.stdout, root)
		if strings.Join(got, "\n") != strings.Join(debianFindings, "\n") {
			t.Errorf("check %s:\n%s\nwant:\n%s", arg, strings.Join(got, "\n"), strings.Join(debianFindings, "\n"))
		}
	}
}

// TestCheckDump audits the output of the real `nginx -T` for the same tree
// and expects the same findings.
func TestCheckDump(t *testing.T) {
	t.Parallel()
	bin := testenv.LookPath(t, "nginx")
	dir := t.TempDir()
	src := filepath.Join(repoRoot, "testdata", "trees", "debian")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// nginx -T loads the certificates: give it throw-away ones.
	testenv.WriteCert(t, dir)
	for _, name := range []string{"sites-enabled/app.conf", "sites-enabled/api.conf"} {
		p := filepath.Join(dir, name)
		b, _ := os.ReadFile(p)
		b = regexp.MustCompile(`/etc/ssl/certs/\w+\.pem`).ReplaceAll(b, []byte(filepath.Join(dir, "cert.pem")))
		b = regexp.MustCompile(`/etc/ssl/private/\w+\.key`).ReplaceAll(b, []byte(filepath.Join(dir, "key.pem")))
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "nginx.conf")
	cmd := exec.Command(bin, "-T", "-q", "-p", dir, "-c", conf, "-g", "error_log stderr;")
	dump, err := cmd.Output()
	if err != nil {
		t.Fatalf("nginx -T: %v\n%s", err, dump)
	}
	r := nginxls(t, string(dump), "check", "--dump", "-")
	r.wantCode(t, 1)
	got := treeFindings(t, r.stdout, dir)
	if strings.Join(got, "\n") != strings.Join(debianFindings, "\n") {
		t.Errorf("check --dump:\n%s\nwant:\n%s\nstdout:\n%s\nstderr:\n%s", strings.Join(got, "\n"), strings.Join(debianFindings, "\n"), r.stdout, r.stderr)
	}
	// The real certificates nginx -T loaded are read: none is said to be
	// missing or not checked.
	certs := runBinary(t, binary, string(dump), "check", "--dump", "--only", "tls-cert-config,tls-cert-validity", "-")
	if !strings.Contains(certs.stdout, "self-signed") || strings.Contains(certs.stdout, "not checked") || strings.Contains(certs.stdout, "does not exist") {
		t.Errorf("the certificates nginx -T loaded were not read:\n%s", certs.stdout)
	}
	// Piped in without --dump, nginx -T's output is recognised.
	plain := nginxls(t, string(dump), "check", "-")
	if strings.Join(treeFindings(t, plain.stdout, dir), "\n") != strings.Join(got, "\n") {
		t.Errorf("check - of nginx -T's output:\n%s\nwant what --dump says:\n%s", plain.stdout, r.stdout)
	}
}
