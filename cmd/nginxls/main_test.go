package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The tests run the real binary, built once, from the repository root so
// that file names in the output are the testdata paths.
var (
	binary   string
	repoRoot string
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	// The outputs expected assume nginxls's default target, whatever nginx
	// this machine has.
	os.Setenv("NGINXLS_NGINX_VERSION", "1.28.0")
	os.Setenv("NGINXLS_PLATFORM", "none")
	dir, err := os.MkdirTemp("", "nginxls-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	if repoRoot, err = filepath.Abs(filepath.Join("..", "..")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	binary = filepath.Join(dir, "nginxls")
	if err := goBuild(binary); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return m.Run()
}

// goTool is the go command of the PATH: the one go test runs from.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go" // the error then names it
}

func goBuild(out string, flags ...string) error {
	args := append([]string{"build", "-o", out}, flags...)
	cmd := exec.Command(goTool(), append(args, ".")...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, b)
	}
	return nil
}

type result struct {
	stdout, stderr string
	code           int
}

// nginxls runs the binary in the repository root with stdin as input.
//
// `check` runs the rules of pinnedRules unless the test passes --only: the
// tests of the command pin exact findings and exit statuses, which a rule
// added later must not shift (rules are tested on their own).
func nginxls(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	if len(args) > 0 && args[0] == "check" && !hasOnly(args) {
		args = append([]string{"check", "--only", pinnedRules}, args[1:]...)
	}
	// The tests read every finding; the default hides notes
	// (TestCheckDefaultSeverity holds that).
	if len(args) > 0 && args[0] == "check" && !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "--min-severity") }) {
		args = append([]string{"check", "--min-severity", "hint"}, args[1:]...)
	}
	return runBinary(t, binary, stdin, args...)
}

const pinnedRules = "syntax,tls-protocol-sslv2,tls-protocol-sslv3,tls-protocol-legacy-tls,tls-protocol-no-tls13," +
	"tls-curve-weak,tls-curve-unknown,tls-early-data,nginx-ssl-directive,nginx-listen-http2-deprecated"

func hasOnly(args []string) bool {
	for _, a := range args {
		if a == "--only" || strings.HasPrefix(a, "--only=") {
			return true
		}
	}
	return false
}

func runBinary(t *testing.T, bin, stdin string, args ...string) result {
	t.Helper()
	// A run that hangs is killed, so that it fails this test instead of
	// stalling the whole suite.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = repoRoot
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("running nginxls %s: %v", strings.Join(args, " "), err)
		}
		code = ee.ExitCode()
	}
	return result{stdout.String(), stderr.String(), code}
}

// wantCode fails the test when the exit status differs, showing the output.
func (r result) wantCode(t *testing.T, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// finding is a text output line without its message, which belongs to the
// rules and is tested there.
type finding struct {
	file      string
	line, col int
	severity  string
	rule      string
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: [%s]", f.file, f.line, f.col, f.severity, f.rule)
}

var textLine = regexp.MustCompile(`^(.+):(\d+):(\d+): (error|warning|info|hint): (.+) \[([a-z0-9-]+)\]$`)

// parseText reads the text output, failing on a line of another shape.
func parseText(t *testing.T, out string) []finding {
	t.Helper()
	var fs []finding
	body, last := splitSummary(t, out)
	for _, l := range strings.Split(body, "\n") {
		if l == "" {
			continue
		}
		m := textLine.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("malformed output line %q", l)
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		fs = append(fs, finding{m[1], line, col, m[4], m[6]})
	}
	if want := len(fs); summaryCount(last) != want && !strings.Contains(out, "(suppressed: ") {
		t.Fatalf("the summary %q does not count the %d findings", last, want)
	}
	return fs
}

// summaryLine is the text output's last line.
var summaryLine = regexp.MustCompile(`^nginxls: (no findings|(\d+) findings? \(([a-z0-9, ]+)\) in \d+ files?)( \((\d+ fixable with --fix)?(; )?(\d+ notes? not shown: --min-severity hint)?\))?; assumed nginx \d+\.\d+\.\d+ \([^)]+\), OpenSSL \S+( \([^)]+\))?, Mozilla \S+(, platform \S+ \([^)]+\))?(, security level \d \([^)]+\))?(; nginx .*)?$`)

// splitSummary separates the findings from the summary line that ends a
// text output (there is none when nothing was checked).
func splitSummary(t *testing.T, out string) (body, summary string) {
	t.Helper()
	out = strings.TrimSuffix(out, "\n")
	i := strings.LastIndex(out, "\n")
	last := out[i+1:]
	if !strings.HasPrefix(last, "nginxls: ") {
		return out, ""
	}
	if !summaryLine.MatchString(last) {
		t.Fatalf("malformed summary line %q", last)
	}
	return out[:max(i, 0)], last
}

// summaryCount is how many findings a summary line counts.
func summaryCount(summary string) int {
	m := summaryLine.FindStringSubmatch(summary)
	if m == nil || m[2] == "" {
		return 0
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// noFindings reports a text output that lists no finding.
func noFindings(t *testing.T, out string) bool {
	body, _ := splitSummary(t, out)
	return strings.TrimSpace(body) == ""
}

func rulesOf(fs []finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[f.rule] = true
	}
	return out
}

func equalFindings(t *testing.T, got, want []finding) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings:\n%s\nwant:\n%s", lines(got), lines(want))
	}
}

