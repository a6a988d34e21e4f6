package syntax_test

import (
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
)

// The expectations below follow ngx_conf_read_token (nginx 1.22) and, for
// Lua blocks, the lua module's lexer; the word values were checked against
// nginx's own messages (`unknown directive "<value>"`).

// grammarTests are inputs that nginx's tokenizer accepts, with their tree.
var grammarTests = []struct {
	name, src, tree string
}{
	{"empty", "", ""},
	{"blanks only", " \t\r\n\n", ""},
	{"comment only", "# nothing here", ""},
	{"simple", "user nginx;", "user nginx;"},
	{"no args", "ip_hash;", "ip_hash;"},
	{"block", "events { worker_connections 1024; }", "events {worker_connections 1024;}"},
	{"nested", "http{server{listen 80;location /{root /srv;}}}", "http {server {listen 80; location / {root /srv;}}}"},
	{"empty block", "events {}", "events {}"},
	{"args over lines", "log_format main\n  '$remote_addr'\n  '$status';", `log_format main $remote_addr $status;`},
	{"comments between args", "listen # first\n 80 # second\n;", "listen 80;"},
	{"comment after directive", "a; # b;\nc;", "a; c;"},
	{"semicolon glued to a word", "a b;c;", "a b; c;"},
	{"brace glued to a word", "events{}", "events {}"},

	// Quotes.
	{"double quotes", `add_header X "a b";`, `add_header X "a b";`},
	{"single quotes", `x 'a "b"';`, `x "a \"b\"";`},
	{"empty quotes", `x "" '';`, `x "" "";`},
	{"quoted name", `"x" y;`, `x y;`},
	{"quote then semicolon", `x "a";`, `x a;`},
	{"quote then brace", `location "/a"{}`, `location /a {}`},
	{"quote then blanks", "x \"a\"\t\r\n;", "x a;"},
	{"multi-line quoted", "x \"a\nb\";", `x "a\nb";`},
	{"escapes in double quotes", `x "q\"s\'b\\t\tr\rn\nx\xd\$";`, `x "q\"s'b\\t\tr\rn\nx\\xd\\$";`},
	{"escapes in single quotes", `x 'q\'d\"b\\';`, `x "q'd\"b\\";`},
	{"escaped closing quote", `x "a\"b";`, `x "a\"b";`},
	{"backslash before newline in quotes", "x \"a\\\nb\";", `x "a\\\nb";`},
	{"closing paren after quote", `if ($a = "a") { return 403; }`, `if ($a = a ) {return 403;}`},
	{"closing paren then word", `if ($a ~ "b")x {}`, `if ($a ~ b )x {}`},

	// Unquoted words.
	{"quotes inside a word", `x a"b'c;`, `x "a\"b'c";`},
	{"brace and sharp inside a word", `x a}b#c;`, `x "a}b#c";`},
	{"escapes in a word", `x a\"b\;c\ d\\e\tf;`, `x "a\"b\\;c\\ d\\e\tf";`},
	{"backslash escapes a newline", "x a\\\nb;", `x "a\\\nb";`},
	{"word starting with backslash", `\;a;`, `"\\;a";`},
	{"variables", `set $a "${b}c" ;`, `set $a "${b}c";`},
	{"unquoted ${var}", `set $a ${b}c;`, `set $a "${b}c";`},
	{"${{ stays in the word", `x $a${{{b;`, `x "$a${{{b";`},
	{"$ then blank then brace opens a block", `location ~ ^/a$ { }`, `location ~ ^/a$ {}`},
	{"regex location", `location ~* \.(gif|jpg)$ { expires 30d; }`, `location ~* "\\.(gif|jpg)$" {expires 30d;}`},
	{"quoted regex with braces", `location ~ "^/\d{3}$" {}`, `location ~ "^/\\d{3}$" {}`},
	{"rewrite", `rewrite ^/(\w+)/(\d+)$ /x?a=$1&b=$2 last;`, `rewrite "^/(\\w+)/(\\d+)$" /x?a=$1&b=$2 last;`},
	{"if with regex", `if ($http_user_agent ~* (MSIE|Trident)) { return 403; }`, `if ($http_user_agent ~* (MSIE|Trident)) {return 403;}`},
	{"utf-8 words", "server_name пример.рф;", "server_name пример.рф;"},
	{"bytes nginx does not care about", "x a\x00b\xff;", `x "a\x00b\xff";`},
	{"CRLF", "a b;\r\nc {\r\n d;\r\n}\r\n", "a b; c {d;}"},

	// Lua blocks: the body is raw Lua, braces in strings and comments do
	// not count.
	{"lua", `content_by_lua_block { ngx.say("}") }`, `content_by_lua_block {lua:" ngx.say(\"}\") "}`},
	{"lua single quotes", `content_by_lua_block { x = '{' }`, `content_by_lua_block {lua:" x = '{' "}`},
	{"lua escaped quote", `content_by_lua_block { x = "\"}" }`, `content_by_lua_block {lua:" x = \"\\\"}\" "}`},
	{"lua comment", "content_by_lua_block { -- }\n}", `content_by_lua_block {lua:" -- }\n"}`},
	{"lua long string", `content_by_lua_block { x = [[ } ]] }`, `content_by_lua_block {lua:" x = [[ } ]] "}`},
	{"lua long string level 2", `content_by_lua_block { x = [==[ ]] } ]=] ]==] }`, `content_by_lua_block {lua:" x = [==[ ]] } ]=] ]==] "}`},
	{"lua long comment", "content_by_lua_block { --[[ }\n ]] }", `content_by_lua_block {lua:" --[[ }\n ]] "}`},
	{"lua long comment level 1", "content_by_lua_block { --[=[ ]] } ]=] }", `content_by_lua_block {lua:" --[=[ ]] } ]=] "}`},
	{"lua tables", `content_by_lua_block { t = {a = {b = 1}} }`, `content_by_lua_block {lua:" t = {a = {b = 1}} "}`},
	{"lua indexing is not a long bracket", `content_by_lua_block { x = t[a[1]] }`, `content_by_lua_block {lua:" x = t[a[1]] "}`},
	{"lua sharp is not a comment", "content_by_lua_block { n = #t; t = {} }", `content_by_lua_block {lua:" n = #t; t = {} "}`},
	{"lua empty", `init_by_lua_block {}`, `init_by_lua_block {lua:""}`},
	{"lua with args", `set_by_lua_block $res { return 1 }`, `set_by_lua_block $res {lua:" return 1 "}`},
	{"after lua", "location / { content_by_lua_block { a = \"}\" } } b;", `location / {content_by_lua_block {lua:" a = \"}\" "}} b;`},
	{"quoted lua block name", `"rewrite_by_lua_block" { a = { 1 } }`, `rewrite_by_lua_block {lua:" a = { 1 } "}`},
	{"lua block name as an argument", `server_name content_by_lua_block;`, `server_name content_by_lua_block;`},
	{"upstream named like a lua block", `upstream content_by_lua_block { server a; }`, `upstream content_by_lua_block {server a;}`},

	// Map-like blocks hold entries; their keys may be directive names.
	{"map", `map $uri $x { default 0; ~^/a 1; "~^/b{2}" 2; hostnames; include m.map; server 1; location 2; if 3; }`,
		`map $uri $x {default 0; ~^/a 1; "~^/b{2}" 2; hostnames; include m.map; server 1; location 2; if 3;}`},
	{"map with empty key", `map $a $b { "" 1; }`, `map $a $b {"" 1;}`},
	{"types", "types {\n  text/html html htm;\n  image/svg+xml svg svgz;\n}", `types {text/html html htm; image/svg+xml svg svgz;}`},
	{"geo", `geo $remote_addr $g { default 0; proxy 10.0.0.1; 10.0.0.0/8 1; 127.0.0.1/32 "local"; }`,
		`geo $remote_addr $g {default 0; proxy 10.0.0.1; 10.0.0.0/8 1; 127.0.0.1/32 local;}`},
	{"split_clients", `split_clients "${remote_addr}" $v { 50% a; * b; }`, `split_clients "${remote_addr}" $v {50% a; * b;}`},
	{"upstream servers", `upstream u { server 10.0.0.1:80 weight=5; server unix:/s backup; }`, `upstream u {server 10.0.0.1:80 weight=5; server unix:/s backup;}`},
	{"stream upstream", `stream { upstream u { server a:1; } server { proxy_pass u; } }`, `stream {upstream u {server a:1;} server {proxy_pass u;}}`},
}

