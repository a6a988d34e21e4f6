package analysis

import (
	"fmt"
	"sort"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// MergeFixes gathers the first suggested fix of every diagnostic into one set
// of edits per file. A fix whose edits collide with those already taken is
// left out (and returned) so that what is applied stays consistent; edits
// identical to ones already taken are merged, which lets several findings
// share one fix.
func MergeFixes(diags []Diagnostic) (edits map[*syntax.File][]TextEdit, skipped []Diagnostic) {
	edits = map[*syntax.File][]TextEdit{}
	for _, d := range diags {
		if len(d.Fixes) == 0 {
			continue
		}
		fix := d.Fixes[0]
		ok := true
		var add []TextEdit
		for _, e := range fix.Edits {
			dup := false
			for _, have := range edits[e.File] {
				if have == e {
					dup = true
					break
				}
				if collide(have, e) {
					ok = false
				}
			}
			if !dup {
				add = append(add, e)
			}
		}
		add = uniqueEdits(add)
		for i := range add {
			for j := i + 1; j < len(add); j++ {
				if collide(add[i], add[j]) {
					ok = false
				}
			}
		}
		if !ok {
			skipped = append(skipped, d)
			continue
		}
		for _, e := range add {
			edits[e.File] = append(edits[e.File], e)
		}
	}
	return edits, skipped
}

// uniqueEdits drops repeated identical edits (two servers sharing one
// listen snippet both ask for the same insertion).
func uniqueEdits(es []TextEdit) []TextEdit {
	out := es[:0:0]
	for _, e := range es {
		dup := false
		for _, o := range out {
			dup = dup || o == e
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}

// collide reports whether two edits cannot both be applied: they overlap, or
// one inserts at a boundary of the other, where the order of the results
// would be arbitrary.
func collide(a, b TextEdit) bool {
	if a.File != b.File {
		return false
	}
	if a.Span.Start > b.Span.Start || (a.Span.Start == b.Span.Start && a.Span.End > b.Span.End) {
		a, b = b, a
	}
	if a.Span.End > b.Span.Start {
		return true
	}
	return a.Span.End == b.Span.Start && (a.Span.Start == a.Span.End || b.Span.Start == b.Span.End)
}

// ApplyEdits returns src with non-colliding edits applied. Bytes outside the
// edits are kept as they are.
func ApplyEdits(src []byte, edits []TextEdit) ([]byte, error) {
	es := append([]TextEdit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Span.Start < es[j].Span.Start })
	var out []byte
	pos := 0
	for i, e := range es {
		if e.Span.Start < pos || e.Span.End < e.Span.Start || e.Span.End > len(src) {
			return nil, fmt.Errorf("edit %d (%d-%d) overlaps another or lies outside the file", i, e.Span.Start, e.Span.End)
		}
		out = append(out, src[pos:e.Span.Start]...)
		out = append(out, e.NewText...)
		pos = e.Span.End
	}
	return append(out, src[pos:]...), nil
}
