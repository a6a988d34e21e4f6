package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// A short run keeps the driver working; the figures come from make bench.
func TestRun(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "nginxls")
	build := exec.Command("go", "build", "-o", bin, "./cmd/nginxls")
	build.Dir = testenv.RepoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var out strings.Builder
	b := bench{server: bin, edits: 4, sizes: []int{200, 27000}}
	if err := b.run(&out, 1, false); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"initialize", "200-line, 4 edits: p50", "27,000-line, 4 edits: p50", "VmHWM"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in the report:\n%s", want, out.String())
		}
	}

	// Comparing: a row per size and variant.
	out.Reset()
	b = bench{server: bin, edits: 2, sizes: []int{200, 2000}}
	if err := b.compare(&out, variants(bin, bin, true), 1); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, size := range []string{"200-line", "2,000-line"} {
		for _, v := range []string{"incremental", "baseline", "NGINXLS_NO_INCREMENTAL=1"} {
			if !regexp.MustCompile(`(?m)^` + size + ` +` + v + ` +[0-9.]+ ms`).MatchString(out.String()) {
				t.Errorf("no row for %s, %s in the report:\n%s", size, v, out.String())
			}
		}
	}
}

func TestConfigSizes(t *testing.T) {
	for _, lines := range []int{200, 2000, 27000} {
		got := strings.Count(string(config(lines)), "\n")
		if got < lines-5 || got > lines+5 {
			t.Errorf("config(%d) has %d lines", lines, got)
		}
	}
}
