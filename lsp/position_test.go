package lsp

import (
	"slices"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestMapper(t *testing.T) {
	text := "ssl_protocols TLSv1; # é€😀𐐀\r\nserver_name ñ;\rlisten 443;\n"
	m := newMapper([]byte(text))
	for _, c := range []struct {
		off        int
		line, u16  uint32
		u8         uint32
		backOffset int // offset obtained back from the UTF-16 position
	}{
		{0, 0, 0, 0, 0},
		{14, 0, 14, 14, 14},                  // TLSv1
		{23, 0, 23, 23, 23},                  // é
		{25, 0, 24, 25, 25},                  // after é (2 bytes, 1 unit)
		{28, 0, 25, 28, 28},                  // after € (3 bytes, 1 unit)
		{32, 0, 27, 32, 32},                  // after 😀 (4 bytes, 2 units)
		{36, 0, 29, 36, 36},                  // after 𐐀 (4 bytes, 2 units): end of line
		{37, 0, 29, 36, 36},                  // inside CRLF: clamped to the line end
		{38, 1, 0, 0, 38},                    // after CRLF
		{50, 1, 12, 12, 50},                  // ñ
		{53, 1, 14, 15, 53},                  // after ";" of line 1, before CR
		{54, 2, 0, 0, 54},                    // after the lone CR
		{len(text), 3, 0, 0, len(text)},      // end of file
		{len(text) + 10, 3, 0, 0, len(text)}, // past the end
		{30, 0, 25, 28, 28},                  // inside 😀: back to its start
	} {
		l, ch := m.position(c.off, UTF16)
		if l != c.line || ch != c.u16 {
			t.Errorf("position(%d, utf-16) = %d:%d, want %d:%d", c.off, l, ch, c.line, c.u16)
		}
		if _, ch8 := m.position(c.off, UTF8); ch8 != c.u8 {
			t.Errorf("position(%d, utf-8) = %d, want %d", c.off, ch8, c.u8)
		}
		if back := m.offset(c.line, c.u16, UTF16); back != c.backOffset {
			t.Errorf("offset(%d:%d) = %d, want %d", c.line, c.u16, back, c.backOffset)
		}
	}
	// Past-the-end positions clamp.
	if off := m.offset(0, 1000, UTF16); off != 36 {
		t.Errorf("offset past the line end = %d, want 36", off)
	}
	if off := m.offset(99, 0, UTF16); off != len(text) {
		t.Errorf("offset past the last line = %d", off)
	}
	// Inside a surrogate pair: the start of the pair.
	if off := m.offset(0, 26, UTF16); off != 28 {
		t.Errorf("offset inside a surrogate pair = %d, want 28", off)
	}
}

// FuzzMapper compares the mapper with a reference that decodes every line
// into UTF-16 code units.
func FuzzMapper(f *testing.F) {
	f.Add([]byte("a\r\nb\rc\né😀\xff"), 5)
	f.Add([]byte("ssl_protocols TLSv1;\n# €𐐀\n"), 25)
	f.Fuzz(func(t *testing.T, text []byte, off int) {
		m := newMapper(text)
		if off < 0 {
			off = -off
		}
		off %= len(text) + 1
		line, ch := m.position(off, UTF16)
		back := m.offset(line, ch, UTF16)
		if back > off {
			t.Fatalf("offset(position(%d)) = %d is past the original", off, back)
		}
		// Reference: count units from the line start with the standard library.
		start := m.lines[line]
		want := 0
		for i := start; i < back; {
			r, size := utf8.DecodeRune(text[i:back])
			want += len(utf16.Encode([]rune{r}))
			i += size
		}
		if uint32(want) != ch {
			t.Fatalf("position(%d) character = %d, reference %d (text %q)", off, ch, want, text)
		}
		if _, c8 := m.position(back, UTF8); m.offset(line, c8, UTF8) != back {
			t.Fatalf("utf-8 round trip of %d failed", back)
		}
	})
}

// FuzzSplice checks the line table a splice derives against a full scan,
// around CR, LF and CRLF in particular (a CR inserted before an LF, or an
// LF after a CR, joins them into one line end).
func FuzzSplice(f *testing.F) {
	f.Add([]byte("a\r\nb\rc\n"), 1, 2, []byte("\r"))
	f.Add([]byte("a\rb"), 2, 2, []byte("\nx"))
	f.Add([]byte("\n\n"), 0, 2, []byte(""))
	f.Add([]byte("ab\r"), 3, 3, []byte("\n"))
	f.Fuzz(func(t *testing.T, text []byte, start, end int, ins []byte) {
		if start < 0 {
			start = -start
		}
		if end < 0 {
			end = -end
		}
		start %= len(text) + 1
		end %= len(text) + 1
		if start > end {
			start, end = end, start
		}
		next := append(append(append([]byte{}, text[:start]...), ins...), text[end:]...)
		got := newMapper(text).splice(next, start, end, len(ins)).lines
		if want := newMapper(next).lines; !slices.Equal(got, want) {
			t.Fatalf("splice(%q, %d, %d, %q): line starts %v, want %v", text, start, end, ins, got, want)
		}
	})
}
