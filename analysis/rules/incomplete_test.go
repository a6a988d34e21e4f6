package rules_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
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
				wants += checkTreeWants(t, dir, cfg, diags)
			})
		}
		if ran == len(mains) && wants == 0 {
			t.Errorf("%s: no `# want` comment: a finding that stands shows the rule runs", dir)
		}
	}
}

// wantField is a rule id or a "quoted text" of a `# want` comment.
var wantField = regexp.MustCompile(`"[^"]*"|\S+`)

// checkTreeWants compares findings with the `# want RULE ["covered text"]`
// comments of every file of a configuration, and returns how many
// findings they expect.
func checkTreeWants(t *testing.T, dir string, cfg *config.Config, diags []analysis.Diagnostic) int {
	t.Helper()
	at := func(name string, line int) string {
		if rel, err := filepath.Rel(dir, name); err == nil {
			name = rel
		}
		return fmt.Sprintf("%s:%d", name, line)
	}
	type want struct {
		where, rule, text string
		used              bool
	}
	var wants []*want
	for _, f := range cfg.Files {
		for _, c := range f.Comments {
			rest, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(f.Text(c), "#")), "want ")
			if !ok {
				continue
			}
			line, _ := f.Position(c.Start)
			where := at(f.Name, line)
			for _, fl := range wantField.FindAllString(rest, -1) {
				if strings.HasPrefix(fl, `"`) && len(wants) > 0 {
					wants[len(wants)-1].text = strings.Trim(fl, `"`)
					continue
				}
				wants = append(wants, &want{where: where, rule: fl})
			}
		}
	}
	var unexpected []string
	for _, d := range diags {
		line, _ := d.File.Position(d.Span.Start)
		where, covered := at(d.File.Name, line), d.File.Text(d.Span)
		found := false
		for _, w := range wants {
			if !w.used && w.where == where && w.rule == d.Rule && (w.text == "" || w.text == covered) {
				w.used, found = true, true
				break
			}
		}
		if !found {
			unexpected = append(unexpected, fmt.Sprintf("%s: unexpected %s finding on %q: %s", where, d.Rule, covered, d.Message))
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	for _, w := range wants {
		if !w.used {
			t.Errorf("%s: expected a %s finding %q, got none", w.where, w.rule, w.text)
		}
	}
	return len(wants)
}

// A DHE finding says what nginx does without ssl_dhparam only where no
// include that cannot be read may set it; the finding itself, on the
// list as written, stands.
func TestIncompleteDHParam(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n" +
			"    server {\n        listen 443 ssl;\n        include snippets/missing.conf;\n        ssl_ciphers DHE-RSA-AES128-GCM-SHA256;\n    }\n" +
			"    server {\n        listen 8443 ssl;\n        ssl_ciphers DHE-RSA-AES128-GCM-SHA256;\n    }\n}\n"),
	}
	diags, _ := analysis.Run(loadTree(t, fs), []*analysis.Analyzer{rules.CipherDHE}, analysis.DefaultSettings())
	var got []string
	for _, d := range diags {
		line, _ := d.File.Position(d.Span.Start)
		got = append(got, fmt.Sprintf("%d %t", line, strings.Contains(d.Message, "without ssl_dhparam")))
	}
	if want := "6 false, 10 true"; strings.Join(got, ", ") != want {
		t.Errorf("findings (line, says what nginx does without ssl_dhparam): %s, want %s", strings.Join(got, ", "), want)
	}
}
