package syntax_test

import (
	"reflect"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
)

const (
	msgEOF          = `unexpected end of file, expecting ";" or "}"`
	msgUnterminated = `unterminated string: the " opened here is never closed, so nginx reads to the end of the file`
)

// recoveryTests are inputs nginx rejects. Each row gives the exact errors
// (byte range and message; nginx's wording where nginx has one) and the tree
// after recovery, which shows that the rest of the file is still parsed.
var recoveryTests = []struct {
	name, src, tree string
	errs            []string
}{
	{
		name: "missing ; before }",
		src:  "http { a b }\nevents {}",
		tree: "http {a b} events {}",
		errs: []string{`11-12: unexpected "}"`},
	},
	{
		name: "missing ; before } at top level",
		src:  "x a };",
		tree: "x a",
		errs: []string{`4-5: unexpected "}"`, `5-6: unexpected ";"`},
	},
	{
		name: "missing ; before a block on a later line",
		src:  "worker_processes 1\nevents {\n}\nhttp {}",
		tree: "worker_processes 1 events {} http {}",
		errs: []string{`17-27: directive "worker_processes" is not terminated by ";"`},
	},
	{
		name: "missing ; before a location",
		src:  "server {\n root /srv\n location / {}\n}",
		tree: "server {root /srv location / {}}",
		errs: []string{`15-33: directive "root" is not terminated by ";"`},
	},
	{
		name: "missing ; before a Lua block",
		src:  "location / {\n proxy_pass http://a\n content_by_lua_block { ngx.say(\"}\") }\n}\nb;",
		tree: `location / {proxy_pass http://a content_by_lua_block {lua:" ngx.say(\"}\") "}} b;`,
		errs: []string{`25-57: directive "proxy_pass" is not terminated by ";"`},
	},
	{
		name: "stray ;",
		src:  "a; ; b;",
		tree: "a; b;",
		errs: []string{`3-4: unexpected ";"`},
	},
	{
		name: "stray ; at the start of a block",
		src:  "http {; a;}",
		tree: "http {a;}",
		errs: []string{`6-7: unexpected ";"`},
	},
	{
		// The children of a stray '{' stay in the enclosing block.
		name: "stray {",
		src:  "http { { a; } b; }",
		tree: "http {a; b;}",
		errs: []string{`7-8: unexpected "{"`},
	},
	{
		name: "stray { at top level",
		src:  "{ a; }",
		tree: "a;",
		errs: []string{`0-1: unexpected "{"`},
	},
	{
		name: "stray }",
		src:  "a; } b;",
		tree: "a; b;",
		errs: []string{`3-4: unexpected "}"`},
	},
	{
		name: "${ does not open a block, so the } is stray",
		src:  "pid a${ x; }",
		tree: `pid "a${" x;`,
		errs: []string{`11-12: unexpected "}"`},
	},
	{
		name: "letter after a closing quote",
		src:  `server_name "localhost"x;`,
		tree: "server_name localhost x;",
		errs: []string{`23-24: unexpected "x"`},
	},
	{
		name: "multi-byte character after a closing quote",
		src:  `x "a"é;`,
		tree: "x a é;",
		errs: []string{`5-7: unexpected "é"`},
	},
	{
		name: "invalid UTF-8 after a closing quote",
		src:  "x \"a\"\xff;",
		tree: `x a "\xff";`,
		errs: []string{`5-6: unexpected "\xff"`},
	},
	{
		name: "sharp after a closing quote",
		src:  "x \"a\"#c\n;",
		tree: "x a;",
		errs: []string{`5-6: unexpected "#"`},
	},
	{
		name: "quote after a closing quote",
		src:  `x "a""b";`,
		tree: "x a b;",
		errs: []string{`5-6: unexpected "\""`},
	},
	{
		name: "} after a closing quote",
		src:  `http { x "a"} y;`,
		tree: "http {x a} y;",
		errs: []string{`12-13: unexpected "}"`},
	},
	{
		// nginx reads to the end of the file; the parser cuts the word at
		// the end of its line so that the next lines keep their meaning.
		name: "unterminated quote",
		src:  "a \"b;\nc d;\n",
		tree: `a "b;" c d;`,
		errs: []string{"2-5: " + msgUnterminated, "11-11: " + msgEOF},
	},
	{
		name: "unterminated quote in a block",
		src:  "http {\n server_name \"localhost;\n listen 80;\n}\nevents {}\n",
		tree: `http {server_name "localhost;" listen 80;} events {}`,
		errs: []string{"20-31: " + msgUnterminated, "56-56: " + msgEOF},
	},
	{
		name: "escaped closing quote",
		src:  "a \"b\\\";\nc;",
		tree: `a "b\";" c;`,
		errs: []string{"2-7: " + msgUnterminated, "10-10: " + msgEOF},
	},
	{
		name: "unterminated quote at the end of the file",
		src:  `a 'b`,
		tree: "a b",
		errs: []string{`2-4: unterminated string: the ' opened here is never closed, so nginx reads to the end of the file`, "4-4: " + msgEOF},
	},
	{
		name: "unclosed blocks",
		src:  "http {\n  server {\n    listen 80;\n",
		tree: "http {server {listen 80;",
		errs: []string{`33-33: unexpected end of file, expecting "}" (the "server" block opened on line 2 is not closed)`},
	},
	{
		name: "words at the end of a block",
		src:  "http { a",
		tree: "http {a",
		errs: []string{"8-8: " + msgEOF},
	},
	{
		name: "words at the end of the file",
		src:  "a b",
		tree: "a b",
		errs: []string{"3-3: " + msgEOF},
	},
	{
		name: "unclosed stray {",
		src:  "{ a;",
		tree: "a;",
		errs: []string{`0-1: unexpected "{"`, `4-4: unexpected end of file, expecting "}"`},
	},
	{
		name: "unclosed stray { inside a block",
		src:  "http { {",
		tree: "http {",
		errs: []string{`7-8: unexpected "{"`, `8-8: unexpected end of file, expecting "}" (the "http" block opened on line 1 is not closed)`},
	},
	{
		name: "unclosed Lua block",
		src:  "content_by_lua_block { t = {",
		tree: `content_by_lua_block {lua:" t = {"`,
		errs: []string{`28-28: unexpected end of file, expecting "}" (the "content_by_lua_block" block opened on line 1 is not closed)`},
	},
	{
		// A map's '}' is missing: the next map lands inside it, where nginx
		// takes entries only.
		name: "block inside a map",
		src:  "map $a $b {\n default 0;\n\nmap $c $d {\n default 1;\n}\n",
		tree: "map $a $b {default 0; map $c $d {default 1;}",
		errs: []string{`35-36: unexpected "{"`, `51-51: unexpected end of file, expecting "}" (the "map" block opened on line 1 is not closed)`},
	},
	{
		name: "block inside types",
		src:  "types { text/html html; x { } }",
		tree: "types {text/html html; x {}}",
		errs: []string{`26-27: unexpected "{"`},
	},
	{
		name: "location without a block",
		src:  "server { location /; root /srv; }",
		tree: "server {location /; root /srv;}",
		errs: []string{`9-17: directive "location" has no opening "{"`},
	},
	{
		name: "server without a block outside upstream",
		src:  "http { server a; } upstream u { server b; }",
		tree: "http {server a;} upstream u {server b;}",
		errs: []string{`7-13: directive "server" has no opening "{"`},
	},
	{
		// nginx needs {3} quoted: the unquoted '{' opens a block.
		name: "unquoted regex quantifier",
		src:  `location ~ ^/\d{3}$ { }`,
		tree: `location ~ "^/\\d" {"3}$" {}`,
		errs: []string{`23-23: unexpected end of file, expecting "}" (the "location" block opened on line 1 is not closed)`},
	},
	{
		name: "byte order mark",
		src:  "\xEF\xBB\xBFevents {}",
		tree: "events {}",
		errs: []string{`0-3: the file starts with a UTF-8 byte order mark, which nginx reads as part of the first directive name`},
	},
}

