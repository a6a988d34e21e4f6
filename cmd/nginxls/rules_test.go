package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/rules"
)

func TestRulesList(t *testing.T) {
	t.Parallel()
	r := nginxls(t, "", "rules")
	r.wantCode(t, 0)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != len(rules.All) {
		t.Fatalf("%d lines for %d rules:\n%s", len(lines), len(rules.All), r.stdout)
	}
	for i, a := range rules.All {
		if f := strings.Fields(lines[i]); len(f) < 3 || f[0] != a.ID || f[1] != a.Severity.String() || !strings.HasSuffix(lines[i], a.Title) {
			t.Errorf("line %q, want %s %s %s", lines[i], a.ID, a.Severity, a.Title)
		}
	}

	r = nginxls(t, "", "rules", "--format", "markdown")
	r.wantCode(t, 0)
	md := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(md) != len(rules.All)+2 || !strings.HasPrefix(md[0], "| ") || !strings.HasPrefix(md[1], "|---") {
		t.Fatalf("markdown table:\n%s", r.stdout)
	}
	for i, a := range rules.All {
		if !strings.HasPrefix(md[i+2], "| [`"+a.ID+"`]("+docsLink(a)+") | "+a.Severity.String()+" | ") {
			t.Errorf("row %q for rule %s", md[i+2], a.ID)
		}
	}
	nginxls(t, "", "rules", "--format", "html").wantCode(t, 2)
}

// TestReadmeRules checks that the README's rule table is the one `nginxls
// rules --format markdown` prints; `make readme` rewrites it.
func TestReadmeRules(t *testing.T) {
	t.Parallel()
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i || strings.Count(readme, begin) != 1 || strings.Count(readme, end) != 1 {
		t.Fatalf("README.md must hold the markers %q and %q once each, in this order", begin, end)
	}
	r := nginxls(t, "", "rules", "--format", "markdown")
	r.wantCode(t, 0)
	if got := readme[i+len(begin) : j]; got != r.stdout {
		t.Errorf("the README's rule table is out of date (run make readme):\n%s\nwant:\n%s", got, r.stdout)
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	a := rules.Lookup("tls-early-data")
	r := nginxls(t, "", "explain", a.ID)
	r.wantCode(t, 0)
	for _, want := range append([]string{
		a.ID + ": " + a.Title + "\n",
		"Default severity: warning\n",
		strings.TrimSpace(a.Doc),
		"References:\n",
	}, a.Refs...) {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("nginxls explain %s lacks %q:\n%s", a.ID, want, r.stdout)
		}
	}
	// Every rule can be explained.
	for _, a := range rules.All {
		nginxls(t, "", "explain", a.ID).wantCode(t, 0)
	}

	r = nginxls(t, "", "explain", "tls-early")
	r.wantCode(t, 2)
	if !strings.Contains(r.stderr, `unknown rule "tls-early"`) || !strings.Contains(r.stderr, "tls-early-data") {
		t.Errorf("stderr = %q", r.stderr)
	}
	nginxls(t, "", "explain").wantCode(t, 2)
}

// TestDocsRules checks that docs/rules.md, where findings link to, is the
// reference `nginxls rules --format docs` prints.
func TestDocsRules(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(docsPath)))
	if err != nil {
		t.Fatal(err)
	}
	r := nginxls(t, "", "rules", "--format", "docs")
	r.wantCode(t, 0)
	if string(b) != r.stdout {
		t.Errorf("%s is out of date: run go run ./cmd/nginxls rules --format docs > %s", docsPath, docsPath)
	}
	for _, a := range rules.All {
		if !strings.HasSuffix(a.URL(), "/"+docsPath+"#"+a.ID) || !strings.Contains(r.stdout, "\n## "+a.ID+"\n") {
			t.Errorf("rule %s: its URL %s has no section in %s", a.ID, a.URL(), docsPath)
		}
	}
}
