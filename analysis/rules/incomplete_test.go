package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestIncomplete runs each rule on the configurations under
// testdata/rules/RULE/incomplete/: every *.conf there is a main file,
// loaded with the files it includes (from the folders beside it), and
// includes some that cannot be read (a missing file, an absolute path
// outside the folder). Findings that assert what a block lacks or inherits
// are held back where such an include may set it; findings on what is
// written stand. Expectations are `# want` comments, as for TestRules, in
// any file of the configuration.
func TestIncomplete(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(t), "testdata", "rules")
	dirs, err := filepath.Glob(filepath.Join(root, "*", "incomplete"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no testdata/rules/*/incomplete folder")
	}
	certs := certFixtures(t)
	for _, dir := range dirs {
		id := filepath.Base(filepath.Dir(dir))
		a := rules.Lookup(id)
		if a == nil {
			t.Errorf("%s: no rule %s", dir, id)
			continue
		}
		mains, _ := filepath.Glob(filepath.Join(dir, "*.conf"))
		if len(mains) == 0 {
			t.Errorf("no *.conf under %s", dir)
		}
		ran, wants := 0, 0 // in the folder: a finding that stands shows the rule runs
		for _, path := range mains {
			t.Run(id+"/"+filepath.Base(path), func(t *testing.T) {
				ran++
				cfg, err := config.LoadTree(config.OSFS{}, path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if cfg.Holes() == 0 {
					t.Fatal("every include could be read: the test proves nothing")
				}
				refs := config.MemFS{}
				for name, data := range certs {
					refs[filepath.Clean(cfg.Resolve(name))] = data
				}
				cfg.Refs = refs
				s, err := analysistest.ParseSettings(cfg.Main)
				if err != nil {
					t.Fatal(err)
				}
				diags, errs := analysis.Run(cfg, []*analysis.Analyzer{a}, s)
				for _, e := range errs {
					t.Error(e)
				}
				wants += analysistest.Check(t, cfg.Files, diags, func(f *syntax.File) string {
					if rel, err := filepath.Rel(dir, f.Name); err == nil {
						return rel
					}
					return f.Name
				})
			})
		}
		if ran == len(mains) && wants == 0 {
			t.Errorf("%s: no `# want` comment: a finding that stands shows the rule runs", dir)
		}
	}
}
