package lsp

import (
	"maps"
	"slices"

	"go.lsp.dev/protocol"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/textedit"
)

// translations keeps the last findings translated for each file, to
// translate the next ones by difference: after a keystroke, a finding that
// did not change and lies on a line the edit did not touch has the range it
// had, on a line moved by the lines the edit added or removed. A large
// file's thousands of findings are then copied, not translated again.
//
// Callers serialise its use (the diagnoser's pubMu).
type translations struct {
	on   layers // layerTranslate: reuse; layerParallel: translate in parts
	last map[string]*translated
}

type translated struct {
	enc   Encoding
	m     *mapper // the text translated against
	diags []*analysis.Diagnostic
	out   []protocol.Diagnostic
}

// toProtocol translates the findings on one file, reusing what it can of
// the file's last translation.
func (t *translations) toProtocol(r *unitResult, f *syntax.File, enc Encoding) []protocol.Diagnostic {
	on := findingsOn(r, f)
	mappers := map[*syntax.File]*mapper{}
	m := mapperFor(r, f, mappers)
	prev := t.last[f.Name]
	if t.on&layerTranslate == 0 {
		prev = nil
	}
	out := make([]protocol.Diagnostic, len(on))
	var todo []int // the findings to translate
	if prev == nil || prev.enc != enc {
		todo = make([]int, len(on))
		for i := range todo {
			todo[i] = i
		}
	} else {
		todo = prev.reuse(on, m, out)
	}
	// The mappers of every file involved are made once, before the parts
	// share them (each would otherwise scan a file not open for itself).
	for _, i := range todo {
		for _, rel := range on[i].Related {
			if rel.File != nil {
				mapperFor(r, rel.File, mappers)
			}
		}
	}
	parts := inParallel
	if t.on&layerParallel == 0 {
		parts = func(n int, fn func(lo, hi int)) { fn(0, n) }
	}
	parts(len(todo), func(lo, hi int) {
		cache := maps.Clone(mappers) // mappers are only read
		for _, i := range todo[lo:hi] {
			out[i] = diagnostic(r, on[i], m, enc, cache)
		}
	})
	if t.last == nil {
		t.last = map[string]*translated{}
	}
	if len(on) == 0 || t.on&layerTranslate == 0 {
		delete(t.last, f.Name)
	} else {
		t.last[f.Name] = &translated{enc: enc, m: m, diags: on, out: out}
	}
	return out
}

// reuse fills out with the translations of on that prev has, and returns
// the indexes of the others.
func (prev *translated) reuse(on []*analysis.Diagnostic, m *mapper, out []protocol.Diagnostic) []int {
	// The edit: prev's text[lo:oldHi] became text[lo:newHi].
	lo, oldHi, newHi := textedit.Changed(prev.m.text, m.text)
	delta := len(m.text) - len(prev.m.text)
	// Positions before the line of lo are where they were; those from the
	// line after the one of newHi on have moved by whole lines.
	editLine, _ := m.position(lo, UTF8)
	before := m.lines[editLine]
	endLine, _ := m.position(newHi, UTF8)
	oldEndLine, _ := prev.m.position(oldHi, UTF8)
	after := len(m.text) + 1 // none
	if int(endLine)+1 < len(m.lines) {
		after = m.lines[endLine+1]
	}
	moved := int32(endLine) - int32(oldEndLine)

	var todo []int
	j := 0 // where in prev the next twin is looked for
	for i, d := range on {
		was, shift := d.Span, int32(0)
		switch {
		case len(d.Related) > 0: // related places may be in other files: translated anew
			todo = append(todo, i)
			continue
		case d.Span.End < before:
		case d.Span.Start >= after:
			was = syntax.Span{Start: d.Span.Start - delta, End: d.Span.End - delta}
			shift = moved
		default:
			todo = append(todo, i)
			continue
		}
		// Both lists are sorted by start, and the old positions of the
		// new findings grow with them.
		for j < len(prev.diags) && prev.diags[j].Span.Start < was.Start {
			j++
		}
		k := j
		for k < len(prev.diags) && prev.diags[k].Span.Start == was.Start && !sameFinding(prev.diags[k], d, was) {
			k++
		}
		if k == len(prev.diags) || !sameFinding(prev.diags[k], d, was) {
			todo = append(todo, i)
			continue
		}
		out[i] = prev.out[k]
		if shift != 0 {
			out[i].Range.Start.Line = uint32(int32(out[i].Range.Start.Line) + shift)
			out[i].Range.End.Line = uint32(int32(out[i].Range.End.Line) + shift)
		}
		j = k + 1
	}
	return todo
}

// sameFinding reports whether a finding translates as an earlier one did
// at span was: everything diagnostic() reads but the file and the span.
func sameFinding(a, b *analysis.Diagnostic, was syntax.Span) bool {
	return a.Span == was && a.Rule == b.Rule && a.Severity == b.Severity && a.Message == b.Message &&
		len(a.Related) == 0 && len(b.Related) == 0 && slices.Equal(a.Tags, b.Tags)
}

// findingsOn are a result's findings on one file, in order.
func findingsOn(r *unitResult, f *syntax.File) []*analysis.Diagnostic {
	var on []*analysis.Diagnostic
	for i := range r.diags {
		if r.diags[i].File == f {
			on = append(on, &r.diags[i])
		}
	}
	return on
}
