package syntax

import (
	"bytes"
	"sort"
	"strings"

	"github.com/nginxls/nginxls/internal/textedit"
)

// Reparse parses src, the new text of old's file, reusing old where it can:
// an edit inside one block (a keystroke in a server of thousands) re-reads
// that block's body alone, and the rest of the tree is copied, moved by the
// edit's length. The result is the tree Parse(old.Name, src) makes; when the
// edit may change more than the block (it unbalances braces, opens a
// quote, ...), Reparse falls back to Parse.
func Reparse(old *File, src []byte) *File {
	if f := reparse(old, src); f != nil {
		return f
	}
	return Parse(old.Name, src)
}

// reparseMinSize is the size below which a whole parse costs too little to
// be worth saving.
var reparseMinSize = 4096

func reparse(old *File, src []byte) *File {
	if !reusable(old) {
		return nil
	}
	lo, oldHi, newHi := textedit.Changed(old.Src, src)
	delta := len(src) - len(old.Src)
	target := enclosingBlock(old.Directives, lo, oldHi)
	if target == nil {
		return nil
	}
	nd, sub := parseBody(old, src, target, target.Block.Close+delta)
	if nd == nil {
		return nil
	}

	r := &rebuilder{at: oldHi, delta: delta, target: target, repl: nd}
	f := &File{Name: old.Name, Src: src}
	// Words before the edit are shared with old, which keeps the slabs
	// they were cut from alive: every so many generations all are copied,
	// so that a long session of edits does not pile up old slabs.
	if old.shared < maxShared {
		f.shared = old.shared + 1
	} else {
		r.copyAll = true
	}
	f.Directives = r.list(old.Directives, nil)
	spliceTrivia(f, old, sub, target.Block, delta)
	if len(f.Errors) >= maxErrors {
		return nil // Parse would have stopped keeping them somewhere else
	}
	// The line starts too are old's, moved, rather than found again in
	// the whole text.
	old.linesOnce.Do(old.initLines)
	lines := spliceLines(old.lines, src, lo, oldHi, newHi)
	f.linesOnce.Do(func() { f.lines = lines })
	return f
}

// reusable reports whether old's errors allow reusing its tree: not near
// the error cap, and no message that an edit elsewhere could change.
func reusable(old *File) bool {
	if len(old.Errors) > maxErrors/2 || len(old.Src) < reparseMinSize {
		return false // near the error cap, or too small to be worth it
	}
	for _, e := range old.Errors {
		if strings.Contains(e.Msg, " on line ") || strings.HasPrefix(e.Msg, "unterminated string") {
			// The message names a line the edit may move, or the end of
			// the file depends on a quote left open.
			return false
		}
	}
	return true
}

// enclosingBlock is the innermost block directive whose braces enclose the
// edit of [lo, oldHi) and are not part of it, or nil.
func enclosingBlock(list []*Directive, lo, oldHi int) *Directive {
	var target *Directive
	for {
		var in *Directive
		for _, d := range list {
			if b := d.Block; b != nil && b.Lua == nil && b.Open < lo && b.Close >= oldHi {
				in = d
				break
			}
		}
		if in == nil {
			return target
		}
		target, list = in, in.Block.Directives
	}
}

// parseBody reads the new body of target, up to its closing brace now at
// closeAt: the new block directive (same name and arguments) and the file
// of the sub-parse (its comments and errors), or nil when the body cannot
// be read alone.
func parseBody(old *File, src []byte, target *Directive, closeAt int) (*Directive, *File) {
	nd := *target
	nd.Block = &Block{Open: target.Block.Open, Close: -1}
	// The words read are substrings of the block's text alone: a copy of
	// the whole file per keystroke would stay alive as long as they do.
	start := target.Block.Open + 1
	p := &parser{src: src, text: string(src[start:max(start, closeAt)]), base: start, limit: max(start, closeAt),
		f: &File{Name: old.Name, Src: src}, pos: start}
	var top []*Directive
	p.stack = []frame{{list: &top}, {owner: &nd, list: &nd.Block.Directives}}
	for b := target; b != nil; b = b.Parent {
		p.depth++
	}
	if p.depth > MaxDepth {
		return nil, nil // a body Parse does not build
	}
	if !p.body(closeAt) {
		return nil, nil
	}
	return &nd, p.f
}

// spliceTrivia gives f old's comments and errors before and after the old
// block, those after moved by delta, and the new body's between.
func spliceTrivia(f, old, sub *File, block *Block, delta int) {
	subErrors := sub.Errors
	sort.SliceStable(subErrors, func(i, j int) bool { return subErrors[i].Start < subErrors[j].Start })
	for _, c := range old.Comments {
		if c.Start < block.Open {
			f.Comments = append(f.Comments, c)
		}
	}
	for _, e := range old.Errors {
		if e.Start <= block.Open {
			f.Errors = append(f.Errors, e)
		}
	}
	f.Comments = append(f.Comments, sub.Comments...)
	f.Errors = append(f.Errors, subErrors...)
	for _, c := range old.Comments {
		if c.Start > block.Close {
			f.Comments = append(f.Comments, Span{c.Start + delta, c.End + delta})
		}
	}
	for _, e := range old.Errors {
		if e.Start > block.Close {
			f.Errors = append(f.Errors, &Error{Span{e.Start + delta, e.End + delta}, e.Msg})
		}
	}
}

