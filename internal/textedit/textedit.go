// Package textedit finds what an edit changed between two versions of a
// text: the parser and the language server both redo only that part.
package textedit

import "bytes"

// Changed returns the smallest edit that turns old into new:
// old[lo:oldHi] became new[lo:newHi], and the rest is the same.
func Changed(old, new []byte) (lo, oldHi, newHi int) {
	lo = commonPrefix(old, new)
	n := min(len(old), len(new)) - lo
	suffix := commonSuffix(old[len(old)-n:], new[len(new)-n:])
	return lo, len(old) - suffix, len(new) - suffix
}

// chunk is how much is compared at once: bytes.Equal is fast on long
// runs, and a keystroke's edit is found within one chunk of its place.
const chunk = 4096

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+chunk <= n && bytes.Equal(a[i:i+chunk], b[i:i+chunk]) {
		i += chunk
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix is the length of the longest common suffix of a and b, of
// equal lengths.
func commonSuffix(a, b []byte) int {
	n := len(a)
	i := 0
	for i+chunk <= n && bytes.Equal(a[n-i-chunk:n-i], b[n-i-chunk:n-i]) {
		i += chunk
	}
	for i < n && a[n-i-1] == b[n-i-1] {
		i++
	}
	return i
}
