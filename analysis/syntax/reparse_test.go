package syntax_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
	"github.com/nginxls/nginxls/internal/testenv"
)

// fullDump renders everything a tree holds: every word with its span, raw
// text and quote, every offset, the comments and the errors; and it checks
// that every directive's Parent is the directive whose block holds it.
func fullDump(t testing.TB, f *syntax.File) string {
	t.Helper()
	var b strings.Builder
	word := func(w *syntax.Word) {
		fmt.Fprintf(&b, " %d-%d%q%q%d", w.Start, w.End, w.Raw, w.Value, w.Quote)
	}
	var walk func(parent *syntax.Directive, ds []*syntax.Directive, depth int)
	walk = func(parent *syntax.Directive, ds []*syntax.Directive, depth int) {
		for _, d := range ds {
			if d.Parent != parent {
				t.Fatalf("%s: the parent of %q at %d is not the block that holds it", f.Name, d.Name.Value, d.Start())
			}
			fmt.Fprintf(&b, "%*s", 2*depth, "")
			word(d.Name)
			for _, a := range d.Args {
				word(a)
			}
			fmt.Fprintf(&b, " semi=%d", d.Semi)
			if d.Block != nil {
				fmt.Fprintf(&b, " {%d %d", d.Block.Open, d.Block.Close)
				if d.Block.Lua != nil {
					fmt.Fprintf(&b, " lua=%v", *d.Block.Lua)
				}
			}
			b.WriteByte('\n')
			if d.Block != nil {
				walk(d, d.Block.Directives, depth+1)
			}
		}
	}
	walk(nil, f.Directives, 0)
	fmt.Fprintf(&b, "comments %v\n", f.Comments)
	fmt.Fprintf(&b, "lines %v\n", syntax.Lines(f))
	for _, e := range f.Errors {
		fmt.Fprintf(&b, "error %d-%d %s\n", e.Start, e.End, e.Msg)
	}
	return b.String()
}

