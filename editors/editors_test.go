package editors

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxls/nginxls/internal/testenv"
)

// server builds nginxls once for every test of the package.
var server = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "nginxls-editors-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "nginxls")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/nginxls")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func TestMain(m *testing.M) {
	// The findings expected assume nginxls's default target, whatever
	// nginx this machine has.
	os.Setenv("NGINXLS_NGINX_VERSION", "1.28.0")
	os.Setenv("NGINXLS_PLATFORM", "none")
	code := m.Run()
	if bin, err := server(); err == nil {
		os.RemoveAll(filepath.Dir(bin))
	}
	os.Exit(code)
}

func nginxls(t *testing.T) string {
	t.Helper()
	bin, err := server()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// run runs a command with a deadline and returns its combined output,
// failing the test (with the output) when it fails.
func run(t *testing.T, timeout time.Duration, dir string, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = nil // /dev/null: editors must not wait for input
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s %s: %.1fs", filepath.Base(name), strings.Join(args, " "), time.Since(start).Seconds())
	if ctx.Err() != nil {
		t.Fatalf("%s %s: timed out after %v\n%s", name, strings.Join(args, " "), timeout, out.String())
	}
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

var summary = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed$`)

// checkSummary requires the "N passed, 0 failed" line the editor scripts
// print last, so a script that stops early cannot pass.
func checkSummary(t *testing.T, out string) {
	t.Helper()
	m := summary.FindStringSubmatch(out)
	if m == nil || m[2] != "0" || m[1] == "0" || strings.Contains(out, "FAIL - ") {
		t.Fatalf("the script did not pass:\n%s", out)
	}
	t.Logf("%s passed", m[1])
}

// TestVSCode installs the extension's dependencies from the lock file, type
// checks, lints and runs its node:test suites against nginxls.
func TestVSCode(t *testing.T) {
	t.Parallel()
	npm := testenv.LookPath(t, "npm")
	testenv.LookPath(t, "node")
	bin := nginxls(t)
	// npm ci installs some 200 MB of node_modules and the build writes
	// dist/ and out/: they go to a copy of the extension in a temporary
	// folder, removed after the test, never into the source tree. The
	// tests read ../testdata, linked beside the copy.
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "vscode")
	copySource(t, "vscode", dir)
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(testdata, filepath.Join(tmp, "testdata")); err != nil {
		t.Fatal(err)
	}
	env := []string{"NGINXLS_SERVER=" + bin, "npm_config_update_notifier=false"}
	run(t, 3*time.Minute, dir, env, npm, "ci", "--no-audit", "--no-fund")
	run(t, time.Minute, dir, env, npm, "run", "typecheck")
	run(t, time.Minute, dir, env, npm, "run", "lint")
	out := run(t, 2*time.Minute, dir, env, npm, "test")
	m := regexp.MustCompile(`(?m)^# pass (\d+)\n# fail 0$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("node --test did not report its passes:\n%s", out)
	}
	t.Logf("%s node:test tests passed", m[1])
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "# not in nginxls.rules") {
			t.Log(l)
		}
	}
}

// copySource copies the files of an editor integration to dir, leaving
// out what its tools make (installed packages, builds).
func copySource(t *testing.T, src, dir string) {
	t.Helper()
	made := []string{"node_modules", "dist", "out", "bin"}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		switch {
		case d.IsDir() && slices.Contains(made, rel):
			return filepath.SkipDir
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNeovim runs the plugin's headless tests in Neovim (0.7 or newer).
func TestNeovim(t *testing.T) {
	t.Parallel()
	nvim := testenv.LookPath(t, "nvim")
	bin := nginxls(t)
	if v, err := exec.Command(nvim, "--version").Output(); err != nil || !regexp.MustCompile(`NVIM v0\.([7-9]|\d\d)\.`).Match(v) {
		t.Fatalf("Neovim 0.7 or newer is needed: %s %v", bytes.SplitN(v, []byte("\n"), 2)[0], err)
	}
	plugin, err := filepath.Abs("nvim")
	if err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs("testdata")
	for _, tc := range []struct{ name, rtp string }{
		{"e2e", plugin},
		{"lspconfig", plugin + "," + filepath.Join(plugin, "test", "fake-lspconfig")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := []string{"NGINXLS=" + bin, "NGINXLS_TESTDATA=" + testdata, "NGINXLS_WORK=" + t.TempDir(),
				// Neovim writes logs and state here; keep them out of $HOME.
				"XDG_STATE_HOME=" + t.TempDir(), "XDG_CACHE_HOME=" + t.TempDir(), "XDG_DATA_HOME=" + t.TempDir()}
			out := run(t, time.Minute, t.TempDir(), env, nvim, "--headless", "--clean",
				"--cmd", "set rtp^="+tc.rtp,
				"-c", "luafile "+filepath.Join(plugin, "test", tc.name+".lua"))
			checkSummary(t, out)
		})
	}
}

// TestEmacsEglot runs the eglot setup of README.md, as written there, in
// Emacs with eglot.
func TestEmacsEglot(t *testing.T) {
	t.Parallel()
	emacs := testenv.LookPath(t, "emacs")
	if eglot, _ := filepath.Glob("/usr/share/emacs/site-lisp/elpa/eglot-*"); len(eglot) == 0 {
		if out, err := exec.Command(emacs, "--batch", "-Q", "--eval", "(require 'eglot)").CombinedOutput(); err != nil {
			msg := fmt.Sprintf("eglot is not installed (Debian: elpa-eglot): %s", out)
			if testenv.Required() {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	bin := nginxls(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- eglot-setup:begin[^>]*-->\\s*```elisp\n(.*?)```\\s*<!-- eglot-setup:end -->").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no eglot-setup block")
	}
	work := t.TempDir()
	setup := filepath.Join(work, "setup.el")
	if err := os.WriteFile(setup, m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs("testdata")
	harness, _ := filepath.Abs(filepath.Join("emacs", "eglot-test.el"))
	env := []string{"NGINXLS_SETUP=" + setup, "NGINXLS_TESTDATA=" + testdata, "NGINXLS_WORK=" + work,
		"HOME=" + work, // eglot and package.el write below ~/.emacs.d
		// The setup names "nginxls", as users have it on PATH.
		"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH")}
	out := run(t, time.Minute, work, env, emacs, "--batch", "-Q", "-l", harness)
	checkSummary(t, out)
}
