package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// withRule runs check in-process with one extra rule.
func withRule(t *testing.T, a *analysis.Analyzer, args ...string) (int, string) {
	t.Helper()
	saved := analyzers
	analyzers = []*analysis.Analyzer{a}
	defer func() { analyzers = saved }()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"check"}, args...), strings.NewReader(""), &stdout, &stderr)
	return code, stderr.String()
}

// A fix that would break the file (here: an unbalanced brace) is not
// written, and check says so.
func TestFixRefusesSyntaxErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.conf")
	orig := "http {\n    ssl_protocols TLSv1.2;\n}\n"
	os.WriteFile(path, []byte(orig), 0o644)
	breaker := &analysis.Analyzer{ID: "breaker", Title: "Breaks", Severity: analysis.Error, Run: func(p *analysis.Pass) {
		for _, f := range p.Config.Files {
			if bytes.HasPrefix(f.Src, []byte("{ ")) {
				continue // fixed, as far as this rule can tell
			}
			p.Report(analysis.Diagnostic{File: f, Span: syntax.Span{Start: 0, End: 4}, Message: "m",
				Fixes: []analysis.SuggestedFix{{Edits: []analysis.TextEdit{{File: f, Span: syntax.Span{Start: 0, End: 0}, NewText: "{ "}}}}})
		}
	}}
	code, stderr := withRule(t, breaker, "--fix", path)
	if code != 2 || !strings.Contains(stderr, "would add syntax errors") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != orig {
		t.Errorf("the file was written:\n%s", b)
	}
}

// A fix whose finding does not go away is not applied round after round.
func TestFixStopsWhenNothingImproves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.conf")
	orig := "events {}\n"
	os.WriteFile(path, []byte(orig), 0o644)
	stubborn := &analysis.Analyzer{ID: "stubborn", Title: "Stays", Severity: analysis.Error, Run: func(p *analysis.Pass) {
		for _, f := range p.Config.Files {
			p.Report(analysis.Diagnostic{File: f, Span: syntax.Span{Start: 0, End: 6}, Message: "m",
				Fixes: []analysis.SuggestedFix{{Edits: []analysis.TextEdit{{File: f, Span: syntax.Span{Start: len(f.Src), End: len(f.Src)}, NewText: "# x\n"}}}}})
		}
	}}
	withRule(t, stubborn, "--fix", path)
	if b, _ := os.ReadFile(path); string(b) != orig {
		t.Errorf("a fix that changes nothing was applied:\n%s", b)
	}
}
