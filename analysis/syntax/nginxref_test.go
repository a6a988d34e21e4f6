package syntax_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// This file holds a reference model of nginx's own reader: a line-by-line
// transcription of ngx_conf_read_token and of the loop of ngx_conf_parse
// (src/core/ngx_conf_file.c, nginx 1.22), with a directive table that
// accepts every name with any arguments and a block or not, except in the
// map-like blocks that nginx reads with a handler of their own. It is slow and
// keeps no offsets, but it is easy to compare with the C code; the parser is
// checked against it on the test tables and on every fuzz input.

type refDirective struct {
	name    string
	args    []string
	isBlock bool
	block   []*refDirective
}

type refError struct {
	off int // offset of the byte nginx stopped at; len(src) at the end of the file
	msg string
}

type refResult int

const (
	refOK         refResult = iota // NGX_OK: a directive ended by ';'
	refBlockStart                  // NGX_CONF_BLOCK_START
	refBlockDone                   // NGX_CONF_BLOCK_DONE
	refFileDone                    // NGX_CONF_FILE_DONE
)

type refReader struct {
	src []byte
	pos int
}

// refParse returns nginx's tree of src, or the first error nginx reports.
func refParse(src []byte) ([]*refDirective, *refError) {
	r := &refReader{src: src}
	return r.parse(false, false)
}

// handlerBlocks are the blocks that nginx's own modules read with a custom
// handler (cf->handler): their lines are entries, and ngx_conf_parse
// rejects a '{' in them before any handler runs.
var handlerBlocks = map[string]bool{"map": true, "types": true, "geo": true, "split_clients": true, "charset_map": true}

// parse is ngx_conf_parse: inBlock tells a block from the file, handler a
// block read by a custom handler.
func (r *refReader) parse(inBlock, handler bool) ([]*refDirective, *refError) {
	var list []*refDirective
	for {
		words, rc, err := r.readToken()
		if err != nil {
			return list, err
		}
		switch rc {
		case refBlockDone:
			if !inBlock {
				return list, &refError{r.pos - 1, `unexpected "}"`}
			}
			return list, nil
		case refFileDone:
			if inBlock {
				return list, &refError{len(r.src), `unexpected end of file, expecting "}"`}
			}
			return list, nil
		}
		if rc == refBlockStart && handler {
			return list, &refError{r.pos - 1, `unexpected "{"`}
		}
		d := &refDirective{name: words[0], args: words[1:], isBlock: rc == refBlockStart}
		list = append(list, d)
		if d.isBlock {
			if d.block, err = r.parse(true, handlerBlocks[d.name]); err != nil {
				return list, err
			}
		}
	}
}

func refIsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (r *refReader) readToken() ([]string, refResult, *refError) {
	var args []string
	found, needSpace, lastSpace, sharpComment := false, false, true, false
	variable, quoted, sQuoted, dQuoted := false, false, false, false
	start := r.pos
	unexpected := func(ch byte) *refError { return &refError{r.pos - 1, fmt.Sprintf(`unexpected "%c"`, ch)} }
	for {
		if r.pos >= len(r.src) {
			if len(args) > 0 || !lastSpace {
				return nil, 0, &refError{len(r.src), `unexpected end of file, expecting ";" or "}"`}
			}
			return nil, refFileDone, nil
		}
		ch := r.src[r.pos]
		r.pos++
		if ch == '\n' && sharpComment {
			sharpComment = false
		}
		if sharpComment {
			continue
		}
		if quoted {
			quoted = false
			continue
		}
		if needSpace {
			if refIsSpace(ch) {
				lastSpace, needSpace = true, false
				continue
			}
			if ch == ';' {
				return args, refOK, nil
			}
			if ch == '{' {
				return args, refBlockStart, nil
			}
			if ch != ')' {
				return nil, 0, unexpected(ch)
			}
			lastSpace, needSpace = true, false
		}
		if lastSpace {
			start = r.pos - 1
			if refIsSpace(ch) {
				continue
			}
			switch ch {
			case ';', '{':
				if len(args) == 0 {
					return nil, 0, unexpected(ch)
				}
				if ch == '{' {
					return args, refBlockStart, nil
				}
				return args, refOK, nil
			case '}':
				if len(args) != 0 {
					return nil, 0, unexpected(ch)
				}
				return nil, refBlockDone, nil
			case '#':
				sharpComment = true
				continue
			case '\\':
				quoted, lastSpace = true, false
				continue
			case '"':
				start++
				dQuoted, lastSpace = true, false
				continue
			case '\'':
				start++
				sQuoted, lastSpace = true, false
				continue
			case '$':
				variable, lastSpace = true, false
				continue
			default:
				lastSpace = false
			}
		} else {
			if ch == '{' && variable {
				continue
			}
			variable = false
			if ch == '\\' {
				quoted = true
				continue
			}
			if ch == '$' {
				variable = true
				continue
			}
			if dQuoted {
				if ch == '"' {
					dQuoted, needSpace, found = false, true, true
				}
			} else if sQuoted {
				if ch == '\'' {
					sQuoted, needSpace, found = false, true, true
				}
			} else if refIsSpace(ch) || ch == ';' || ch == '{' {
				lastSpace, found = true, true
			}
			if found {
				args = append(args, refUnescape(r.src[start:r.pos-1]))
				if ch == ';' {
					return args, refOK, nil
				}
				if ch == '{' {
					return args, refBlockStart, nil
				}
				found = false
			}
		}
	}
}

// refUnescape is the copy loop that ends ngx_conf_read_token's word case.
func refUnescape(src []byte) string {
	var dst []byte
	for i := 0; i < len(src); {
		if src[i] == '\\' && i+1 < len(src) {
			switch src[i+1] {
			case '"', '\'', '\\':
				i++
			case 't':
				dst = append(dst, '\t')
				i += 2
				continue
			case 'r':
				dst = append(dst, '\r')
				i += 2
				continue
			case 'n':
				dst = append(dst, '\n')
				i += 2
				continue
			}
		}
		dst = append(dst, src[i])
		i++
	}
	return string(dst)
}

// tableKind reports whether an error of the parser is one nginx raises from
// its directive table rather than from its tokenizer (the reference model
// accepts every directive), or the parser's own byte-order-mark warning.
func tableKind(msg string) bool {
	return strings.Contains(msg, `has no opening "{"`) ||
		strings.Contains(msg, `is not terminated by ";"`) ||
		strings.HasPrefix(msg, "the file starts with a UTF-8 byte order mark")
}

// checkAgainstNginx compares the parser with the reference model: the parser
// reports a tokenizer-kind error exactly when nginx does, no later than
// nginx's, and when neither does, both trees hold the same directives, words
// and blocks. It returns false when the input is out of the model's reach.
func checkAgainstNginx(t testing.TB, f *syntax.File) bool {
	t.Helper()
	src, shift := f.Src, 0
	if bytes.Contains(src, []byte("_by_lua_block")) {
		return false // Lua bodies are read by the lua module, not by nginx's tokenizer
	}
	if bytes.HasPrefix(src, []byte("\xEF\xBB\xBF")) {
		// The parser sets the mark aside and warns; compare the rest.
		src, shift = src[3:], 3
	}
	ref, rerr := refParse(src)
	var first *syntax.Error
	for _, e := range f.Errors {
		if !tableKind(e.Msg) {
			first = e
			break
		}
	}
	switch {
	case rerr == nil && first != nil:
		t.Fatalf("%q: nginx accepts it; we report %d-%d %s", f.Src, first.Start, first.End, first.Msg)
	case rerr != nil && first == nil:
		t.Fatalf("%q: nginx reports %q at %d; we report %q", f.Src, rerr.msg, rerr.off+shift, errs(f))
	case rerr != nil && first.Start > rerr.off+shift:
		t.Fatalf("%q: nginx reports %q at %d; our first error is later: %d %s", f.Src, rerr.msg, rerr.off+shift, first.Start, first.Msg)
	case rerr != nil:
		return true
	}
	for _, e := range f.Errors {
		if strings.Contains(e.Msg, "is not terminated by") {
			return true // the parser split a directive nginx would reject from its table
		}
	}
	if got, want := dumpRefFromFile(f.Directives), dumpRef(ref); got != want {
		t.Fatalf("%q: tree differs from nginx's\n ours: %s\nnginx: %s", f.Src, got, want)
	}
	return true
}

