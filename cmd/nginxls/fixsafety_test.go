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

// A fix that would set a directive a second time in its block, here
// through an include, is left out and listed; the other fixes are kept.
func TestFixRefusesDuplicates(t *testing.T) {
	dir := t.TempDir()
	main := writeFile(t, dir, "nginx.conf", "events {}\nhttp {\n    server {\n        listen 80;\n        include tokens.conf;\n    }\n}\n")
	writeFile(t, dir, "tokens.conf", "server_tokens off;\n")
	server := func(f *syntax.File) *syntax.Directive {
		var s *syntax.Directive
		syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
			if d.Name.Value == "server" {
				s = d
			}
			return true
		})
		return s
	}
	inserter := &analysis.Analyzer{ID: "inserter", Title: "Inserts", Severity: analysis.Warning, Run: func(p *analysis.Pass) {
		for _, f := range p.Config.Files {
			s := server(f)
			if s == nil {
				continue
			}
			listen := s.Block.Directives[0]
			at := syntax.Span{Start: listen.End(), End: listen.End()}
			if !bytes.Contains(f.Src, []byte("gzip")) {
				p.Report(analysis.Diagnostic{File: f, Span: listen.Name.Span, Message: "no gzip",
					Fixes: []analysis.SuggestedFix{{Title: "Add gzip", Edits: []analysis.TextEdit{{File: f, Span: at, NewText: " gzip on;"}}}}})
			}
			p.Report(analysis.Diagnostic{File: f, Span: s.Name.Span, Message: "tokens",
				Fixes: []analysis.SuggestedFix{{Title: "Add server_tokens off", Edits: []analysis.TextEdit{{File: f, Span: syntax.Span{Start: s.Block.Open + 1, End: s.Block.Open + 1}, NewText: " server_tokens off;"}}}}})
		}
	}}
	code, stderr := withRule(t, inserter, "--fix", main)
	if code != 0 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	got := readFile(t, main)
	if strings.Contains(got, "server_tokens") || !strings.Contains(got, "gzip on;") {
		t.Errorf("want gzip added and no second server_tokens:\n%s", got)
	}
	if !strings.Contains(stderr, "not fixed: ") || !strings.Contains(stderr, "Add server_tokens off [inserter]: it would add a second server_tokens in one server block") {
		t.Errorf("the fix left out is not listed with its reason: %q", stderr)
	}
}

// A fix after which a rule reports a new error is left out.
func TestFixRefusesNewErrors(t *testing.T) {
	path := writeFile(t, t.TempDir(), "a.conf", "http {\n    gzip off;\n}\n")
	worsen := &analysis.Analyzer{ID: "worsen", Title: "Worsens", Severity: analysis.Warning, Run: func(p *analysis.Pass) {
		for _, f := range p.Config.Files {
			if i := bytes.Index(f.Src, []byte("gzip off")); i >= 0 {
				p.Report(analysis.Diagnostic{File: f, Span: syntax.Span{Start: i, End: i + 4}, Message: "gzip off",
					Fixes: []analysis.SuggestedFix{{Title: "Turn gzip on", Edits: []analysis.TextEdit{{File: f, Span: syntax.Span{Start: i + 5, End: i + 8}, NewText: "on"}}}}})
			}
			if i := bytes.Index(f.Src, []byte("gzip on")); i >= 0 {
				p.Report(analysis.Diagnostic{File: f, Span: syntax.Span{Start: i, End: i + 4}, Severity: analysis.Error, Message: "gzip on"})
			}
		}
	}}
	code, stderr := withRule(t, worsen, "--fix", path)
	if code != 0 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if got := readFile(t, path); strings.Contains(got, "gzip on") {
		t.Errorf("a fix that adds an error was applied:\n%s", got)
	}
	if !strings.Contains(stderr, "Turn gzip on [worsen]: it would add an error finding [worsen]") {
		t.Errorf("stderr %q", stderr)
	}
}

// When a round must be retried fix by fix, every harmless fix of it is
// kept: each is tried alone on the round's text, then those that do no
// harm are applied together. A fix offered only on the untouched text
// (#a) is not lost to the one tried after it.
func TestFixRetriedOneByOneKeepsTheHarmless(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.conf")
	pristine := "events {}\nhttp {}\n"
	if err := os.WriteFile(path, []byte(pristine), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &analysis.Analyzer{ID: "r", Title: "R", Severity: analysis.Warning, Run: func(p *analysis.Pass) {
		for _, f := range p.Config.Files {
			for i, m := range []string{"#a", "#b", "#c"} {
				if bytes.Contains(f.Src, []byte(m)) || m == "#a" && string(f.Src) != pristine {
					continue
				}
				// Each inserts its own line: #a at the start, #b after the
				// first line, #c at the end; all three in the first round.
				at := []int{0, len("events {}\n"), len(f.Src)}[i]
				p.Report(analysis.Diagnostic{File: f, Span: syntax.Span{Start: 0, End: 6}, Message: m,
					Fixes: []analysis.SuggestedFix{{Title: m, Edits: []analysis.TextEdit{{File: f, Span: syntax.Span{Start: at, End: at}, NewText: m + "\n"}}}}})
			}
			if bytes.Contains(f.Src, []byte("#c")) {
				p.Report(analysis.Diagnostic{File: f, Span: syntax.Span{Start: 0, End: 6}, Severity: analysis.Error, Message: "the fix #c does harm"})
			}
		}
	}}
	_, stderr := withRule(t, a, "--fix", path)
	b, _ := os.ReadFile(path)
	if !bytes.Contains(b, []byte("#a")) || !bytes.Contains(b, []byte("#b")) || bytes.Contains(b, []byte("#c")) {
		t.Errorf("the file holds:\n%s\nwant #a and #b, not #c; stderr:\n%s", b, stderr)
	}
}
