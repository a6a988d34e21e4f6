package syntax_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tufanbarisyildirim/gonginx/config"
	"github.com/tufanbarisyildirim/gonginx/parser"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestAgainstGonginx is a differential test against another Go parser of
// nginx configurations, gonginx: for every corpus file gonginx parses
// without error, both trees must hold the same directives, in the same
// depth-first order, with the same names, arguments and Lua code.
//
// gonginx's representation differs from ours in ways that carry no meaning,
// and only those are normalised:
//   - its words are the text as written, quotes and escapes kept: they are
//     compared with Word.Raw, which checks where every word starts and ends;
//   - it reads runes, turning each byte of invalid UTF-8 into U+FFFD: our
//     text is decoded the same way before the comparison;
//   - it wraps some directives in types that reorder or rebuild them (http
//     and upstream list their servers last, an upstream `server` sorts its
//     key=value parameters): our tree is put through the same gonginx
//     constructors (config.BlockWrappers and friends) before the walk, so
//     both sides are rebuilt by the same code;
//   - it trims the blanks around a Lua body.
//
// Comments are not part of either tree. Where gonginx itself is wrong, the
// file is listed in gonginxExceptions with the reason.
func TestAgainstGonginx(t *testing.T) {
	dir := testenv.Corpus(t)
	var compared, rejected, excepted int
	for _, r := range readManifest(t, dir) {
		src, err := os.ReadFile(filepath.Join(dir, r.path))
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := parseGonginx(src)
		if err != nil {
			rejected++
			continue
		}
		ours := syntax.Parse(r.path, src)
		at, diff := diffTrees(flattenGonginx(theirs.GetDirectives()), flattenOurs(ours))
		exc, listed := gonginxExceptions[r.path]
		switch {
		case at < 0 && listed:
			t.Errorf("%s: listed as an exception (%s), but the trees now agree: remove it", r.path, exc.reason)
		case at >= 0 && (!listed || at != exc.at):
			t.Errorf("%s: trees differ: %s", r.path, diff)
		case listed:
			excepted++
		default:
			compared++
		}
	}
	t.Logf("%d files compared equal, %d known gonginx differences, %d files gonginx rejects", compared, excepted, rejected)
	if compared < 500 {
		t.Errorf("only %d files compared", compared)
	}
}

// gonginxExceptions are the corpus files whose trees differ, with the line
// of the flattened trees where they part (any other difference fails) and
// the reason. Most are gonginx bugs, checked against nginx's reader (the
// reference model and the corpus manifest); two are deliberate choices of
// this parser on files nginx rejects.
var gonginxExceptions = map[string]struct {
	at     int
	reason string
}{
	// gonginx bugs.
	"broken/02-extra-closing-brace.conf": {3,
		"gonginx stops silently at a stray top-level '}' and drops the rest of the file; nginx reports `unexpected \"}\"`"},
	"broken/11-stray-open-brace.conf": {1,
		"gonginx ignores a stray '{', then stops silently at its '}' and drops the rest of the file; nginx reports `unexpected \"{\"`"},
	"certbot/testdata/etc_nginx/ubuntu_nginx_1_4_6/default_vhost/nginx/naxsi_core.rules": {22,
		`gonginx reads "str:c:\\" as ending in an escaped quote; for nginx \\ is an escaped backslash and the quote closes the string`},
	"crossplane/comments-between-args/nginx.conf": {1,
		`gonginx ignores backslashes in unquoted words; for nginx \#arg\ 1 is one word, the backslash escaping the blank`},
	"gonginx/testdata/issues/20.conf": {6,
		"gonginx counts the braces of a Lua comment (`-- comment } }`) and ends content_by_lua_block there; the lua module skips Lua comments, " +
			"and nginx's verdict (\"server\" not allowed here, line 26) confirms that the block runs to line 24"},

	// Deliberate differences on files nginx rejects.
	"broken/03-missing-semicolon-before-block.conf": {0,
		"nginx rejects the missing ';'; we report it and split `worker_processes 1 events {` in two to recover, gonginx keeps the literal reading"},
	"broken/14-utf8-bom.conf": {0,
		"we set a leading byte order mark aside and report it; gonginx, like nginx, reads it as a directive name"},
}

