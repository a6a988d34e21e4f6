package syntax

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExcerptMax is how many bytes of the user's text a message quotes at most
// (escapes included), before an ellipsis.
const ExcerptMax = 64

// Excerpt returns a short, printable excerpt of the user's text for a
// message: at most ExcerptMax bytes of escaped text, cut on a character
// boundary and ended by "…" when cut. Control characters, NUL, invalid
// UTF-8, invisible format characters, quotes and backslashes are escaped
// as Go escapes them (\x00, \n, \u202e, \", \\).
//
// Every message that quotes a word of a configuration goes through it (or
// Quote): a word is whatever a file holds up to a blank, and a file may be
// anything, a process's environment included; a message must not carry
// it whole into a terminal, a CI log or a SARIF report.
func Excerpt(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		var esc string
		switch {
		case r == utf8.RuneError && n == 1:
			esc = `\x` + strconv.FormatUint(uint64(s[i])|0x100, 16)[1:]
		case r == '"':
			esc = `\"`
		case r == '\\':
			esc = `\\`
		case strconv.IsPrint(r):
			esc = s[i : i+n]
		default:
			q := strconv.QuoteRune(r)
			esc = q[1 : len(q)-1]
		}
		if b.Len()+len(esc) > ExcerptMax {
			b.WriteString("…")
			break
		}
		b.WriteString(esc)
		i += n
	}
	return b.String()
}

// Quote is Excerpt in double quotes: what %q makes of a short word, and a
// bounded excerpt of a long one.
func Quote(s string) string { return `"` + Excerpt(s) + `"` }
