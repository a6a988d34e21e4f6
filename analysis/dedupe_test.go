package analysis

import (
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// A finding in a snippet included by two servers comes once per server;
// Dedupe keeps one, with the fixes of both copies merged, and also merges
// copies that are not neighbours after sorting.
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
	out := Dedupe([]Diagnostic{d1, other, d2})
	if len(out) != 2 {
		t.Fatalf("%d findings, want 2", len(out))
	}
	if es := out[0].Fixes[0].Edits; len(es) != 3 || es[0] != rm || es[1] != a || es[2] != b {
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