// parseGonginx parses src with gonginx, which knows a fixed list of
// directives: unknown ones are accepted, as nginx with its modules would.
func parseGonginx(src []byte) (c *config.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gonginx panics: %v", r)
		}
	}()
	return parser.NewStringParser(string(src), parser.WithSkipValidDirectivesErr()).Parse()
}

// flattenOurs rebuilds our tree with gonginx's types, the way gonginx's
// parser builds its own (parser.parseStatement), then flattens it.
func flattenOurs(f *syntax.File) []string {
	ds, err := toGonginx(f, f.Directives)
	if err != nil {
		return []string{"gonginx cannot represent our tree: " + err.Error()}
	}
	return flattenGonginx(ds)
}

func toGonginx(f *syntax.File, ds []*syntax.Directive) ([]config.IDirective, error) {
	var out []config.IDirective
	for _, d := range ds {
		gd := &config.Directive{Name: runes(d.Name.Raw)}
		for _, a := range d.Args {
			gd.Parameters = append(gd.Parameters, config.Parameter{Value: runes(a.Raw)})
		}
		var wrap func(*config.Directive) (config.IDirective, error)
		switch {
		case d.Block != nil && d.Block.Lua != nil:
			gd.Block = &config.Block{IsLuaBlock: true, LiteralCode: runes(strings.TrimSpace(f.Text(*d.Block.Lua)))}
			wrap = config.BlockWrappers["_by_lua_block"]
		case d.Block != nil:
			children, err := toGonginx(f, d.Block.Directives)
			if err != nil {
				return nil, err
			}
			gd.Block = &config.Block{Directives: children}
			wrap = config.BlockWrappers[gd.Name]
		case config.IncludeWrappers[gd.Name] != nil:
			wrap = config.IncludeWrappers[gd.Name]
		default:
			wrap = config.DirectiveWrappers[gd.Name]
		}
		var id config.IDirective = gd
		if wrap != nil {
			var err error
			if id, err = wrap(gd); err != nil {
				return nil, err
			}
		}
		out = append(out, id)
	}
	return out, nil
}

// flattenGonginx lists a gonginx tree depth-first, one line per directive
// and per Lua body, indented by depth.
func flattenGonginx(ds []config.IDirective) []string {
	var out []string
	var walk func(ds []config.IDirective, indent string)
	walk = func(ds []config.IDirective, indent string) {
		for _, d := range ds {
			line := indent + fmt.Sprintf("%q", d.GetName())
			for _, p := range d.GetParameters() {
				line += fmt.Sprintf(" %q", p.Value)
			}
			b := d.GetBlock()
			if b != nil {
				line += " {"
			}
			out = append(out, line)
			if b == nil {
				continue
			}
			if code := b.GetCodeBlock(); code != "" {
				out = append(out, indent+"  lua "+fmt.Sprintf("%q", code))
			}
			walk(b.GetDirectives(), indent+"  ")
		}
	}
	walk(ds, "")
	return out
}

// runes decodes s the way gonginx reads its input (bufio.Reader.ReadRune):
// every byte of invalid UTF-8 becomes U+FFFD.
func runes(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r)
	}
	return b.String()
}

// diffTrees returns the index of the first difference of two flattened
// trees and describes it; the index is -1 when they are equal.
func diffTrees(theirs, ours []string) (int, string) {
	for i := 0; i < len(theirs) || i < len(ours); i++ {
		var a, b string = "(nothing)", "(nothing)"
		if i < len(theirs) {
			a = theirs[i]
		}
		if i < len(ours) {
			b = ours[i]
		}
		if a != b {
			return i, fmt.Sprintf("line %d:\n gonginx: %s\n    ours: %s", i, a, b)
		}
	}
	return -1, ""
}
