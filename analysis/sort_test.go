package analysis

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// The fast order (compact keys) is the plain comparator's: file name
// (files of one name alike), start, rule, then original order; huge and
// negative offsets included.
func TestSortedOrderMatchesComparator(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	files := []*syntax.File{{Name: "b.conf"}, {Name: "a.conf"}, {Name: "a.conf"}, {Name: "c.conf"}}
	for round := range 300 {
		diags := make([]*Diagnostic, rng.IntN(200))
		for i := range diags {
			start := rng.IntN(20)
			switch rng.IntN(40) {
			case 0:
				start = -1 - rng.IntN(3)
			case 1:
				if round%2 == 0 {
					start = 1<<41 + rng.IntN(3)
				}
			}
			diags[i] = &Diagnostic{File: files[rng.IntN(len(files))], Span: syntax.Span{Start: start}, Rule: []string{"r1", "r2", "r3"}[rng.IntN(3)]}
		}
		if got, want := sortedOrder(diags), sortedOrderSlow(diags); !slices.Equal(got, want) {
			t.Fatalf("round %d: order %v, want %v", round, got, want)
		}
	}
}
