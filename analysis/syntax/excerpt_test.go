package syntax_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nginxls/nginxls/analysis/syntax"
)

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"server", `server`},
		{`a"b\c`, `a\"b\\c`},
		{"PATH=/bin\x00SECRET=x", `PATH=/bin\x00SECRET=x`},
		{"a\nb\tc\x1b[31m", `a\nb\tc\x1b[31m`},
		{"\xff\xfe", `\xff\xfe`},
		{"ré\u202egnp", `ré\u202egnp`},
		{strings.Repeat("a", 64), strings.Repeat("a", 64)},
		{strings.Repeat("a", 65), strings.Repeat("a", 64) + "…"},
		{strings.Repeat("é", 40), strings.Repeat("é", 32) + "…"},
		{strings.Repeat("\x00", 40), strings.Repeat(`\x00`, 16) + "…"},
	} {
		if got := syntax.Excerpt(tc.in); got != tc.want {
			t.Errorf("Excerpt(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestQuoteShort: a short printable word is quoted as %q quotes it, so that
// messages about ordinary words do not change.
func TestQuoteShort(t *testing.T) {
	for _, s := range []string{"server", "ssl_protocols", `a"b`, "x\ty", "", "日本"} {
		if got, want := syntax.Quote(s), strconv.Quote(s); got != want {
			t.Errorf("Quote(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzExcerpt(f *testing.F) {
	f.Add("PATH=/usr/bin\x00HOME=/root")
	f.Add(strings.Repeat("é", 100))
	f.Fuzz(func(t *testing.T, s string) {
		e := syntax.Excerpt(s)
		if len(e) > syntax.ExcerptMax+len("…") || !utf8.ValidString(e) {
			t.Fatalf("Excerpt(%q) = %q", s, e)
		}
		for _, r := range e {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("Excerpt(%q) = %q holds a control character", s, e)
			}
		}
		if !strings.HasSuffix(e, "…") {
			if u, err := strconv.Unquote(`"` + e + `"`); err != nil || u != s {
				t.Fatalf("Excerpt(%q) = %q does not read back", s, e)
			}
		}
	})
}
