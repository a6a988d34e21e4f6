package syntax

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// blockDirectives are the directives that always open a block in nginx and
// its common modules. The parser uses them only to recover from a missing ';'
// before a block and to report `directive "x" has no opening "{"`: names it
// does not know may open a block or not, as third-party modules please.
var blockDirectives = map[string]bool{
	"http": true, "events": true, "stream": true, "mail": true,
	"server": true, "location": true, "if": true, "upstream": true,
	"map": true, "types": true, "geo": true, "split_clients": true,
	"charset_map": true, "limit_except": true, "match": true,
	"geoip2": true, "otel_exporter": true, "mgmt": true,
	"rtmp": true, "application": true,
}

// entryBlocks hold entries (`key value;`), not directives: their first
// words are keys, so names there mean nothing.
var entryBlocks = map[string]bool{
	"map": true, "types": true, "geo": true, "split_clients": true, "charset_map": true,
}

// InEntryBlock reports whether a directive is an entry of a map-like block.
func (d *Directive) InEntryBlock() bool { return d.Parent != nil && entryBlocks[d.Parent.Name.Value] }

// IsLuaBlock reports whether a directive name opens a raw Lua block
// (content_by_lua_block and friends), whose body follows Lua's lexical rules
// instead of nginx's.
func IsLuaBlock(name string) bool { return strings.HasSuffix(name, "_by_lua_block") }

// Parse parses src. It never fails: problems are recorded in File.Errors and
// the tree holds everything that could be understood.
func Parse(name string, src []byte) *File {
	return parse(name, src, false).f
}

// parse parses src, keeping the token stream only when asked: nothing but
// File.Tokens needs it, and it is the largest part of a tree.
func parse(name string, src []byte, keepTokens bool) *parser {
	p := &parser{src: src, text: string(src), f: &File{Name: name, Src: src}, keepTokens: keepTokens}
	if keepTokens {
		// Real configurations have about one token per 4 to 6 bytes:
		// reserving them up front saves the copying of a growing slice,
		// which otherwise costs more than the lexing.
		p.tokens = make([]Token, 0, len(src)/4+16)
	}
	p.stack = []frame{{list: &p.f.Directives}}
	p.run()
	return p
}

type frame struct {
	owner *Directive    // the block directive (the enclosing one of an anon frame); nil at top level
	list  *[]*Directive // where children go
	anon  bool          // a stray '{' whose children are spliced into the enclosing block
}

// MaxDepth is how deep blocks nest in a tree: the body of a block nested
// deeper is read (for its braces) but not built, and the block is
// reported. Real configurations nest a few levels (http, server,
// location, if); without a bound, a file of nested blocks costs the
// analysis, which looks up through the levels, time quadratic in its
// size.
const MaxDepth = 1000

type parser struct {
	src   []byte
	text  string // src[base:] as one string: words are substrings of it, not copies
	base  int
	limit int // where a block read again alone ends (Reparse), else 0
	pos   int

	// Words, directives and argument lists are carved out of chunks, which
	// saves most of the parser's allocations.
	wordSlab []Word
	dirSlab  []Directive
	argSlab  []*Word

	f          *File
	keepTokens bool
	tokens     []Token
	stack      []frame
	words      []*Word

	unterminated bool // a quote ran to the end of the file
	eofReported  bool
	depth        int // how many blocks (not stray braces) enclose the next directive
}

// maxErrors bounds the errors kept for one file: past that many, more of
// them help nobody and only cost memory on pathological input.
const maxErrors = 1000

func (p *parser) errorf(start, end int, format string, args ...any) {
	if len(p.f.Errors) >= maxErrors {
		return
	}
	p.f.Errors = append(p.f.Errors, &Error{Span{start, end}, fmt.Sprintf(format, args...)})
}

