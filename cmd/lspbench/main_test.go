package main

import (
	"os/exec"
	"path/filepath"
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
	if err := run(&out, bin, 4, 1, false, nil); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"initialize", "200-line, 4 edits: p50", "27,000-line, 4 edits: p50", "VmHWM"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in the report:\n%s", want, out.String())
		}
	}
}