// TestGrammar checks the tree of every grammarTests row; no error may be
// reported.
func TestGrammar(t *testing.T) {
	for _, tc := range grammarTests {
		t.Run(tc.name, func(t *testing.T) {
			f := syntax.Parse(tc.name, []byte(tc.src))
			checkInvariants(t, f)
			if got := dump(f); got != tc.tree {
				t.Errorf("tree of %q\n got: %s\nwant: %s", tc.src, got, tc.tree)
			}
			if len(f.Errors) > 0 {
				t.Errorf("%q: unexpected errors %q", tc.src, errs(f))
			}
		})
	}
}

// TestWords checks the fields of each word: its span, the text as written
// and the value nginx sees.
func TestWords(t *testing.T) {
	src := `x "a\"b" 'c d' e\;f ${g}h "";`
	want := []syntax.Word{
		{Span: syntax.Span{Start: 0, End: 1}, Raw: `x`, Value: `x`},
		{Span: syntax.Span{Start: 2, End: 8}, Raw: `"a\"b"`, Value: `a"b`, Quote: '"'},
		{Span: syntax.Span{Start: 9, End: 14}, Raw: `'c d'`, Value: `c d`, Quote: '\''},
		{Span: syntax.Span{Start: 15, End: 19}, Raw: `e\;f`, Value: `e\;f`},
		{Span: syntax.Span{Start: 20, End: 25}, Raw: `${g}h`, Value: `${g}h`},
		{Span: syntax.Span{Start: 26, End: 28}, Raw: `""`, Value: ``, Quote: '"'},
	}
	f := syntax.Parse("words", []byte(src))
	checkInvariants(t, f)
	if len(f.Directives) != 1 || len(f.Errors) > 0 {
		t.Fatalf("got %s, errors %q", dump(f), errs(f))
	}
	d := f.Directives[0]
	got := []*syntax.Word{d.Name}
	got = append(got, d.Args...)
	if len(got) != len(want) {
		t.Fatalf("got %d words, want %d", len(got), len(want))
	}
	for i, w := range got {
		if *w != want[i] {
			t.Errorf("word %d: got %+v, want %+v", i, *w, want[i])
		}
	}
	if d.Semi != 28 || d.End() != 29 {
		t.Errorf("Semi %d, End %d; want 28, 29", d.Semi, d.End())
	}
}

