package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/internal/testenv"
)

// The scaffold writes the three files and the registry line, refuses to
// write twice and rejects what is not a rule. That the result builds and
// passes the rule tests was checked by generating a rule in the
// repository; here it must at least be Go and say the rule's names.
func TestScaffold(t *testing.T) {
	root := t.TempDir()
	reg, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "analysis", "rules", "registry.go"))
	if err != nil {
		t.Fatal(err)
	}
	rules := filepath.Join(root, "analysis", "rules")
	if err := os.MkdirAll(rules, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rules, "registry.go"), reg, 0o644); err != nil {
		t.Fatal(err)
	}

	r := rule{ID: "tls-buffer-size", Title: "ssl_buffer_size is too large", Severity: "info", Directive: "ssl_buffer_size"}
	written, err := scaffold(root, &r)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "TLSBufferSize" || r.File != "buffersize.go" || len(written) != 4 {
		t.Errorf("name %s, file %s, wrote %v", r.Name, r.File, written)
	}
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for rel, wants := range map[string][]string{
		"analysis/rules/buffersize.go":                    {`ID:       "tls-buffer-size"`, "Severity: analysis.Info", `p.Config.Named("ssl_buffer_size")`},
		"analysis/rules/docs/tls-buffer-size.md":          {"**Avoid**", "**Prefer**", "\nSeverity: info.", "\nReferences:\n\n- "},
		"testdata/rules/tls-buffer-size/buffer-size.conf": {"ssl_buffer_size on;  # want tls-buffer-size"},
		"analysis/rules/registry.go":                      {"\tTLSBufferSize,\n\tanalysis.Ignore,\n}"},
	} {
		text := read(rel)
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", rel, w, text)
			}
		}
	}
	for _, rel := range []string{"analysis/rules/buffersize.go", "analysis/rules/registry.go"} {
		if _, err := parser.ParseFile(token.NewFileSet(), rel, read(rel), 0); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
	}

	if _, err := scaffold(root, &rule{ID: "tls-buffer-size", Title: "t", Severity: "info", Directive: "ssl_buffer_size"}); err == nil {
		t.Error("a second scaffold of the same rule was written")
	}
	for _, bad := range []rule{
		{ID: "TLS_Buffer", Title: "t", Severity: "info", Directive: "ssl_buffer_size"},
		{ID: "tls-x", Title: "t", Severity: "fatal", Directive: "ssl_buffer_size"},
		{ID: "tls-y", Title: "t", Severity: "info", Directive: "ssl buffer"},
		{ID: "tls-z", Title: `a "quoted" title`, Severity: "info", Directive: "ssl_buffer_size"},
	} {
		if _, err := scaffold(root, &bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}
