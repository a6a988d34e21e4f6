package rules_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestRules runs every rule on its own directory of testdata/rules, named
// after the rule id, with `# want` expectations and golden fixes.
func TestRules(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(t), "testdata", "rules")
	for _, a := range rules.All {
		dir := filepath.Join(root, a.ID)
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("rule %s has no test directory %s", a.ID, dir)
			continue
		}
		t.Run(a.ID, func(t *testing.T) {
			analysistest.Run(t, dir, []*analysis.Analyzer{a})
		})
	}
}

// TestRegistry checks what every rule must carry.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range rules.All {
		if seen[a.ID] {
			t.Errorf("duplicate rule id %s", a.ID)
		}
		seen[a.ID] = true
		if a.Title == "" || len(a.Doc) < 80 || a.Severity == 0 || a.Run == nil || len(a.Refs) == 0 {
			t.Errorf("rule %s lacks a title, documentation, references, severity or Run", a.ID)
		}
		if rules.Lookup(a.ID) != a {
			t.Errorf("Lookup(%q) does not find the rule", a.ID)
		}
	}
}
