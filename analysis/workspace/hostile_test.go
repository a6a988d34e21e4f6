package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/rules"
)

// TestBinaryIncluded: a file with NUL bytes is not a configuration where
// it is included either: one finding on the include, none in the file.
func TestBinaryIncluded(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"nginx.conf": "events {}\nhttp {\n    include env.inc;\n}\n",
		"env.inc":    "PATH=/bin\x00SECRET=canary\x00X=1\nserver {\n}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := New(Options{Analyzers: rules.All})
	rep := ws.Check(context.Background(), []string{filepath.Join(dir, "nginx.conf")})
	var got []string
	for _, d := range rep.Diagnostics {
		if strings.Contains(d.Message, "canary") || filepath.Base(d.File.Name) == "env.inc" {
			t.Errorf("a finding in the binary file: %s", d.Message)
		}
		if d.Rule == "nginx-include" {
			got = append(got, d.Message)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "is not a configuration: it holds NUL bytes") {
		t.Errorf("include findings: %q", got)
	}
	// Given alone, it is refused as well.
	rep = ws.Check(context.Background(), []string{filepath.Join(dir, "env.inc")})
	if len(rep.Diagnostics) != 0 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "binary file") {
		t.Errorf("the binary file alone: %d findings, errors %v", len(rep.Diagnostics), rep.Errors)
	}
}
