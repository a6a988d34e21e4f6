package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Whatever a rule quotes of the user's text, a message stays one line of
// at most MaxMessage characters.
func TestBoundMessage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"short", "short"},
		{"a\x00b\nc", `a\x00b\nc`},
		{"é😀 ok", "é😀 ok"},
	} {
		if got := boundMessage(tc.in); got != tc.want {
			t.Errorf("boundMessage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := boundMessage(`directive "` + strings.Repeat("SECRET=x\x00", 100) + `" is not terminated`)
	if n := utf8.RuneCountInString(long); n > MaxMessage || !strings.HasSuffix(long, "…") || strings.ContainsRune(long, 0) {
		t.Errorf("long message: %d characters: %q", n, long)
	}
}
