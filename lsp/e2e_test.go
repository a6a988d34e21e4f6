package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxls/nginxls/internal/testenv"
)

// End-to-end tests: the real binary driven by real editors, headless. The
// scripts in testdata/e2e do the editing and print `ok NAME` or
// `not ok NAME: why` per check and `diag PHASE CODE L:C-L:C TEXT` per
// diagnostic; this side checks the lines, the exit status and the protocol
// trace the server wrote.

// e2eDiags are the diagnostics of testdata/e2e/weak.conf: columns in UTF-16
// units (bytes and characters differ on those lines), before and after
// the quick fix for TLSv1.
var e2eDiags = []string{
	"diag open tls-early-data 6:48-6:50 on",
	"diag open tls-protocol-legacy-tls 7:48-7:53 TLSv1",
	"diag fixed tls-early-data 6:48-6:50 on",
}

// e2eChecks must all be reported ok by both scripts.
var e2eChecks = []string{"initialize", "diagnostics", "hover", "hover text", "code actions",
	"quick fix applied", "diagnostic cleared", "shutdown"}

func TestNeovim(t *testing.T) {
	nvim := testenv.LookPath(t, "nvim")
	e := newE2E(t)
	out := e.run(nvim, "--headless", "--clean", "-u", filepath.Join(e.root, "testdata/e2e/nvim.lua"))
	e.check(out, "filetype", "encoding", "no editor errors")
	// Neovim logs the server's standard error in lsp.log.
	if log, err := os.ReadFile(filepath.Join(e.dir, "cache", "nvim", "lsp.log")); err == nil && bytes.Contains(log, []byte("stderr")) {
		t.Errorf("the server wrote to standard error:\n%s", log)
	}
}

func TestEmacsEglot(t *testing.T) {
	emacs := testenv.LookPath(t, "emacs")
	if _, err := os.Stat("/usr/share/emacs/site-lisp/elpa/eglot-1.9"); err != nil && !testenv.Required() {
		t.Skip("eglot 1.9 is not installed (Debian's elpa-eglot)")
	}
	e := newE2E(t)
	out := e.run(emacs, "-Q", "--batch", "-l", filepath.Join(e.root, "testdata/e2e/eglot.el"))
	e.check(out, "eglot version", "hover plain text", "no server errors")
}

type e2e struct {
	t              *testing.T
	root, dir, bin string
	file, trace    string
}

// newE2E builds the server and copies the test file into a fresh directory,
// under the name editors recognise as nginx's.
func newE2E(t *testing.T) *e2e {
	t.Helper()
	e := &e2e{t: t, root: testenv.RepoRoot(t), dir: t.TempDir()}
	e.bin = filepath.Join(e.dir, "nginxls")
	build := exec.Command("go", "build", "-o", e.bin, "./cmd/nginxls")
	build.Dir = e.root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	conf, err := os.ReadFile(filepath.Join(e.root, "testdata/e2e/weak.conf"))
	if err != nil {
		t.Fatal(err)
	}
	// A directory name that URIs must escape (space, "+", non-ASCII): the
	// server has to publish under a URI the editor matches to its buffer.
	confDir := filepath.Join(e.dir, "conf dir+ñ")
	if err := os.Mkdir(confDir, 0o755); err != nil {
		t.Fatal(err)
	}
	e.file = filepath.Join(confDir, "nginx.conf")
	if err := os.WriteFile(e.file, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	e.trace = filepath.Join(e.dir, "trace.log")
	return e
}

// run runs an editor with a private home and returns its output.
func (e *e2e) run(name string, args ...string) string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = e.dir
	cmd.Env = append(os.Environ(),
		"HOME="+e.dir,
		"XDG_CONFIG_HOME="+filepath.Join(e.dir, "config"),
		"XDG_CACHE_HOME="+filepath.Join(e.dir, "cache"),
		"XDG_DATA_HOME="+filepath.Join(e.dir, "data"),
		"XDG_STATE_HOME="+filepath.Join(e.dir, "state"),
		"NGINXLS="+e.bin,
		"NGINXLS_E2E_FILE="+e.file,
		"NGINXLS_TRACE="+e.trace,
	)
	cmd.Stdin = nil // /dev/null: nothing may wait for a key
	cmd.WaitDelay = time.Second
	start := time.Now()
	out, err := cmd.CombinedOutput()
	e.t.Logf("%s ran in %v", filepath.Base(name), time.Since(start).Round(time.Millisecond))
	if ctx.Err() != nil {
		e.t.Fatalf("%s timed out; output:\n%s", name, out)
	}
	if err != nil {
		e.t.Errorf("%s: %v; output:\n%s", name, err, out)
	}
	return string(out)
}

// check reads the script's report: every check ok (the common ones and
// extra), no failure, the expected diagnostics, and a trace showing the
// conversation the editor held.
func (e *e2e) check(out string, extra ...string) {
	t := e.t
	t.Helper()
	oks := map[string]bool{}
	var diags []string
	failed, done := false, false
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.HasPrefix(line, "ok "):
			oks[strings.TrimPrefix(line, "ok ")] = true
		case strings.HasPrefix(line, "not ok "):
			failed = true
		case strings.HasPrefix(line, "diag "):
			diags = append(diags, line)
		case line == "done":
			done = true
		}
	}
	var missing []string
	for _, name := range append(append([]string{}, e2eChecks...), extra...) {
		if !oks[name] {
			missing = append(missing, name)
		}
	}
	if failed || !done || len(missing) > 0 || strings.Join(diags, "\n") != strings.Join(e2eDiags, "\n") {
		t.Errorf("editor run failed (checks not reported ok: %v)\ndiagnostics:\n%s\nwant:\n%s\noutput:\n%s",
			missing, strings.Join(diags, "\n"), strings.Join(e2eDiags, "\n"), out)
	}

	trace, err := os.ReadFile(e.trace)
	if err != nil {
		t.Fatalf("no protocol trace: %v", err)
	}
	// The editor sent what the server's features rely on: the language id
	// from its file-type detection, the fix as an incremental edit (not the
	// whole text) and an orderly shutdown.
	var languageID string
	var ranged, shutdown, exit bool
	for _, line := range strings.Split(string(trace), "\n") {
		f := strings.SplitN(line, " ", 3)
		if len(f) < 3 || f[1] != "<-" {
			continue
		}
		var m struct {
			Method string
			Params struct {
				TextDocument   struct{ LanguageID string }
				ContentChanges []struct{ Range *struct{} }
			}
		}
		if err := json.Unmarshal([]byte(f[2]), &m); err != nil {
			t.Errorf("trace line %q: %v", line, err)
			continue
		}
		switch m.Method {
		case "textDocument/didOpen":
			languageID = m.Params.TextDocument.LanguageID
		case "textDocument/didChange":
			for _, c := range m.Params.ContentChanges {
				ranged = ranged || c.Range != nil
			}
		case "shutdown":
			shutdown = true
		case "exit":
			exit = shutdown
		}
	}
	if languageID != "nginx" || !ranged || !exit {
		t.Errorf("protocol trace: languageId %q (want nginx), ranged didChange %v, shutdown then exit %v:\n%s",
			languageID, ranged, exit, trace)
	}
}
