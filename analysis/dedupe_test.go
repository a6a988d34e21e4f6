package analysis

import (
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// A finding in a snippet included by two servers comes once per server;
// Dedupe keeps one, with the fixes of both copies merged, and also merges
// copies that were not neighbours before sorting.
func TestDedupeMergesFixes(t *testing.T) {
	f := syntax.Parse("s.conf", []byte("ssl on;\nlisten 443;\nlisten 8443;\n"))
	g := syntax.Parse("g.conf", []byte("x;\n"))
	rm := TextEdit{File: f, Span: syntax.Span{Start: 0, End: 8}}
	a := TextEdit{File: f, Span: syntax.Span{Start: 18, End: 18}, NewText: " ssl"}
	b := TextEdit{File: f, Span: syntax.Span{Start: 31, End: 31}, NewText: " ssl"}
	d1 := Diagnostic{File: f, Span: syntax.Span{Start: 0, End: 7}, Rule: "r", Message: "m", Fixes: []SuggestedFix{{Title: "t", Edits: []TextEdit{rm, a}}}}
	d2 := d1
	d2.Fixes = []SuggestedFix{{Title: "t", Edits: []TextEdit{rm, b}}}
	other := Diagnostic{File: g, Span: syntax.Span{Start: 0, End: 1}, Rule: "q", Message: "n"}
	diags := []Diagnostic{d1, other, d2}
	SortDiagnostics(diags)
	out := Dedupe(diags)
	if len(out) != 2 {
		t.Fatalf("%d findings, want 2", len(out))
	}
	if es := out[1].Fixes[0].Edits; len(es) != 3 || es[0] != rm || es[1] != a || es[2] != b {
		t.Errorf("merged edits: %+v", es)
	}
}

// Two identical insertions in one fix are one edit, not a collision.
func TestMergeFixesIdenticalEdits(t *testing.T) {
	f := syntax.Parse("s.conf", []byte("listen 443;\n"))
	ins := TextEdit{File: f, Span: syntax.Span{Start: 10, End: 10}, NewText: " ssl"}
	d := Diagnostic{File: f, Fixes: []SuggestedFix{{Edits: []TextEdit{ins, ins}}}}
	edits, skipped := MergeFixes([]Diagnostic{d})
	if len(skipped) != 0 || len(edits[f]) != 1 {
		t.Errorf("edits %v, skipped %d", edits[f], len(skipped))
	}
}

// A finding in a snippet points at every place that includes it, with the
// server there.
func TestIncludeSites(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    server {\n        server_name a.example;\n        include tls.conf;\n    }\n" +
			"    server {\n        server_name b.example;\n        include tls.conf;\n    }\n}\n"),
		"/etc/nginx/tls.conf": []byte("ssl_early_data on;\n"),
	}
	cfg, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	probe := &Analyzer{ID: "probe", Severity: Info, Run: func(p *Pass) {
		for _, l := range p.Config.Named("ssl_early_data") {
			p.Reportf(l.File, l.Dir.Name.Span, "found")
		}
	}}
	diags, _ := Run(cfg, []*Analyzer{probe}, DefaultSettings())
	if len(diags) != 1 {
		t.Fatalf("%d findings, want 1 (merged)", len(diags))
	}
	var msgs []string
	for _, r := range diags[0].Related {
		msgs = append(msgs, r.File.Text(r.Span)+" | "+r.Message)
	}
	want := "include tls.conf; | included here, in server a.example\ninclude tls.conf; | included here, in server b.example"
	if got := strings.Join(msgs, "\n"); got != want {
		t.Errorf("related:\n%s\nwant:\n%s", got, want)
	}
}
