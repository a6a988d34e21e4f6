package rules_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestFixesAcceptedByNginx runs the real `nginx -t` on every golden "after"
// file: a quick fix must leave a configuration nginx accepts. The test only
// stubs the environment (an events block, a throw-away certificate); the
// directives under test are nginx's to judge.
func TestFixesAcceptedByNginx(t *testing.T) {
	bin := testenv.LookPath(t, "nginx")
	installed := config.MustVersion(testenv.NginxVersion(t, bin))
	dir := t.TempDir()
	testenv.WriteCert(t, dir)
	writeFixtures(t, dir)
	goldens, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "*", "*.golden"))
	if len(goldens) == 0 {
		t.Fatal("no golden files")
	}
	for _, g := range goldens {
		name := filepath.Base(filepath.Dir(g)) + "/" + filepath.Base(g)
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(g)
			if err != nil {
				t.Fatal(err)
			}
			if m := notForNginxRE.FindSubmatch(src); m != nil {
				t.Skipf("not for nginx -t: %s", m[1])
			}
			if m := requiresRE.FindSubmatch(src); m != nil {
				if need := config.MustVersion(string(m[1])); !installed.AtLeast(need) {
					t.Skipf("the fix needs nginx %s; nginx %s is installed", need, installed)
				}
			}
			if out, ok := nginxTest(t, bin, dir, src); !ok {
				t.Errorf("nginx -t rejects the fixed configuration:\n%s", out)
			}
		})
	}
}

// TestUnknownCurveRejectedByNginx checks the premise of tls-curve-unknown
// against the real nginx: the configuration before the fix does not start.
func TestUnknownCurveRejectedByNginx(t *testing.T) {
	bin := testenv.LookPath(t, "nginx")
	dir := t.TempDir()
	testenv.WriteCert(t, dir)
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "tls-curve-unknown", "fix.conf"))
	if err != nil {
		t.Fatal(err)
	}
	out, ok := nginxTest(t, bin, dir, src)
	if ok || !strings.Contains(out, "curves_list") {
		t.Errorf("nginx -t should refuse unknown curves, said:\n%s", out)
	}
}

var (
	requiresRE = regexp.MustCompile(`# requires nginx (\d+\.\d+\.\d+)`)
	// A golden file that shows a fix left out, on a configuration that
	// names a file this machine lacks.
	notForNginxRE = regexp.MustCompile(`# not for nginx -t: (.*)`)
	moduleRE      = regexp.MustCompile(`(?m)^(\s*)(http|stream)\s*\{`)
)

func nginxTest(t *testing.T, bin, dir string, src []byte) (string, bool) {
	t.Helper()
	conf := string(src)
	conf = moduleRE.ReplaceAllString(conf, "$0 ssl_certificate cert.pem; ssl_certificate_key key.pem;")
	if !strings.Contains(conf, "events {") {
		conf = "events {}\n" + conf
	}
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-t", "-q", "-p", dir, "-c", path, "-g", "pid "+filepath.Join(dir, "nginx.pid")+"; error_log stderr;")
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}