// reparseEdit changes a little text, most often inside a block, with the
// pieces that break a block's balance as well as those that keep it.
func reparseEdit(rng *rand.Rand, text []byte) []byte {
	pos := rng.IntN(len(text) + 1)
	if rng.IntN(4) > 0 {
		if i := strings.Index(string(text[pos:]), "{"); i >= 0 {
			pos = min(pos+i+1+rng.IntN(60), len(text))
		}
	}
	pieces := []string{"x", " ", ";", "\n", "#", "# }\n", "}", "{", "'", `"`, `\`, "$", "${", "é", "a;", "}}", "{}",
		"ssl_protocols TLSv1;", "location / { return 200; }", "content_by_lua_block { s = '}' }", "map $a $b { x y; }",
		"server 10.0.0.1;", "server {", "if ($x) {", "http {"}
	out := append([]byte(nil), text[:pos]...)
	switch rng.IntN(3) {
	case 0:
		out = append(out, pieces[rng.IntN(len(pieces))]...)
		out = append(out, text[pos:]...)
	case 1:
		out = append(out, text[min(len(text), pos+1+rng.IntN(6)):]...)
	default:
		out = append(out, pieces[rng.IntN(len(pieces))]...)
		out = append(out, text[min(len(text), pos+1+rng.IntN(6)):]...)
	}
	return out
}

// Reparse makes exactly the tree Parse makes, edit after edit (each
// reparsing the previous reparse), on the rule test configurations and a
// generated one; and most edits take the incremental path.
func TestReparseMatchesParse(t *testing.T) {
	defer syntax.ReparseAnySize()()
	paths, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "*", "*.conf"))
	texts := map[string][]byte{"generated.conf": synthtest.GenerateTLSConfig(20)}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts[p] = b
	}
	edits := 60
	if testing.Short() {
		edits = 15
	}
	fast, total := 0, 0
	for name, base := range texts {
		rng := rand.New(rand.NewPCG(7, uint64(len(base))))
		text, f := base, syntax.Parse(name, base)
		for i := 0; i < edits; i++ {
			if i%4 == 0 { // chains of a few edits: damage accumulates
				text, f = base, syntax.Parse(name, base)
			}
			text = reparseEdit(rng, text)
			want := syntax.Parse(name, text)
			if syntax.ReparseInPlace(f, text) != nil {
				fast++
			}
			total++
			got := syntax.Reparse(f, text)
			if g, w := fullDump(t, got), fullDump(t, want); g != w {
				t.Fatalf("%s, edit %d:\n%s\n--- reparsed:\n%s\n--- parsed:\n%s", name, i, text, g, w)
			}
			f = got
		}
	}
	if fast < total/3 {
		t.Errorf("only %d of %d edits were reparsed in place: the test does not exercise it", fast, total)
	}
	t.Logf("%d of %d edits reparsed in place", fast, total)
}

// FuzzReparse: for any text and any edit of it, Reparse makes Parse's tree.
//
//	go test -run='^$' -fuzz=FuzzReparse -fuzztime=60s ./analysis/syntax/
func FuzzReparse(f *testing.F) {
	f.Add([]byte(tlsServer), uint16(40), uint8(0), "x")
	f.Add([]byte(sample), uint16(60), uint8(2), "}")
	f.Add([]byte("http { server { a; } }"), uint16(15), uint8(1), "'")
	f.Add([]byte("a { b { c; } d { content_by_lua_block { x = 1 } } }"), uint16(20), uint8(0), "{")
	f.Fuzz(func(t *testing.T, src []byte, at uint16, del uint8, ins string) {
		defer syntax.ReparseAnySize()()
		pos := int(at) % (len(src) + 1)
		end := min(len(src), pos+int(del)%8)
		text := append(append(append([]byte(nil), src[:pos]...), ins...), src[end:]...)
		old := syntax.Parse("fuzz", src)
		got, want := syntax.Reparse(old, text), syntax.Parse("fuzz", text)
		if g, w := fullDump(t, got), fullDump(t, want); g != w {
			t.Fatalf("%q -> %q:\n--- reparsed:\n%s\n--- parsed:\n%s", src, text, g, w)
		}
	})
}

// A long chain of in-place reparses (past the generations after which every
// word is copied) still makes Parse's tree, and keeps about as much memory
// alive as one parse: words shared from tree to tree must not pile up the
// slabs they came from.
func TestReparseLongChain(t *testing.T) {
	text := synthtest.GenerateTLSConfig(400)
	f := syntax.Parse("chain.conf", text)
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	mark := []byte("server_name ")
	at := 0
	for i := 0; i < 300; i++ {
		// Edits in file order, the worst case for sharing.
		j := bytes.Index(text[at:], mark)
		if j < 0 {
			at, j = 0, bytes.Index(text, mark)
		}
		at += j + len(mark)
		text = slices.Concat(text[:at:at], []byte("x"), text[at:])
		got := syntax.ReparseInPlace(f, text)
		if got == nil {
			t.Fatalf("edit %d was not reparsed in place", i)
		}
		if i%50 == 0 || i > 290 {
			if g, w := fullDump(t, got), fullDump(t, syntax.Parse("chain.conf", text)); g != w {
				t.Fatalf("edit %d: the trees differ", i)
			}
		}
		f = got
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	one := syntax.Parse("chain.conf", text)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	parsed := int64(after.HeapAlloc) - int64(ms.HeapAlloc)
	kept := int64(ms.HeapAlloc) - int64(base)
	runtime.KeepAlive(one)
	runtime.KeepAlive(f)
	if parsed > 0 && kept > 4*parsed {
		t.Errorf("after 300 reparses the tree keeps %d KB alive, a parse %d KB", kept>>10, parsed>>10)
	}
	t.Logf("kept %d KB, one parse %d KB", kept>>10, parsed>>10)
}

// Edits around the nesting bound reparse to Parse's tree: a block read
// again alone counts the levels around it.
func TestReparseDeep(t *testing.T) {
	defer syntax.ReparseAnySize()()
	d := syntax.MaxDepth
	base := strings.Repeat("a {\n", d-2) + "b { c; }\nx { y { z { w; } } }\n" + strings.Repeat("}\n", d-2)
	for _, tc := range []struct{ find, repl string }{
		{"c;", "c { e { f; } }"}, // past the bound
		{"w;", "w2;"},            // inside a block past it
		{"z { w; }", "w;"},       // back within it
		{"c;", "c; {"},           // a stray brace
	} {
		old := syntax.Parse("deep", []byte(base))
		text := []byte(strings.Replace(base, tc.find, tc.repl, 1))
		got, want := syntax.Reparse(old, text), syntax.Parse("deep", text)
		if g, w := fullDump(t, got), fullDump(t, want); g != w {
			t.Errorf("%s -> %s: the reparse differs from the parse", tc.find, tc.repl)
		}
	}
}