func lines(fs []finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %v\n", f)
	}
	return b.String()
}

// writeFile creates a file under dir (with its parent directories).
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := nginxls(t, "", args...)
		r.wantCode(t, 0)
		for _, c := range []string{"check", "rules", "explain", "serve", "version", "help"} {
			if !strings.Contains(r.stdout, "\n  "+c+" ") {
				t.Errorf("nginxls %s does not list %s:\n%s", args[0], c, r.stdout)
			}
		}
	}
	r := nginxls(t, "", "help", "check")
	r.wantCode(t, 0)
	for _, f := range []string{"--format", "--nginx-version", "--openssl", "--min-severity", "--fail-on", "--fix", "--rule"} {
		if !strings.Contains(r.stdout, "  "+f+" ") && !strings.Contains(r.stdout, "  "+f+"\n") {
			t.Errorf("nginxls help check does not list %s:\n%s", f, r.stdout)
		}
	}
	r = nginxls(t, "", "frobnicate")
	r.wantCode(t, 2)
	if !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("stderr = %q", r.stderr)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "version")
	r.wantCode(t, 0)
	if !regexp.MustCompile(`^nginxls \S+\n$`).MatchString(r.stdout) {
		t.Errorf("nginxls version = %q", r.stdout)
	}
	bin := filepath.Join(t.TempDir(), "nginxls")
	if err := goBuild(bin, "-ldflags", "-X main.version=1.2.3-test"); err != nil {
		t.Fatal(err)
	}
	r = runBinary(t, bin, "", "version")
	r.wantCode(t, 0)
	if r.stdout != "nginxls 1.2.3-test\n" {
		t.Errorf("with -ldflags, nginxls version = %q", r.stdout)
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	// A whole session over the real binary's stdin and stdout: initialize,
	// open a weak file, get its diagnostics, shut down, exit 0.
	body := func(s string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(s), s) }
	in := body(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`) +
		body(`{"jsonrpc":"2.0","method":"initialized","params":{}}`) +
		body(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///w.conf","languageId":"nginx","version":1,"text":"ssl_protocols SSLv3;\n"}}}`)
	trace := filepath.Join(t.TempDir(), "trace.log")
	cmd := exec.Command(binary, "serve", "--trace-file", trace)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, in)
	r := bufio.NewReader(stdout)
	var got strings.Builder
	buf := make([]byte, 4096)
	// Never wait for the server's output for ever: kill it after a while,
	// which ends the reads below.
	watchdog := time.AfterFunc(90*time.Second, func() { _ = cmd.Process.Kill() })
	defer watchdog.Stop()
	for !strings.Contains(got.String(), "tls-protocol-sslv3") {
		n, err := r.Read(buf)
		got.Write(buf[:n])
		if err != nil {
			t.Fatalf("no diagnostics from the server; stdout:\n%s\nstderr:\n%s", got.String(), stderr.String())
		}
	}
	io.WriteString(stdin, body(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)+body(`{"jsonrpc":"2.0","method":"exit"}`))
	done := make(chan error, 1)
	go func() { _, _ = io.Copy(io.Discard, r); done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("serve did not exit after shutdown and exit")
	}
	if b, err := os.ReadFile(trace); err != nil || !strings.Contains(string(b), "textDocument/didOpen") {
		t.Errorf("trace file: %v %q", err, b)
	}
}
