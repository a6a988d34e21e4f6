package syntax_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// manifestRow is one line of the corpus manifest: a file and real nginx's
// verdict on it.
type manifestRow struct {
	path, context, verdict string
	errorLine              int
	errorKind, message     string
}

func readManifest(t *testing.T, dir string) []manifestRow {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for first := true; sc.Scan(); first = false {
		if first {
			continue
		}
		c := strings.Split(sc.Text(), "\t")
		for len(c) < 7 {
			c = append(c, "")
		}
		line, _ := strconv.Atoi(c[3])
		rows = append(rows, manifestRow{c[0], c[1], c[2], line, c[5], c[6]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 700 {
		t.Fatalf("manifest has only %d rows", len(rows))
	}
	return rows
}

// TestCorpus parses every file of the real-world corpus: the tree must be
// lossless, files nginx accepts must have no syntax error, and files nginx
// rejects for a syntax reason must have an error on the line nginx names.
func TestCorpus(t *testing.T) {
	dir := testenv.Corpus(t)
	var ok, bad, limits int
	for _, r := range readManifest(t, dir) {
		if fix, found := manifestCorrections[r.path]; found {
			r.verdict, r.errorKind, r.errorLine, r.message = "error", "syntax", fix.line, fix.message
		}
		src, err := os.ReadFile(filepath.Join(dir, r.path))
		if err != nil {
			t.Errorf("%s: %v", r.path, err)
			continue
		}
		f := syntax.Parse(r.path, src)
		checkLossless(t, f)
		switch {
		case r.verdict == "ok":
			ok++
			for _, e := range f.Errors {
				line, col := f.Position(e.Start)
				t.Errorf("%s:%d:%d: nginx accepts this file, but we report: %s", r.path, line, col, e.Msg)
			}
		case r.verdict == "error" && r.errorKind == "syntax":
			if !hasErrorOnLine(f, r.errorLine) {
				if name, ok := notTerminated(r.message); ok && !syntax.IsBlockDirective(name) {
					limits++
					continue
				}
				t.Errorf("%s: nginx reports %q on line %d; we report %s", r.path, r.message, r.errorLine, describeErrors(f))
				continue
			}
			bad++
		}
	}
	t.Logf("%d accepted files without errors, %d syntax errors found on nginx's line, %d beyond the parser (no directive table)", ok, bad, limits)
}

// notTerminated returns X from nginx's `directive "X" is not terminated by
// ";"`. nginx says so when a directive it knows to be simple is given a
// block; telling that apart from a block directive needs nginx's table of
// every directive, which the parser does not have: it reports the error only
// for the directives it knows open a block (see TestKnownLimits).
func notTerminated(msg string) (string, bool) {
	const pre, post = `directive "`, `" is not terminated by ";"`
	i := strings.Index(msg, pre)
	j := strings.Index(msg, post)
	if i < 0 || j < i+len(pre) {
		return "", false
	}
	return msg[i+len(pre) : j], true
}

// manifestCorrections are rows where the recorded verdict is not what nginx
// says of the file on its own (checked with nginx 1.22.1 -t).
var manifestCorrections = map[string]struct {
	line    int
	message string
}{
	// The row records an error inside an included file that stopped nginx
	// before it reached the stray "@@@" at the end of this one.
	"certbot/testdata/etc_nginx/broken.conf": {13, `unexpected end of file, expecting ";" or "}"`},
}

func hasErrorOnLine(f *syntax.File, line int) bool {
	for _, e := range f.Errors {
		l1, _ := f.Position(e.Start)
		l2, _ := f.Position(e.End)
		if l1 <= line && line <= l2 {
			return true
		}
	}
	return false
}

func describeErrors(f *syntax.File) string {
	if len(f.Errors) == 0 {
		return "no error"
	}
	var b strings.Builder
	for i, e := range f.Errors {
		if i > 0 {
			b.WriteString("; ")
		}
		l, c := f.Position(e.Start)
		b.WriteString(strconv.Itoa(l) + ":" + strconv.Itoa(c) + " " + e.Msg)
	}
	return b.String()
}

// checkLossless verifies that the tokens cover the source exactly once and
// that every word of the tree is one of the tokens.
func checkLossless(t testing.TB, f *syntax.File) {
	t.Helper()
	var b strings.Builder
	pos := 0
	words := map[int]int{}
	for _, tok := range f.Tokens() {
		if tok.Start != pos || tok.End <= tok.Start {
			t.Fatalf("%s: token %v at %d-%d, expected one starting at %d", f.Name, tok.Kind, tok.Start, tok.End, pos)
		}
		b.Write(f.Src[tok.Start:tok.End])
		pos = tok.End
		if tok.Kind == syntax.TokWord {
			words[tok.Start] = tok.End
		}
	}
	if b.String() != string(f.Src) {
		t.Fatalf("%s: tokens do not give back the source", f.Name)
	}
	syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
		for _, w := range append([]*syntax.Word{d.Name}, d.Args...) {
			if end, ok := words[w.Start]; !ok || end != w.End || string(f.Src[w.Start:w.End]) != w.Raw {
				t.Fatalf("%s: word %q at %d is not a token", f.Name, w.Raw, w.Start)
			}
		}
		return true
	})
}