// TestRecovery checks the errors and the tree of every recoveryTests row.
func TestRecovery(t *testing.T) {
	for _, tc := range recoveryTests {
		t.Run(tc.name, func(t *testing.T) {
			f := syntax.Parse(tc.name, []byte(tc.src))
			checkInvariants(t, f)
			if got := dump(f); got != tc.tree {
				t.Errorf("tree of %q\n got: %s\nwant: %s", tc.src, got, tc.tree)
			}
			if got := errs(f); !reflect.DeepEqual(got, tc.errs) {
				t.Errorf("errors of %q\n got: %q\nwant: %q", tc.src, got, tc.errs)
			}
		})
	}
}

// knownLimits are what the parser cannot see without a table of every
// directive: nginx rejects each of these inputs, the parser does not.
var knownLimits = []struct{ name, src, tree, nginx string }{
	{
		name:  "block given to a simple directive",
		src:   "sendfile on { }",
		tree:  "sendfile on {}",
		nginx: `directive "sendfile" is not terminated by ";"`,
	},
	{
		name:  "missing ; before a block on the same line",
		src:   "worker_processes 1 events { }",
		tree:  "worker_processes 1 events {}",
		nginx: `directive "worker_processes" is not terminated by ";"`,
	},
}

// TestKnownLimits pins the knownLimits rows, so that a change in that
// behaviour is noticed.
func TestKnownLimits(t *testing.T) {
	for _, tc := range knownLimits {
		f := syntax.Parse(tc.name, []byte(tc.src))
		checkInvariants(t, f)
		if got := dump(f); got != tc.tree || len(f.Errors) > 0 {
			t.Errorf("%s: %q gives %s, errors %q; want %s and no error (nginx says %s)", tc.name, tc.src, got, errs(f), tc.tree, tc.nginx)
		}
	}
}

// tableInputs are the sources of every table above, for the reference
// model and as fuzz seeds.
func tableInputs() []string {
	var out []string
	for _, tc := range grammarTests {
		out = append(out, tc.src)
	}
	for _, tc := range recoveryTests {
		out = append(out, tc.src)
	}
	for _, tc := range knownLimits {
		out = append(out, tc.src)
	}
	return out
}
