package rules_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// TestRuleDocs holds docs/ to the registry: one Markdown file per rule and
// none for a rule that does not exist, each with a "Severity:" paragraph
// and references, and every shared paragraph (_NAME.md) used.
func TestRuleDocs(t *testing.T) {
	for _, err := range rules.DocErrors() {
		t.Error(err)
	}
	entries, err := os.ReadDir("docs")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, e := range entries {
		files[e.Name()] = true
		id, ok := strings.CutSuffix(e.Name(), ".md")
		switch {
		case !ok || e.IsDir():
			t.Errorf("docs/%s: only rule documentation (ID.md) belongs in docs/", e.Name())
		case strings.HasPrefix(id, "_"):
			used := false
			for _, other := range entries {
				b, _ := os.ReadFile("docs/" + other.Name())
				used = used || strings.Contains(string(b), "<!-- include "+e.Name()+" -->")
			}
			if !used {
				t.Errorf("docs/%s is included by no rule's documentation", e.Name())
			}
		case rules.Lookup(id) == nil:
			t.Errorf("docs/%s documents no registered rule", e.Name())
		}
	}
	for _, a := range rules.All {
		if !files[a.ID+".md"] {
			t.Errorf("rule %s has no docs/%s.md", a.ID, a.ID)
			continue
		}
		if !regexp.MustCompile(`(^|\n\n)Severity: `).MatchString(a.Doc) {
			t.Errorf("docs/%s.md has no \"Severity:\" paragraph saying why the rule has its default", a.ID)
		}
		if strings.Contains(a.Doc, "\nReferences:") {
			t.Errorf("docs/%s.md: the references must come last, as one list", a.ID)
		}
	}
}

// TestRuleDocsMozillaLists holds the Mozilla lists the docs quote, in their
// text and Prefer examples, to the ones the fixes write (package tlsdata):
// the docs copy them as text.
func TestRuleDocsMozillaLists(t *testing.T) {
	lists := []struct {
		re   *regexp.Regexp
		want string
	}{
		{regexp.MustCompile(`ECDHE-ECDSA-AES128-GCM-SHA256:[A-Z0-9:-]+`), tlsdata.MozillaIntermediate},
		{regexp.MustCompile(`TLS_AES_128_GCM_SHA256:[A-Z0-9_:]+`), tlsdata.MozillaCiphersuites},
	}
	quoted := 0
	for _, a := range rules.All {
		// What to avoid may quote lists that are not Mozilla's.
		doc := a.Doc
		exs, _ := docExamples(doc)
		for _, ex := range exs {
			if ex.avoid {
				doc = strings.Replace(doc, ex.src, "", 1)
			}
		}
		for _, l := range lists {
			for _, got := range l.re.FindAllString(doc, -1) {
				quoted++
				if got != l.want {
					t.Errorf("docs/%s.md quotes %s, Mozilla's list is %s", a.ID, got, l.want)
				}
			}
		}
	}
	if quoted < 5 {
		t.Errorf("only %d quotes of Mozilla's lists found: the pattern no longer matches the docs", quoted)
	}
}