// body parses the directives of the block on top of the stack, up to its
// closing brace, and reports whether that brace is the one at closeAt and
// the block's text was read as a whole: no quote left open, no brace
// unbalanced, nothing read past it.
func (p *parser) body(closeAt int) bool {
	for {
		t, w := p.lex()
		if t.Start > closeAt || t.Kind == TokSpace || p.unterminated {
			return false
		}
		if fr, ok := p.step(t, w); ok && len(p.stack) == 1 {
			return t.Start == closeAt && !fr.anon
		}
	}
}

// rebuilder copies a tree around one replaced block directive, moving the
// offsets at or past the edit.
type rebuilder struct {
	at, delta    int
	target, repl *Directive
	copyAll      bool // copy the words the edit does not move too

	// Copies are cut from slabs, as the parser's are.
	dirs   []Directive
	blocks []Block
	words  []Word
	args   []*Word
	lists  []*Directive
}

// maxShared bounds the generations of trees whose slabs a tree keeps alive.
const maxShared = 16

func (r *rebuilder) off(o int) int {
	if o >= r.at {
		return o + r.delta
	}
	return o
}

func (r *rebuilder) list(ds []*Directive, parent *Directive) []*Directive {
	if len(ds) == 0 {
		return nil
	}
	if len(r.lists) < len(ds) {
		r.lists = make([]*Directive, max(len(ds), 1024))
	}
	out := r.lists[:len(ds):len(ds)]
	r.lists = r.lists[len(ds):]
	for i, d := range ds {
		out[i] = r.dir(d, parent)
	}
	return out
}

func (r *rebuilder) dir(d *Directive, parent *Directive) *Directive {
	if d == r.target {
		r.repl.Parent = parent
		return r.repl
	}
	if len(r.dirs) == 0 {
		r.dirs = make([]Directive, 256)
	}
	nd := &r.dirs[0]
	r.dirs = r.dirs[1:]
	*nd = *d
	nd.Parent = parent
	nd.Name = r.word(d.Name)
	if n := len(d.Args); n > 0 && (r.copyAll || d.Args[n-1].Start >= r.at) {
		if len(r.args) < n {
			r.args = make([]*Word, max(n, 1024))
		}
		args := r.args[:n:n]
		r.args = r.args[n:]
		for i, w := range d.Args {
			args[i] = r.word(w)
		}
		nd.Args = args
	}
	if d.Semi >= 0 {
		nd.Semi = r.off(d.Semi)
	}
	if b := d.Block; b != nil {
		if len(r.blocks) == 0 {
			r.blocks = make([]Block, 128)
		}
		nb := &r.blocks[0]
		r.blocks = r.blocks[1:]
		*nb = Block{Open: r.off(b.Open), Close: b.Close}
		if b.Close >= 0 {
			nb.Close = r.off(b.Close)
		}
		if b.Lua != nil {
			nb.Lua = &Span{r.off(b.Lua.Start), r.off(b.Lua.End)}
		}
		nb.Directives = r.list(b.Directives, nd)
		nd.Block = nb
	}
	return nd
}

// word returns w as it is when the edit does not move it (words are never
// changed once made), else a moved copy.
func (r *rebuilder) word(w *Word) *Word {
	if w.Start < r.at && !r.copyAll {
		return w
	}
	if len(r.words) == 0 {
		r.words = make([]Word, 512)
	}
	nw := &r.words[0]
	r.words = r.words[1:]
	*nw = *w
	nw.Span = Span{r.off(w.Start), r.off(w.End)}
	return nw
}

// spliceLines returns the line starts of src, made from those of the text
// it was before old[lo:oldHi] became src[lo:newHi].
func spliceLines(old []int, src []byte, lo, oldHi, newHi int) []int {
	delta := newHi - oldHi
	keep := sort.SearchInts(old, lo+1)    // starts q <= lo: their line break is before the edit
	from := sort.SearchInts(old, oldHi+1) // starts q > oldHi: their line break is after it
	out := make([]int, 0, len(old)+bytes.Count(src[lo:newHi], []byte("\n"))-(from-keep))
	out = append(out, old[:keep]...)
	for i := lo; i < newHi; i++ {
		if src[i] == '\n' {
			out = append(out, i+1)
		}
	}
	for _, q := range old[from:] {
		out = append(out, q+delta)
	}
	return out
}
