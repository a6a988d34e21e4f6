package syntax_test

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// dump renders a tree on one line so that a test can state it whole:
// `name arg;` for a directive ended by ';', `name arg {...}` for a block, and
// no ';' or '}' where the source lacks them; a Lua body is shown as
// `{lua:"..."}`. Words are shown by Value, Go-quoted when they are empty or
// hold blanks, syntax characters or unprintable bytes, so that word
// boundaries stay visible.
func dump(f *syntax.File) string {
	var b strings.Builder
	dumpList(&b, f, f.Directives)
	return b.String()
}

func dumpList(b *strings.Builder, f *syntax.File, ds []*syntax.Directive) {
	for i, d := range ds {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(showWord(d.Name.Value))
		for _, a := range d.Args {
			b.WriteByte(' ')
			b.WriteString(showWord(a.Value))
		}
		if d.Semi >= 0 {
			b.WriteByte(';')
		}
		if d.Block == nil {
			continue
		}
		b.WriteString(" {")
		if d.Block.Lua != nil {
			b.WriteString("lua:" + strconv.Quote(f.Text(*d.Block.Lua)))
		}
		dumpList(b, f, d.Block.Directives)
		if d.Block.Close >= 0 {
			b.WriteByte('}')
		}
	}
}

func showWord(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\r\n;{}\"'#\\") {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if r == unicode.ReplacementChar || !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// errs renders the errors as "start-end: message".
func errs(f *syntax.File) []string {
	var out []string
	for _, e := range f.Errors {
		out = append(out, fmt.Sprintf("%d-%d: %s", e.Start, e.End, e.Msg))
	}
	return out
}

// checkInvariants checks what must hold for any input, valid or not: the
// tokens give back the source, every word of the tree is a token, offsets of
// the tree point at the tokens they name, directives come in source order
// inside their parents, and errors lie within the file, sorted by Start.
func checkInvariants(t testing.TB, f *syntax.File) {
	t.Helper()
	checkLossless(t, f)
	kinds := map[int]syntax.Token{}
	for _, tok := range f.Tokens() {
		kinds[tok.Start] = tok
	}
	isTok := func(off int, k syntax.Kind) bool {
		tok, ok := kinds[off]
		return ok && tok.Kind == k
	}
	for i, tok := range f.Tokens() {
		if tok.Kind == syntax.TokBOM && (i != 0 || tok.End != 3) {
			t.Fatalf("%s: BOM token at %d-%d", f.Name, tok.Start, tok.End)
		}
	}
	for _, c := range f.Comments {
		if !isTok(c.Start, syntax.TokComment) || kinds[c.Start].End != c.End {
			t.Fatalf("%s: comment %d-%d is not a comment token", f.Name, c.Start, c.End)
		}
	}
	last := -1
	var walk func(parent *syntax.Directive, ds []*syntax.Directive)
	walk = func(parent *syntax.Directive, ds []*syntax.Directive) {
		for _, d := range ds {
			if d.Parent != parent {
				t.Fatalf("%s: %q at %d has the wrong parent", f.Name, d.Name.Raw, d.Start())
			}
			if d.Start() <= last {
				t.Fatalf("%s: %q at %d is out of source order", f.Name, d.Name.Raw, d.Start())
			}
			last = d.Start()
			if d.Semi >= 0 && (!isTok(d.Semi, syntax.TokSemicolon) || d.Block != nil) {
				t.Fatalf("%s: %q has a bad ';' offset %d", f.Name, d.Name.Raw, d.Semi)
			}
			if d.End() < d.Start() || d.End() > len(f.Src) {
				t.Fatalf("%s: %q spans %d-%d", f.Name, d.Name.Raw, d.Start(), d.End())
			}
			if d.Block == nil {
				continue
			}
			blk := d.Block
			if !isTok(blk.Open, syntax.TokLBrace) || (blk.Close >= 0 && !isTok(blk.Close, syntax.TokRBrace)) {
				t.Fatalf("%s: %q has bad brace offsets %d, %d", f.Name, d.Name.Raw, blk.Open, blk.Close)
			}
			if blk.Lua != nil {
				if blk.Lua.Start != blk.Open+1 || blk.Lua.End < blk.Lua.Start || len(blk.Directives) > 0 ||
					(blk.Close >= 0 && blk.Lua.End != blk.Close) {
					t.Fatalf("%s: Lua body %d-%d of %q does not fit its braces", f.Name, blk.Lua.Start, blk.Lua.End, d.Name.Raw)
				}
				if blk.Lua.End > blk.Lua.Start && !isTok(blk.Lua.Start, syntax.TokLuaCode) {
					t.Fatalf("%s: Lua body of %q is not a lua token", f.Name, d.Name.Raw)
				}
			}
			walk(d, blk.Directives)
			if blk.Close >= 0 && last > blk.Close {
				t.Fatalf("%s: a child of %q lies after its '}'", f.Name, d.Name.Raw)
			}
		}
	}
	walk(nil, f.Directives)
	if !sort.SliceIsSorted(f.Errors, func(i, j int) bool { return f.Errors[i].Start < f.Errors[j].Start }) {
		t.Fatalf("%s: errors are not sorted by Start", f.Name)
	}
	for _, e := range f.Errors {
		if e.Start < 0 || e.End < e.Start || e.End > len(f.Src) || e.Msg == "" {
			t.Fatalf("%s: error %d-%d %q is outside the file of %d bytes", f.Name, e.Start, e.End, e.Msg, len(f.Src))
		}
	}
}
