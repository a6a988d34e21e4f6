package syntax_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// sample is a small but complete configuration used to check that line
// endings and odd bytes do not change the tree.
const sample = `# sample
user www-data;
events { worker_connections 768; }
http {
    map $uri $x { default 0; ~^/a 1; }
    server {
        listen 443 ssl;
        server_name example.com "www.example.com";
        location ~ \.php$ { fastcgi_pass unix:/run/php.sock; }
        content_by_lua_block { ngx.say("}") }
        if ($x = "1") { return 403; }
    }
}
`

// parseTimed parses src and fails when it takes longer than any linear
// parser could need: the bound is loose on purpose (race detector, slow
// machines); it is there to catch a quadratic corner, not to benchmark.
func parseTimed(t *testing.T, name string, src []byte) *syntax.File {
	t.Helper()
	start := time.Now()
	f := syntax.Parse(name, src)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("%s: parsing %d bytes took %v", name, len(src), d)
	}
	checkInvariants(t, f)
	return f
}

func TestLineEndings(t *testing.T) {
	want := dump(syntax.Parse("lf", []byte(sample)))
	crlf := strings.ReplaceAll(sample, "\n", "\r\n")
	// nginx counts lines by LF and takes a lone CR for a blank.
	var mixed strings.Builder
	for i, line := range strings.SplitAfter(sample, "\n") {
		line = strings.TrimSuffix(line, "\n")
		mixed.WriteString(line + []string{"\n", "\r\n", "\r"}[i%3])
	}
	for name, src := range map[string]string{"crlf": crlf, "mixed": mixed.String()} {
		f := parseTimed(t, name, []byte(src))
		if got := dump(f); got != want {
			t.Errorf("%s: tree\n got: %s\nwant: %s", name, got, want)
		}
		if len(f.Errors) > 0 {
			t.Errorf("%s: errors %q", name, errs(f))
		}
	}
	// Positions: the line of "events" is 3 with LF and with CRLF.
	f := syntax.Parse("crlf", []byte(crlf))
	if line, col := f.Position(f.Directives[1].Start()); line != 3 || col != 1 {
		t.Errorf("events at %d:%d, want 3:1", line, col)
	}
	// A CR inside a word's line ending is not part of the word.
	if f.Directives[0].Args[0].Value != "www-data" {
		t.Errorf("user arg %q", f.Directives[0].Args[0].Value)
	}
}

func TestByteOrderMark(t *testing.T) {
	f := parseTimed(t, "bom", append([]byte("\xEF\xBB\xBF"), sample...))
	if got, want := dump(f), dump(syntax.Parse("plain", []byte(sample))); got != want {
		t.Errorf("tree\n got: %s\nwant: %s", got, want)
	}
	if len(f.Errors) != 1 || f.Errors[0].Span != (syntax.Span{Start: 0, End: 3}) || f.Tokens()[0].Kind != syntax.TokBOM {
		t.Errorf("errors %q, first token %v", errs(f), f.Tokens()[0])
	}
	// A BOM anywhere else is just bytes of a word, as for nginx.
	f = parseTimed(t, "inner bom", []byte("a \xEF\xBB\xBFb;"))
	if len(f.Errors) > 0 || f.Directives[0].Args[0].Value != "\xEF\xBB\xBFb" {
		t.Errorf("tree %s, errors %q", dump(f), errs(f))
	}
}

func TestOddBytes(t *testing.T) {
	tests := []struct{ name, src, tree string }{
		{"invalid utf-8 in a word", "server_name \xff\xfe.example;", `server_name "\xff\xfe.example";`},
		{"latin-1 in quotes", "add_header X \"caf\xe9\";", `add_header X "caf\xe9";`},
		{"invalid utf-8 in a comment", "# \xc3\x28 \xa0\xa1\na;", "a;"},
		{"truncated utf-8 at the end", "a \xe2\x82;", `a "\xe2\x82";`},
		{"NUL in a word", "a b\x00c;", `a "b\x00c";`},
		{"NUL alone", "a \x00;", `a "\x00";`},
		{"NUL in a comment", "#\x00\na;", "a;"},
		{"NUL in quotes", "a \"\x00\";", `a "\x00";`},
		{"NUL in Lua", "content_by_lua_block { \x00 }", `content_by_lua_block {lua:" \x00 "}`},
		{"form feed and vertical tab are not blanks", "a\fb\vc;", `"a\fb\vc";`},
	}
	for _, tc := range tests {
		f := parseTimed(t, tc.name, []byte(tc.src))
		if got := dump(f); got != tc.tree || len(f.Errors) > 0 {
			t.Errorf("%s: tree %s, errors %q; want %s", tc.name, got, errs(f), tc.tree)
		}
	}
	// Every single byte value, alone and inside a directive.
	for c := 0; c < 256; c++ {
		parseTimed(t, "byte", []byte{byte(c)})
		parseTimed(t, "byte in context", []byte("http { a \""+string(rune(c))+"\" "+string([]byte{byte(c)})+"; }"))
	}
}

