package lsp

import (
	"sort"
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
}

func newMapper(text []byte) *mapper {
	m := &mapper{text: text, lines: []int{0}}
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

// splice returns the mapper of next, the text after text[start:end] was
// replaced by ins bytes. Whether q starts a line depends only on the bytes
// at q-1 and q, so starts before the change are kept, starts after it are
// shifted, and only those around the inserted bytes are looked for: a tiny
// edit of a large file costs a copy of the line table, not a scan of the
// text.
func (m *mapper) splice(next []byte, start, end, ins int) *mapper {
	newEnd := start + ins
	head := sort.SearchInts(m.lines, start) // starts q < start
	tail := sort.SearchInts(m.lines, end+1) // starts q >= end+1
	lines := make([]int, 0, len(m.lines)-(tail-head)+ins/16+1)
	lines = append(lines, m.lines[:head]...)
	if head == 0 {
		lines = append(lines, 0) // start is 0: line 0 still starts there
	}
	for q := max(start, 1); q <= newEnd; q++ {
		switch next[q-1] {
		case '\n':
			lines = append(lines, q)
		case '\r':
			if q == len(next) || next[q] != '\n' {
				lines = append(lines, q)
			}
		}
	}
	delta := ins - (end - start)
	for _, q := range m.lines[tail:] {
		lines = append(lines, q+delta)
	}
	return &mapper{text: next, lines: lines}
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
func (m *mapper) offset(line, char uint32, enc Encoding) int {
	if int(line) >= len(m.lines) {
		return len(m.text)
	}
	start, end := m.lines[line], m.lineEnd(int(line))
	if enc == UTF8 {
		off := start + int(char)
		if off > end {
			off = end
		}
		// Stay on a character boundary.
		i := start
		for i < off {
			_, size := utf8.DecodeRune(m.text[i:end])
			if i+size > off {
				break
			}
			i += size
		}
		return i
	}
	n := 0
	i := start
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
