package lsp

import (
	"slices"
	"strings"
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

// FuzzLineStarts checks the line table against a plain reading of the
// protocol's rule (LF, CRLF and a lone CR end lines), with and without CR
// in the text (which takes another path).
func FuzzLineStarts(f *testing.F) {
	f.Add([]byte("a\nb\n\nc"))
	f.Add([]byte("a\r\nb\rc\n\r"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, text []byte) {
		want := []int{0}
		for i := 0; i < len(text); i++ {
			if text[i] == '\n' || text[i] == '\r' && (i+1 == len(text) || text[i+1] != '\n') {
				want = append(want, i+1)
			}
		}
		if got := newMapper(text).lines; !slices.Equal(got, want) {
			t.Fatalf("line starts of %q: %v, want %v", text, got, want)
		}
	})
}

// refPosition and refOffset convert by counting from the line start, as
// the mapper does on a short line.
func refPosition(m *mapper, off int, enc Encoding) (uint32, uint32) {
	line, _ := m.position(off, UTF8) // the line search is not indexed
	start, end := m.lines[line], m.lineEnd(int(line))
	off = min(max(off, 0), end)
	n, i := 0, start
	for i < off {
		r, size := utf8.DecodeRune(m.text[i:end])
		if i+size > off {
			break
		}
		n += len(utf16.Encode([]rune{r}))
		i += size
	}
	if enc == UTF8 {
		return line, uint32(i - start)
	}
	return line, uint32(n)
}

func refOffset(m *mapper, line, char uint32, enc Encoding) int {
	start, end := m.lines[line], m.lineEnd(int(line))
	n, i := 0, start
	for i < end {
		r, size := utf8.DecodeRune(m.text[i:end])
		units := size
		if enc == UTF16 {
			units = len(utf16.Encode([]rune{r}))
		}
		if n+units > int(char) {
			break
		}
		n += units
		i += size
	}
	return i
}

// Long lines are converted through their column index: every offset and
// every position of them must convert as on a short line.
func TestMapperLongLines(t *testing.T) {
	var b []byte
	for i := 0; len(b) < 3*longLine; i++ {
		switch i % 7 {
		case 1:
			b = append(b, "é"...)
		case 3:
			b = append(b, "😀"...)
		case 4:
			b = append(b, "€"...)
		case 5:
			if i%5 == 0 {
				b = append(b, 0xff) // invalid UTF-8: one replacement character
			}
		default:
			b = append(b, "server { listen 443 ssl; }"[:i%23+1]...)
		}
	}
	ascii := strings.Repeat("ssl_protocols TLSv1; ", 2*longLine/20)
	text := string(b) + "\r\n" + ascii + "\nshort\n" + string(b)
	m := newMapper([]byte(text))
	for off := 0; off <= len(text); off++ {
		for _, enc := range []Encoding{UTF16, UTF8} {
			l, c := m.position(off, enc)
			wl, wc := refPosition(m, off, enc)
			if l != wl || c != wc {
				t.Fatalf("position(%d, %d) = %d:%d, want %d:%d", off, enc, l, c, wl, wc)
			}
		}
	}
	for line := range uint32(len(m.lines)) {
		width := uint32(m.lineEnd(int(line)) - m.lines[line])
		for char := range width + 3 {
			for _, enc := range []Encoding{UTF16, UTF8} {
				if got, want := m.offset(line, char, enc), refOffset(m, line, char, enc); got != want {
					t.Fatalf("offset(%d:%d, %d) = %d, want %d", line, char, enc, got, want)
				}
			}
		}
	}
	if c := m.cols(1, m.lines[1], m.lineEnd(1)); c == nil || !c.ascii {
		t.Error("the ASCII line is not indexed as ASCII")
	}
}
