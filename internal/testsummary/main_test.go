package main

import (
	"strings"
	"testing"
)

// A stream as go test -json writes it: a package that passes with a skip
// and a subtest skipped, one that fails in a subtest, and a build error.
const stream = `{"Action":"start","Package":"m/a"}
{"Action":"run","Package":"m/a","Test":"TestOK"}
{"Action":"output","Package":"m/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"output","Package":"m/a","Test":"TestOK","Output":"    a_test.go:9: chatter of a passing test\n"}
{"Action":"output","Package":"m/a","Test":"TestOK","Output":"--- PASS: TestOK (0.00s)\n"}
{"Action":"pass","Package":"m/a","Test":"TestOK"}
{"Action":"run","Package":"m/a","Test":"TestNginx"}
{"Action":"output","Package":"m/a","Test":"TestNginx","Output":"=== RUN   TestNginx\n"}
{"Action":"output","Package":"m/a","Test":"TestNginx","Output":"    a_test.go:20: nginx is not installed (install it to run this test)\n"}
{"Action":"output","Package":"m/a","Test":"TestNginx","Output":"--- SKIP: TestNginx (0.00s)\n"}
{"Action":"skip","Package":"m/a","Test":"TestNginx"}
{"Action":"output","Package":"m/a","Test":"TestCases/x","Output":"    a_test.go:31: set up\n"}
{"Action":"output","Package":"m/a","Test":"TestCases/x","Output":"    a_test.go:33: nginx is not installed (install it to run this test)\n"}
{"Action":"skip","Package":"m/a","Test":"TestCases/x"}
{"Action":"pass","Package":"m/a","Test":"TestCases"}
{"Action":"output","Package":"m/a","Output":"PASS\n"}
{"Action":"output","Package":"m/a","Output":"ok  \tm/a\t0.01s\n"}
{"Action":"pass","Package":"m/a"}
{"Action":"output","Package":"m/b","Test":"TestBad","Output":"=== RUN   TestBad\n"}
{"Action":"output","Package":"m/b","Test":"TestBad/one","Output":"=== RUN   TestBad/one\n"}
{"Action":"output","Package":"m/b","Test":"TestBad/one","Output":"    b_test.go:5: got 1, want 2\n"}
{"Action":"output","Package":"m/b","Test":"TestBad/one","Output":"    --- FAIL: TestBad/one (0.00s)\n"}
{"Action":"fail","Package":"m/b","Test":"TestBad/one"}
{"Action":"output","Package":"m/b","Test":"TestBad","Output":"--- FAIL: TestBad (0.00s)\n"}
{"Action":"fail","Package":"m/b","Test":"TestBad"}
{"Action":"output","Package":"m/b","Output":"FAIL\n"}
{"Action":"output","Package":"m/b","Output":"FAIL\tm/b\t0.01s\n"}
{"Action":"fail","Package":"m/b"}
{"ImportPath":"m/c","Action":"build-output","Output":"c.go:3:1: syntax error\n"}
`

func TestSummarize(t *testing.T) {
	var out strings.Builder
	skips := summarize(strings.NewReader(stream), &out, "m/")
	want := "ok  \tm/a\t0.01s\n" +
		"    b_test.go:5: got 1, want 2\n    --- FAIL: TestBad/one (0.00s)\n--- FAIL: TestBad (0.00s)\n" +
		"FAIL\nFAIL\tm/b\t0.01s\n" +
		"c.go:3:1: syntax error\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	if len(skips) != 2 || skips[0] != (skip{"a", "TestNginx", "nginx is not installed (install it to run this test)"}) ||
		skips[1].Test != "TestCases/x" || skips[1].Reason != skips[0].Reason {
		t.Errorf("skips: %q", skips)
	}

	out.Reset()
	printSkips(&out, append(skips, skip{"b", "TestNoWhy", "(no reason given)"}))
	for _, want := range []string{
		"3 tests skipped",
		"    2  nginx is not installed (install it to run this test)\n       a.TestNginx, a.TestCases/x\n",
		"    1  (no reason given)\n       b.TestNoWhy\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("skips printed:\n%s\nlack %q", out.String(), want)
		}
	}
	out.Reset()
	if printSkips(&out, nil); out.Len() != 0 {
		t.Errorf("no skips printed %q", out.String())
	}
}

func TestRaceDetector(t *testing.T) {
	env := func(cgo, cc string) func(string) string {
		return func(k string) string { return map[string]string{"CGO_ENABLED": cgo, "CC": cc}[k] }
	}
	if ok, why := raceDetector(env("0", "gcc")); ok || !strings.Contains(why, "CGO_ENABLED=0") {
		t.Errorf("cgo off: %v %q", ok, why)
	}
	if ok, why := raceDetector(env("1", "no-such-compiler-here -m64")); ok || !strings.Contains(why, "no-such-compiler-here is not on the PATH") {
		t.Errorf("no compiler: %v %q", ok, why)
	}
	if ok, _ := raceDetector(env("1", "go")); !ok { // any program on the PATH stands for the compiler
		t.Error("cgo on, compiler found: no race detector")
	}
}
