package lsp

import (
	"bytes"
	"sort"
	"sync"
	"unicode/utf8"
)

// Encoding is the unit LSP positions count characters in.
type Encoding int

const (
	UTF16 Encoding = iota // the protocol's default
	UTF8                  // bytes, offered when the client accepts it
)

// mapper converts between byte offsets (what the analysis speaks) and LSP
// line/character positions. Lines end at LF, CRLF or a lone CR, as the
// protocol defines them (nginx itself counts only LF; the CLI does too).
type mapper struct {
	text  []byte
	lines []int // offset of the first byte of each line

	colIndex sync.Map // line -> *lineCols, for the long lines
}

func newMapper(text []byte) *mapper {
	m := &mapper{text: text, lines: make([]int, 1, bytes.Count(text, []byte{'\n'})+1)}
	if bytes.IndexByte(text, '\r') < 0 {
		// Only LF ends lines, as in most files: found at memchr speed,
		// a fraction of a millisecond for a megabyte, on every edit.
		for i := 0; ; {
			j := bytes.IndexByte(text[i:], '\n')
			if j < 0 {
				return m
			}
			i += j + 1
			m.lines = append(m.lines, i)
		}
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			m.lines = append(m.lines, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			m.lines = append(m.lines, i+1)
		}
	}
	return m
}

// lineEnd is the offset of the line terminator of line l (or the end of text).
func (m *mapper) lineEnd(l int) int {
	end := len(m.text)
	if l+1 < len(m.lines) {
		end = m.lines[l+1]
		if end > 0 && m.text[end-1] == '\n' {
			end--
		}
		if end > m.lines[l] && m.text[end-1] == '\r' {
			end--
		}
	}
	return end
}

// A long line gets a column index on first use, so that converting the
// thousands of offsets of a minified configuration (one line of hundreds of
// kilobytes) costs what the same file with line breaks costs: without it,
// each conversion counted the characters from the start of its line.
const (
	longLine = 1024 // lines at least this long are indexed
	colStep  = 256  // bytes between two entries of an index
)

// lineCols indexes one long line: the UTF-16 units before a character
// boundary every colStep bytes.
type lineCols struct {
	once  sync.Once
	ascii bool  // the line is ASCII: a column is a byte count
	at    []int // at[k]: the first character boundary at or after start+k*colStep
	units []int // units[k]: the UTF-16 units from the line start to at[k]
}

// cols returns the index of line l (start to end), or nil for a short line.
// Snapshots are shared by the goroutines that translate a publish: the
// index is built once, by whichever needs it first.
func (m *mapper) cols(l, start, end int) *lineCols {
	if end-start < longLine {
		return nil
	}
	v, ok := m.colIndex.Load(l)
	if !ok {
		v, _ = m.colIndex.LoadOrStore(l, &lineCols{})
	}
	c := v.(*lineCols)
	c.once.Do(func() { c.build(m.text, start, end) })
	return c
}

func (c *lineCols) build(text []byte, start, end int) {
	c.ascii = true
	n, i, next := 0, start, start
	for i < end {
		if i >= next { // a character is at most 4 bytes: one entry at a time
			c.at = append(c.at, i)
			c.units = append(c.units, n)
			next += colStep
		}
		if text[i] < utf8.RuneSelf {
			n++
			i++
			continue
		}
		c.ascii = false
		r, size := utf8.DecodeRune(text[i:end])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	if c.ascii {
		c.at, c.units = nil, nil
	}
}

// before returns the last indexed boundary at or before off and the
// UTF-16 units before it.
func (c *lineCols) before(start, off int) (i, n int) {
	k := min((off-start)/colStep, len(c.at)-1)
	for k > 0 && c.at[k] > off {
		k--
	}
	return c.at[k], c.units[k]
}

// position converts a byte offset. An offset inside a multi-byte character
// or a line terminator is moved back to the character's start.
func (m *mapper) position(off int, enc Encoding) (line, char uint32) {
	if off < 0 {
		off = 0
	}
	if off > len(m.text) {
		off = len(m.text)
	}
	// The line: the last start at or before off (a search written out,
	// which a large publish runs tens of thousands of times).
	lo, hi := 0, len(m.lines)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if m.lines[h] <= off {
			lo = h + 1
		} else {
			hi = h
		}
	}
	l := lo - 1
	start := m.lines[l]
	end := m.lineEnd(l)
	if off > end {
		off = end
	}
	n, i := 0, start
	if c := m.cols(l, start, end); c != nil {
		if c.ascii {
			return uint32(l), uint32(off - start)
		}
		i, n = c.before(start, off)
	}
	for i < off {
		if m.text[i] < utf8.RuneSelf { // ASCII, most of a configuration
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(m.text[i:end])
		if i+size > off {
			break // off is inside this character
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	if enc == UTF8 {
		return uint32(l), uint32(i - start)
	}
	return uint32(l), uint32(n)
}

// offset converts a position. A line past the end maps to the end of the
// text; a character past the end of its line maps to the line's end; a
// character in the middle of a surrogate pair maps to the start of the pair.
// (The protocol has a character past the line's end default back to the
// line's end; editors' own document models clamp a line past the end to the
// end of the text, which vscode-languageserver-textdocument does too.)
func (m *mapper) offset(line, char uint32, enc Encoding) int {
	if int64(line) >= int64(len(m.lines)) {
		return len(m.text)
	}
	start, end := m.lines[line], m.lineEnd(int(line))
	c := m.cols(int(line), start, end)
	if enc == UTF8 || c != nil && c.ascii {
		off := end
		if int64(char) < int64(end-start) {
			off = start + int(char)
		}
		if c != nil && c.ascii {
			return off
		}
		// Stay on a character boundary.
		i := start
		if c != nil {
			i, _ = c.before(start, off)
		}
		for i < off {
			_, size := utf8.DecodeRune(m.text[i:end])
			if i+size > off {
				break
			}
			i += size
		}
		return i
	}
	n, i := 0, start
	if c != nil {
		// The last indexed boundary with at most char units before it.
		k := sort.Search(len(c.units), func(k int) bool { return c.units[k] > int(char) }) - 1
		i, n = c.at[k], c.units[k]
	}
	for i < end {
		r, size := utf8.DecodeRune(m.text[i:end])
		units := 1
		if r >= 0x10000 {
			units = 2
		}
		if n+units > int(char) {
			break
		}
		n += units
		i += size
	}
	return i
}
