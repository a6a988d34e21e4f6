// Package syntax turns the bytes of an nginx configuration file into a
// lossless syntax tree with exact byte offsets.
//
// It knows nginx's grammar (the tokenizer of ngx_conf_file.c, plus the raw
// Lua blocks of the lua module) and nothing about what directives mean. The
// parser never stops at an error: it records the error with a byte range,
// recovers, and keeps building the rest of the tree, so that an editor can
// keep analysing a half-typed file.
package syntax

import (
	"sort"
	"sync"
)

// Kind classifies a token of the lossless token stream.
type Kind uint8

const (
	TokSpace     Kind = iota // blanks, tabs and line breaks
	TokComment               // from '#' to the end of the line, without the line break
	TokWord                  // a directive name or argument, quoted or not
	TokSemicolon             // ';'
	TokLBrace                // '{'
	TokRBrace                // '}'
	TokLuaCode               // the raw body of a *_by_lua_block, between its braces
	TokBOM                   // a UTF-8 byte order mark at the start of the file
)

func (k Kind) String() string {
	switch k {
	case TokSpace:
		return "space"
	case TokComment:
		return "comment"
	case TokWord:
		return "word"
	case TokSemicolon:
		return "';'"
	case TokLBrace:
		return "'{'"
	case TokRBrace:
		return "'}'"
	case TokLuaCode:
		return "lua"
	case TokBOM:
		return "bom"
	}
	return "?"
}

// Token is one piece of the file. The tokens of a File cover every byte of
// its source exactly once, in order: that is what makes the tree lossless.
type Token struct {
	Kind       Kind
	Start, End int // byte offsets, End exclusive
}

// Span is a byte range [Start, End) of a file.
type Span struct {
	Start, End int
}

// A Word is a directive name or argument.
type Word struct {
	Span
	Raw   string // the text as written, quotes and escapes included
	Value string // the value nginx sees: quotes removed, escapes resolved
	Quote byte   // '"' or '\'' when the word is quoted, else 0
}

// A Directive is `name arg... ;` or `name arg... { ... }`.
type Directive struct {
	Name   *Word
	Args   []*Word
	Semi   int        // offset of the terminating ';', or -1
	Block  *Block     // non-nil for a block directive
	Parent *Directive // the directive whose block holds this one; nil at top level
}

// Block is the `{ ... }` part of a block directive.
type Block struct {
	Open       int // offset of '{'
	Close      int // offset of the matching '}', or -1 when the file ends first
	Directives []*Directive
	// Lua is the raw body of a *_by_lua_block (between the braces); such a
	// block has no Directives.
	Lua *Span
}

// Start is the offset of the directive's first byte.
func (d *Directive) Start() int { return d.Name.Start }

// End is the offset just past the directive: after its ';' or its closing
// '}', or after its last token when those are missing.
func (d *Directive) End() int {
	switch {
	case d.Block != nil && d.Block.Close >= 0:
		return d.Block.Close + 1
	case d.Block != nil:
		end := d.Block.Open + 1
		if d.Block.Lua != nil {
			end = d.Block.Lua.End
		}
		if n := len(d.Block.Directives); n > 0 {
			if e := d.Block.Directives[n-1].End(); e > end {
				end = e
			}
		}
		return end
	case d.Semi >= 0:
		return d.Semi + 1
	case len(d.Args) > 0:
		return d.Args[len(d.Args)-1].End
	}
	return d.Name.End
}

// IsBlock reports whether the directive has a `{ ... }` block.
func (d *Directive) IsBlock() bool { return d.Block != nil }

// Children returns the directives inside the block (nil for a simple directive).
func (d *Directive) Children() []*Directive {
	if d.Block == nil {
		return nil
	}
	return d.Block.Directives
}

// ArgValues returns the unquoted values of the arguments.
func (d *Directive) ArgValues() []string {
	out := make([]string, len(d.Args))
	for i, a := range d.Args {
		out[i] = a.Value
	}
	return out
}

// ArgsSpan is the range from the first to the last argument; ok is false when
// there are no arguments.
func (d *Directive) ArgsSpan() (s Span, ok bool) {
	if len(d.Args) == 0 {
		return Span{}, false
	}
	return Span{d.Args[0].Start, d.Args[len(d.Args)-1].End}, true
}

// Error is a syntax error with the range it is about.
type Error struct {
	Span
	Msg string
}

func (e *Error) Error() string { return e.Msg }

// File is a parsed configuration file.
type File struct {
	Name       string
	Src        []byte
	Directives []*Directive // top-level directives
	Comments   []Span       // every comment, '#' included
	Errors     []*Error     // in order of position

	linesOnce sync.Once // a parsed File is shared by concurrent analyses
	lines     []int     // offset of the first byte of every line (LF-terminated)

	tokensOnce sync.Once
	tokens     []Token

	// shared counts the Reparse generations since this tree's words were
	// last all copied: words shared with older trees keep those trees'
	// slabs alive.
	shared int
}

// Tokens returns the file's lossless token stream: every byte of Src, in
// order. It is made on first use, by parsing Src again: the analysis never
// needs it, and it is the largest part of a tree.
func (f *File) Tokens() []Token {
	f.tokensOnce.Do(func() { f.tokens = parse(f.Name, f.Src, true).tokens })
	return f.tokens
}

// Text returns the source text of a span.
func (f *File) Text(s Span) string { return string(f.Src[s.Start:s.End]) }

// Position converts a byte offset to a 1-based line and a 1-based column in
// bytes, counting lines the way nginx does (by LF).
func (f *File) Position(off int) (line, col int) {
	f.linesOnce.Do(f.initLines)
	if off < 0 {
		off = 0
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	return i + 1, off - f.lines[i] + 1
}

// Offset converts a 1-based line and byte column back to an offset, clamped to
// the file.
func (f *File) Offset(line, col int) int {
	f.linesOnce.Do(f.initLines)
	if line < 1 {
		return 0
	}
	if line > len(f.lines) {
		return len(f.Src)
	}
	off := f.lines[line-1] + col - 1
	if off > len(f.Src) {
		off = len(f.Src)
	}
	return off
}

// LineStart returns the offset of the first byte of the line holding off.
func (f *File) LineStart(off int) int {
	line, _ := f.Position(off)
	return f.lines[line-1]
}

// Indent returns the blanks at the start of the line holding off.
func (f *File) Indent(off int) string {
	s := f.LineStart(off)
	e := s
	for e < len(f.Src) && (f.Src[e] == ' ' || f.Src[e] == '\t') {
		e++
	}
	return string(f.Src[s:e])
}

func (f *File) initLines() { f.lines = lineStarts(f.Src) }

func lineStarts(src []byte) []int {
	ls := []int{0}
	for i, c := range src {
		if c == '\n' {
			ls = append(ls, i+1)
		}
	}
	return ls
}

// Walk calls fn for every directive in depth-first source order. When fn
// returns false the directive's children are skipped.
func Walk(ds []*Directive, fn func(*Directive) bool) {
	for _, d := range ds {
		if fn(d) && d.Block != nil {
			Walk(d.Block.Directives, fn)
		}
	}
}
