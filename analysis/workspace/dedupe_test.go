package workspace

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// TestDedupeMatchesSet compares Dedupe with the plain set of keys it
// stands for, on sorted input (compared in runs), shuffled input and runs
// long enough to switch to the set.
func TestDedupeMatchesSet(t *testing.T) {
	a := &syntax.File{Name: "a.conf"}
	a2 := &syntax.File{Name: "a.conf"} // another parse of the same file
	b := &syntax.File{Name: "b.conf"}
	rng := rand.New(rand.NewSource(1))
	for round := range 200 {
		var diags []analysis.Diagnostic
		n := rng.Intn(300)
		for range n {
			f := []*syntax.File{a, a2, b}[rng.Intn(3)]
			start := rng.Intn(5)
			if round%3 == 0 {
				start = 0 // one long run
			}
			diags = append(diags, analysis.Diagnostic{
				File: f, Span: syntax.Span{Start: start, End: start + rng.Intn(2)},
				Rule: fmt.Sprint("r", rng.Intn(2)), Message: fmt.Sprint("m", rng.Intn(40)),
			})
		}
		if round%2 == 0 {
			analysis.SortDiagnostics(diags)
		}
		want := setDedupe(diags)
		got := Dedupe(append([]analysis.Diagnostic(nil), diags...), func(d analysis.Diagnostic) analysis.Diagnostic { return d })
		if len(got) != len(want) {
			t.Fatalf("round %d: %d findings kept, want %d", round, len(got), len(want))
		}
		for i := range got {
			if !sameFinding(got[i], want[i]) {
				t.Fatalf("round %d: finding %d is %+v, want %+v", round, i, got[i], want[i])
			}
		}
	}
}

func setDedupe(diags []analysis.Diagnostic) []analysis.Diagnostic {
	type key struct {
		file       string
		start, end int
		rule, msg  string
	}
	seen := map[key]bool{}
	var out []analysis.Diagnostic
	for _, d := range diags {
		k := key{d.File.Name, d.Span.Start, d.Span.End, d.Rule, d.Message}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}