func (p *parser) token(k Kind, start, end int) {
	if end > start && p.keepTokens {
		p.tokens = append(p.tokens, Token{k, start, end})
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// lex reads trivia (recording it) and returns the next significant token.
// At the end of the file it returns a token with Start == len(src) and Kind Space.
func (p *parser) lex() (Token, *Word) {
	src := p.src
	for p.pos < len(src) {
		start := p.pos
		c := src[start]
		switch {
		case isSpace(c):
			for p.pos < len(src) && isSpace(src[p.pos]) {
				p.pos++
			}
			p.token(TokSpace, start, p.pos)
		case c == '#':
			e := bytes.IndexByte(src[start:], '\n')
			if e < 0 {
				p.pos = len(src)
			} else {
				p.pos = start + e
			}
			p.token(TokComment, start, p.pos)
			p.f.Comments = append(p.f.Comments, Span{start, p.pos})
		case c == ';' || c == '{' || c == '}':
			p.pos++
			k := TokSemicolon
			if c == '{' {
				k = TokLBrace
			} else if c == '}' {
				k = TokRBrace
			}
			t := Token{k, start, p.pos}
			if p.keepTokens {
				p.tokens = append(p.tokens, t)
			}
			return t, nil
		case c == '"' || c == '\'':
			return p.lexQuoted(c)
		default:
			return p.lexBare()
		}
	}
	return Token{TokSpace, len(src), len(src)}, nil
}

// lexBare reads an unquoted word, as ngx_conf_read_token does: it ends at a
// blank, ';' or '{' (except the '{' of "${"); a backslash escapes the next
// byte; '}', '#' and quotes inside a word are ordinary characters.
func (p *parser) lexBare() (Token, *Word) {
	src, start := p.src, p.pos
	j := start
	variable, quoted := false, false
	for j < len(src) {
		c := src[j]
		if c == '{' && variable {
			j++
			continue
		}
		variable = false
		if quoted {
			quoted = false
			j++
			continue
		}
		if c == '\\' {
			quoted = true
			j++
			continue
		}
		if c == '$' {
			variable = true
			j++
			continue
		}
		if isSpace(c) || c == ';' || c == '{' {
			break
		}
		j++
	}
	p.pos = j
	raw := p.substr(start, j)
	return p.word(start, j, raw, unescape(raw), 0)
}

// substr is src[start:end] as a substring of text.
func (p *parser) substr(start, end int) string {
	if end-p.base > len(p.text) {
		// A block read again alone (Reparse) whose word runs past its
		// end: that reading fails anyway, the text only has to be there.
		p.text = string(p.src[p.base:])
	}
	return p.text[start-p.base : end-p.base]
}

// lexQuoted reads a quoted word. A quote that is never closed would swallow
// the rest of the file (nginx then reports the end of the file); to keep the
// rest of the tree useful, the word is cut at the end of its line instead.
func (p *parser) lexQuoted(q byte) (Token, *Word) {
	src, start := p.src, p.pos
	j := start + 1
	closed := false
	for j < len(src) {
		if src[j] == '\\' {
			j += 2
			continue
		}
		if src[j] == q {
			closed = true
			break
		}
		j++
	}
	if !closed {
		end := len(src)
		if e := bytes.IndexByte(src[start:], '\n'); e >= 0 {
			end = start + e
		}
		p.unterminated = true
		p.errorf(start, end, "unterminated string: the %c opened here is never closed, so nginx reads to the end of the file", q)
		p.pos = end
		raw := p.substr(start, end)
		return p.word(start, end, raw, unescape(raw[1:]), q)
	}
	p.pos = j + 1
	raw := p.substr(start, p.pos)
	t, w := p.word(start, p.pos, raw, unescape(raw[1:len(raw)-1]), q)
	// nginx wants a blank, ';', '{' or ')' right after a closing quote. A '}'
	// is left to the parser, which reports it as unexpected.
	if p.pos < len(src) {
		c := src[p.pos]
		if !isSpace(c) && c != ';' && c != '{' && c != ')' && c != '}' {
			r, n := utf8.DecodeRune(src[p.pos:])
			if r == utf8.RuneError {
				p.errorf(p.pos, p.pos+1, "unexpected \"\\x%02x\"", c)
			} else {
				p.errorf(p.pos, p.pos+n, "unexpected %s", Quote(string(r)))
			}
		}
	}
	return t, w
}

func (p *parser) word(start, end int, raw, value string, q byte) (Token, *Word) {
	t := Token{TokWord, start, end}
	if p.keepTokens {
		p.tokens = append(p.tokens, t)
	}
	if len(p.wordSlab) == 0 {
		p.wordSlab = make([]Word, p.chunk(256, 12))
	}
	w := &p.wordSlab[0]
	p.wordSlab = p.wordSlab[1:]
	*w = Word{Span: Span{start, end}, Raw: raw, Value: value, Quote: q}
	return t, w
}

// unescape resolves backslash escapes the way nginx does: \" \' \\ lose the
// backslash, \t \r \n become control characters, anything else is kept.
func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\'', '\\':
				i++
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// lexLua reads the body of a Lua block up to (not including) its closing
// brace, skipping Lua strings and comments so that braces inside them do not
// count.
func (p *parser) lexLua() Span {
	src, start := p.src, p.pos
	depth := 1
	j := start
loop:
	for j < len(src) {
		c := src[j]
		switch {
		case c == '-' && j+1 < len(src) && src[j+1] == '-':
			if n, ok := longBracket(src, j+2); ok {
				j = skipLongBracket(src, j+2+n, n-2)
				continue
			}
			for j < len(src) && src[j] != '\n' {
				j++
			}
		case c == '[':
			if n, ok := longBracket(src, j); ok {
				j = skipLongBracket(src, j+n, n-2)
				continue
			}
			j++
		case c == '"' || c == '\'':
			j++
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j++
		case c == '{':
			depth++
			j++
		case c == '}':
			depth--
			if depth == 0 {
				break loop
			}
			j++
		default:
			j++
		}
	}
	if j > len(src) {
		j = len(src)
	}
	p.pos = j
	p.token(TokLuaCode, start, j)
	return Span{start, j}
}

// longBracket reports whether a Lua long bracket `[==[` starts at i and how
// many bytes it takes.
func longBracket(src []byte, i int) (int, bool) {
	if i >= len(src) || src[i] != '[' {
		return 0, false
	}
	j := i + 1
	for j < len(src) && src[j] == '=' {
		j++
	}
	if j < len(src) && src[j] == '[' {
		return j - i + 1, true
	}
	return 0, false
}

// skipLongBracket returns the offset just past the `]==]` with level equal
// signs, or the end of the source.
func skipLongBracket(src []byte, i, level int) int {
	closer := "]" + strings.Repeat("=", level) + "]"
	if k := bytes.Index(src[i:], []byte(closer)); k >= 0 {
		return i + k + len(closer)
	}
	return len(src)
}

func (p *parser) top() *frame { return &p.stack[len(p.stack)-1] }

// owner is the directive whose block the next directive lands in.
func (p *parser) owner() *Directive { return p.top().owner }

func (p *parser) add(d *Directive) {
	d.Parent = p.owner()
	l := p.top().list
	*l = append(*l, d)
}

// take turns the pending words into a directive.
// chunk sizes a slab: full size for large files, about one element per
// bytesPer bytes of source for small ones, so that a tree of a thousand
// small files does not carry a thousand mostly empty slabs.
func (p *parser) chunk(full, bytesPer int) int {
	size := len(p.src)
	if p.limit > 0 {
		size = p.limit - p.base // a block read again alone
	}
	return min(full, size/bytesPer+4)
}

func (p *parser) take(words []*Word) *Directive {
	if len(p.dirSlab) == 0 {
		p.dirSlab = make([]Directive, p.chunk(128, 30))
	}
	d := &p.dirSlab[0]
	p.dirSlab = p.dirSlab[1:]
	n := len(words) - 1
	if len(p.argSlab) < n {
		p.argSlab = make([]*Word, max(n, p.chunk(512, 16)))
	}
	args := p.argSlab[:n:n]
	p.argSlab = p.argSlab[n:]
	copy(args, words[1:])
	*d = Directive{Name: words[0], Args: args, Semi: -1}
	return d
}

func (p *parser) run() {
	if bytes.HasPrefix(p.src, bom) {
		p.token(TokBOM, 0, 3)
		p.pos = 3
		p.errorf(0, 3, "the file starts with a UTF-8 byte order mark, which nginx reads as part of the first directive name")
	}
	for {
		t, w := p.lex()
		if t.Kind == TokSpace { // the end of the file
			p.finish()
			return
		}
		p.step(t, w)
	}
}

// step takes the next significant token. When it is a '}' that closes a
// block, step returns that block's frame.
func (p *parser) step(t Token, w *Word) (closed frame, ok bool) {
	switch t.Kind {
	case TokWord:
		p.words = append(p.words, w)
	case TokSemicolon:
		if len(p.words) == 0 {
			p.errorf(t.Start, t.End, `unexpected ";"`)
			return
		}
		d := p.take(p.words)
		p.words = p.words[:0]
		d.Semi = t.Start
		p.add(d)
		if name := d.Name.Value; blockDirectives[name] && !d.InEntryBlock() && !(name == "server" && d.Parent != nil && d.Parent.Name.Value == "upstream") {
			p.errorf(d.Name.Start, d.Name.End, `directive %s has no opening "{"`, Quote(name))
		}
	case TokLBrace:
		p.openBlock(t)
	case TokRBrace:
		if len(p.words) > 0 {
			p.errorf(t.Start, t.End, `unexpected "}"`)
			p.add(p.take(p.words))
			p.words = p.words[:0]
			if len(p.stack) == 1 {
				return
			}
		}
		if len(p.stack) == 1 {
			p.errorf(t.Start, t.End, `unexpected "}"`)
			return
		}
		fr := p.stack[len(p.stack)-1]
		p.stack = p.stack[:len(p.stack)-1]
		if !fr.anon {
			fr.owner.Block.Close = t.Start
			p.depth--
		}
		return fr, true
	}
	return
}

func (p *parser) openBlock(t Token) {
	if len(p.words) == 0 {
		p.errorf(t.Start, t.End, `unexpected "{"`)
		p.stack = append(p.stack, frame{owner: p.owner(), list: p.top().list, anon: true})
		return
	}
	words := p.words
	p.words = p.words[:0]
	name := words[0].Value
	o := p.owner()
	if o != nil && entryBlocks[o.Name.Value] {
		// nginx reads a map-like block with a handler that takes entries
		// only (cf->handler in ngx_conf_parse): a '{' there is an error,
		// most often because the block's own '}' is missing.
		p.errorf(t.Start, t.End, `unexpected "{"`)
	} else if !blockDirectives[name] && !IsLuaBlock(name) {
		// `name args` then, on a later line, a block directive: the ';' of the
		// first directive is missing. Split there so the block is understood.
		for k := len(words) - 1; k >= 1; k-- {
			w, prev := words[k], words[k-1]
			opens := blockDirectives[w.Value] || IsLuaBlock(w.Value)
			if w.Quote == 0 && opens && p.f.lineOf(w.Start) > p.f.lineOf(prev.End) {
				p.errorf(prev.Start, t.End, `directive %s is not terminated by ";"`, Quote(name))
				p.add(p.take(words[:k]))
				words = words[k:]
				break
			}
		}
	}
	d := p.take(words)
	d.Block = &Block{Open: t.Start, Close: -1}
	p.add(d)
	p.stack = append(p.stack, frame{owner: d, list: &d.Block.Directives})
	p.depth++
	if IsLuaBlock(d.Name.Value) {
		s := p.lexLua()
		d.Block.Lua = &s
		return
	}
	if p.depth > MaxDepth {
		p.errorf(d.Name.Start, t.End, "blocks nest more than %d deep here: the body of this %s block is not analysed", MaxDepth, Quote(d.Name.Value))
		p.skipBlock()
	}
}

// skipBlock reads the body of the block on top of the stack up to its
// closing brace, which it takes, without building it.
func (p *parser) skipBlock() {
	for level := 1; ; {
		t, _ := p.lex()
		switch t.Kind {
		case TokSpace: // the end of the file: finish reports the open block
			return
		case TokLBrace:
			level++
		case TokRBrace:
			if level--; level == 0 {
				p.step(t, nil)
				return
			}
		}
	}
}

func (f *File) lineOf(off int) int {
	l, _ := f.Position(off)
	return l
}

func (p *parser) finish() {
	end := len(p.src)
	if len(p.words) > 0 {
		p.errorf(end, end, `unexpected end of file, expecting ";" or "}"`)
		p.add(p.take(p.words))
		p.words = nil
		p.eofReported = true
	}
	if !p.eofReported && len(p.stack) > 1 {
		// Name the innermost block that is still open: that is the '}' nginx
		// is waiting for.
		for i := len(p.stack) - 1; i > 0; i-- {
			if fr := p.stack[i]; !fr.anon {
				line := p.f.lineOf(fr.owner.Block.Open)
				p.errorf(end, end, `unexpected end of file, expecting "}" (the %s block opened on line %d is not closed)`, Quote(fr.owner.Name.Value), line)
				p.eofReported = true
				break
			}
		}
		if !p.eofReported {
			p.errorf(end, end, `unexpected end of file, expecting "}"`)
			p.eofReported = true
		}
	}
	if !p.eofReported && p.unterminated {
		p.errorf(end, end, `unexpected end of file, expecting ";" or "}"`)
	}
	sort.SliceStable(p.f.Errors, func(i, j int) bool { return p.f.Errors[i].Start < p.f.Errors[j].Start })
}