// dumpRef and dumpRefFromFile render both trees the same way: values only,
// every word quoted, blocks in braces.
func dumpRef(ds []*refDirective) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%q", d.name)
		for _, a := range d.args {
			fmt.Fprintf(&b, " %q", a)
		}
		if d.isBlock {
			b.WriteString(" {" + dumpRef(d.block) + "}")
		} else {
			b.WriteString("; ")
		}
	}
	return b.String()
}

func dumpRefFromFile(ds []*syntax.Directive) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%q", d.Name.Value)
		for _, a := range d.Args {
			fmt.Fprintf(&b, " %q", a.Value)
		}
		if d.Block != nil {
			b.WriteString(" {" + dumpRefFromFile(d.Block.Directives) + "}")
		} else {
			b.WriteString("; ")
		}
	}
	return b.String()
}

// TestTablesAgainstNginx runs the reference model on every input of the
// grammar and recovery tables.
func TestTablesAgainstNginx(t *testing.T) {
	n := 0
	for _, src := range tableInputs() {
		if checkAgainstNginx(t, syntax.Parse("table", []byte(src))) {
			n++
		}
	}
	if n < 50 {
		t.Fatalf("only %d table inputs", n)
	}
}

// TestReferenceModel pins the reference model itself on a few inputs whose
// outcome was observed with nginx 1.22.1.
func TestReferenceModel(t *testing.T) {
	tests := []struct{ src, tree, err string }{
		{`a\"b;`, `"a\"b"; `, ""},
		{`"a\tb\x\\c";`, `"a\tb\\x\\c"; `, ""},
		{`pid a${ x; }`, `"pid" "a${" "x"; `, `unexpected "}"`},
		{`x "a"b;`, ``, `unexpected "b"`},
		{`x "a")b;`, `"x" "a" ")b"; `, ""},
		{"x \"a\"#c\n;", ``, `unexpected "#"`},
		{`x "a;`, ``, `unexpected end of file, expecting ";" or "}"`},
		{`events{`, ``, `unexpected end of file, expecting "}"`},
		{`{`, ``, `unexpected "{"`},
	}
	for _, tc := range tests {
		ref, err := refParse([]byte(tc.src))
		msg := ""
		if err != nil {
			msg = err.msg
		} else if got := dumpRef(ref); got != tc.tree {
			t.Errorf("%q: tree %s, want %s", tc.src, got, tc.tree)
		}
		if msg != tc.err {
			t.Errorf("%q: error %q, want %q", tc.src, msg, tc.err)
		}
	}
}

// TestCorpusAgainstNginx runs the reference model on every corpus file.
func TestCorpusAgainstNginx(t *testing.T) {
	dir := testenv.Corpus(t)
	n, lua := 0, 0
	for _, r := range readManifest(t, dir) {
		src, err := os.ReadFile(filepath.Join(dir, r.path))
		if err != nil {
			t.Fatal(err)
		}
		if checkAgainstNginx(t, syntax.Parse(r.path, src)) {
			n++
		} else {
			lua++
		}
	}
	t.Logf("%d corpus files agree with the reference model; %d with Lua blocks are out of its reach", n, lua)
}
