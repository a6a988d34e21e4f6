// Command testsummary runs go test and prints what a plain go test prints
// (a line per package, the output of the tests that fail), then the tests
// that were skipped and why: the tests that compare with nginx, openssl
// or an editor skip when it is missing, and a run should say so rather
// than pass in silence.
//
//	go run ./internal/testsummary [go test flags] [packages]
//
// It adds -race where the race detector can be built (cgo enabled and a C
// compiler at hand) and says when it cannot. Its exit status is go
// test's.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
)

func main() {
	args := []string{"test", "-json"}
	race, why := raceDetector(goEnv)
	if race && !slices.Contains(os.Args[1:], "-race") {
		args = append(args, "-race")
	}
	args = append(args, os.Args[1:]...)
	fmt.Printf("go %s\n", strings.Join(slices.Delete(slices.Clone(args), 1, 2), " "))
	if !race {
		fmt.Printf("without the race detector: %s\n", why)
	}
	cmd := exec.Command("go", args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	skips := summarize(out, os.Stdout, modulePrefix())
	err = cmd.Wait()
	printSkips(os.Stdout, skips)
	if ee, ok := err.(*exec.ExitError); ok {
		os.Exit(ee.ExitCode())
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
}

// raceDetector says whether go test -race can run here, and if not why:
// it needs cgo, which needs a C compiler.
func raceDetector(env func(string) string) (ok bool, why string) {
	if cgo := env("CGO_ENABLED"); cgo != "1" {
		return false, "cgo is off (CGO_ENABLED=" + cgo + ")"
	}
	cc := strings.Fields(env("CC"))
	if len(cc) == 0 {
		return false, "no C compiler is set (go env CC)"
	}
	if _, err := exec.LookPath(cc[0]); err != nil {
		return false, "the C compiler " + cc[0] + " is not on the PATH"
	}
	return true, ""
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// modulePrefix is the main module's path and a slash, which package names
// are shown without.
func modulePrefix() string {
	out, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out)) + "/"
}

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// skip is a test that was skipped.
type skip struct {
	Package, Test, Reason string
}

// summarize reads go test -json and writes what go test without -v would:
// package results and build errors as they come, a failed test's output
// when it fails. It returns the tests skipped, in the order they ended.
func summarize(r io.Reader, w io.Writer, prefix string) []skip {
	type key struct{ pkg, test string }
	outputs := map[key][]string{}
	var skips []skip
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			fmt.Fprintln(w, sc.Text()) // not an event: keep it
			continue
		}
		k := key{e.Package, e.Test}
		switch {
		case e.Action == "build-output":
			fmt.Fprint(w, e.Output)
		case e.Action == "output" && e.Test == "":
			if e.Output != "PASS\n" {
				fmt.Fprint(w, e.Output)
			}
		case e.Action == "output":
			outputs[k] = append(outputs[k], e.Output)
		case e.Action == "fail" && e.Test != "":
			lines := framed(outputs[k])
			delete(outputs, k)
			// A subtest's output goes with its parent's, which
			// fails too and prints both.
			if parent, _, ok := cutLast(e.Test, "/"); ok {
				pk := key{e.Package, parent}
				outputs[pk] = append(outputs[pk], lines...)
				continue
			}
			fmt.Fprint(w, strings.Join(lines, ""))
		case e.Action == "skip" && e.Test != "":
			skips = append(skips, skip{strings.TrimPrefix(e.Package, prefix), e.Test, reason(outputs[k])})
			delete(outputs, k)
		case e.Action == "pass" && e.Test != "":
			delete(outputs, k)
		}
	}
	return skips
}

// framed drops the lines test2json's verbose mode adds (=== RUN, PAUSE,
// CONT, NAME), which a plain go test does not print.
func framed(lines []string) []string {
	var out []string
	for _, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "=== ") {
			out = append(out, l)
		}
	}
	return out
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// logPrefix is where t.Skip was called: "file_test.go:12: ".
var logPrefix = regexp.MustCompile(`^\S+\.go:\d+: `)

// reason is what a skipped test said last: the message of t.Skip.
func reason(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		return logPrefix.ReplaceAllString(l, "")
	}
	return "(no reason given)"
}

// printSkips lists the skipped tests by reason, the most frequent reason
// first, a few names each.
func printSkips(w io.Writer, skips []skip) {
	if len(skips) == 0 {
		return
	}
	byReason := map[string][]skip{}
	var reasons []string
	for _, s := range skips {
		if byReason[s.Reason] == nil {
			reasons = append(reasons, s.Reason)
		}
		byReason[s.Reason] = append(byReason[s.Reason], s)
	}
	slices.SortStableFunc(reasons, func(a, b string) int { return len(byReason[b]) - len(byReason[a]) })
	fmt.Fprintf(w, "\n%d tests skipped (with NGINXLS_REQUIRE_TOOLS=1, those missing a program fail instead):\n", len(skips))
	const shown = 4
	for _, r := range reasons {
		list := byReason[r]
		var names []string
		for _, s := range list[:min(len(list), shown)] {
			names = append(names, s.Package+"."+s.Test)
		}
		if len(list) > shown {
			names = append(names, fmt.Sprintf("and %d more", len(list)-shown))
		}
		fmt.Fprintf(w, "  %3d  %s\n       %s\n", len(list), r, strings.Join(names, ", "))
	}
}