func TestHugeLine(t *testing.T) {
	const size = 1 << 20
	word := bytes.Repeat([]byte("a"), size)
	tests := []struct {
		name  string
		src   []byte
		nDirs int
		nErrs int
	}{
		{"one long word", append(append([]byte("x "), word...), ';'), 1, 0},
		{"one long quoted string", append(append([]byte(`x "`), word...), '"', ';'), 1, 0},
		{"one long unterminated string", append([]byte(`x "`), word...), 1, 2},
		{"many directives on one line", bytes.Repeat([]byte("a b; "), size/5), size / 5, 0},
		{"many args on one line", append(bytes.Repeat([]byte("a "), size/2), ';'), 1, 0},
		{"many args then a block", append(bytes.Repeat([]byte("a "), size/2), '{', '}'), 1, 0},
		{"long comment", append([]byte("#"), word...), 0, 0},
		{"long Lua body", append(append([]byte("content_by_lua_block {"), bytes.Repeat([]byte(`x = {"}"} `), size/10)...), '}'), 1, 0},
		{"stray semicolons", bytes.Repeat([]byte(";"), size), 0, 1000},
	}
	for _, tc := range tests {
		f := parseTimed(t, tc.name, tc.src)
		n := 0
		syntax.Walk(f.Directives, func(*syntax.Directive) bool { n++; return true })
		if n != tc.nDirs || len(f.Errors) != tc.nErrs {
			t.Errorf("%s: %d directives, %d errors; want %d, %d", tc.name, n, len(f.Errors), tc.nDirs, tc.nErrs)
		}
	}
}

// TestDeepNesting: blocks nested deeper than MaxDepth are read for their
// braces, not built, and reported once, at the first level too deep.
func TestDeepNesting(t *testing.T) {
	const depth = 10000
	open := strings.Repeat("a {\n", depth)
	closing := strings.Repeat("}\n", depth)
	tooDeep := `4000-4003: blocks nest more than 1000 deep here: the body of this "a" block is not analysed`
	tests := []struct {
		name     string
		src      string
		maxDepth int
		errs     []string
	}{
		{"closed", open + "b;\n" + closing, syntax.MaxDepth + 1, []string{tooDeep}},
		{"at the bound", strings.Repeat("a {\n", syntax.MaxDepth-1) + "b;\n" + strings.Repeat("}\n", syntax.MaxDepth-1), syntax.MaxDepth, nil},
		{"unclosed", open + "b;\n", syntax.MaxDepth + 1, []string{tooDeep,
			`40003-40003: unexpected end of file, expecting "}" (the "a" block opened on line 1001 is not closed)`}},
		{"stray braces", strings.Repeat("{", depth) + "b;" + strings.Repeat("}", depth), 1, nil}, // errors checked below
		{"one too many }", open + closing + "}", syntax.MaxDepth + 1, []string{tooDeep, `60000-60001: unexpected "}"`}},
	}
	for _, tc := range tests {
		f := parseTimed(t, tc.name, []byte(tc.src))
		maxDepth := 0
		var walk func(ds []*syntax.Directive, depth int)
		walk = func(ds []*syntax.Directive, depth int) {
			for _, d := range ds {
				maxDepth = max(maxDepth, depth)
				walk(d.Children(), depth+1)
			}
		}
		walk(f.Directives, 1)
		if maxDepth != tc.maxDepth {
			t.Errorf("%s: depth %d, want %d", tc.name, maxDepth, tc.maxDepth)
		}
		if tc.name == "stray braces" {
			// One error per stray '{', kept to a bounded number.
			if len(f.Errors) != 1000 || f.Errors[0].Msg != `unexpected "{"` {
				t.Errorf("%s: %d errors, first %q", tc.name, len(f.Errors), errs(f)[0])
			}
			continue
		}
		if got := errs(f); strings.Join(got, "\n") != strings.Join(tc.errs, "\n") {
			t.Errorf("%s: errors %q, want %q", tc.name, got, tc.errs)
		}
	}
}