// TestTreeFields checks parents, entry blocks, block offsets and comments.
func TestTreeFields(t *testing.T) {
	src := "http { # c1\n  map $a $b { location 1; }\n  server { listen 80; }\n}\n# c2"
	f := syntax.Parse("fields", []byte(src))
	checkInvariants(t, f)
	if len(f.Errors) > 0 {
		t.Fatalf("errors %q", errs(f))
	}
	http := f.Directives[0]
	mp, srv := http.Children()[0], http.Children()[1]
	entry, listen := mp.Children()[0], srv.Children()[0]
	if http.Parent != nil || mp.Parent != http || entry.Parent != mp || listen.Parent != srv {
		t.Error("wrong parents")
	}
	if !entry.InEntryBlock() || listen.InEntryBlock() || mp.InEntryBlock() {
		t.Error("InEntryBlock: a map entry is one, a listen or the map itself is not")
	}
	if http.Block.Open != 5 || http.Block.Close != len(src)-6 || http.End() != len(src)-5 {
		t.Errorf("http block %d-%d, End %d", http.Block.Open, http.Block.Close, http.End())
	}
	var comments []string
	for _, c := range f.Comments {
		comments = append(comments, f.Text(c))
	}
	if len(comments) != 2 || comments[0] != "# c1" || comments[1] != "# c2" {
		t.Errorf("comments %q", comments)
	}
	if s, ok := srv.ArgsSpan(); ok {
		t.Errorf("server has no args, got span %v", s)
	}
	if s, ok := listen.ArgsSpan(); !ok || f.Text(s) != "80" {
		t.Errorf("listen args span %v", s)
	}
}

// TestUnclosedEnd checks End for blocks the file leaves open: it reaches the
// last child, or the end of the Lua body.
func TestUnclosedEnd(t *testing.T) {
	f := syntax.Parse("open", []byte("http { a; server { b;"))
	http := f.Directives[0]
	if http.End() != len(f.Src) || http.Block.Close != -1 {
		t.Errorf("End %d, Close %d", http.End(), http.Block.Close)
	}
	f = syntax.Parse("lua", []byte("access_by_lua_block { x = 1 "))
	if d := f.Directives[0]; d.End() != len(f.Src) || d.Block.Lua == nil {
		t.Errorf("lua End %d", d.End())
	}
	f = syntax.Parse("words", []byte("a b c"))
	if d := f.Directives[0]; d.End() != 5 || d.Semi != -1 {
		t.Errorf("End %d, Semi %d", d.End(), d.Semi)
	}
}
