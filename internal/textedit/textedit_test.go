package textedit

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// Changed against the definition, on random texts and edits of every size
// (around the chunk size too).
func TestChanged(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		old := make([]byte, rng.IntN(3*chunk))
		for i := range old {
			old[i] = "ab\n"[rng.IntN(3)]
		}
		at := rng.IntN(len(old) + 1)
		del := min(len(old)-at, rng.IntN(10))
		ins := bytes.Repeat([]byte("ab"), rng.IntN(4))
		new := append(append(append([]byte(nil), old[:at]...), ins...), old[at+del:]...)
		lo, oldHi, newHi := Changed(old, new)
		if !bytes.Equal(old[:lo], new[:lo]) || !bytes.Equal(old[oldHi:], new[newHi:]) || oldHi < lo || newHi < lo {
			t.Fatalf("Changed(%q, %q) = %d %d %d: not an edit", old, new, lo, oldHi, newHi)
		}
		if lo < len(old) && lo < len(new) && old[lo] == new[lo] {
			t.Fatalf("the common prefix is longer than %d", lo)
		}
		if oldHi > lo && newHi > lo && old[oldHi-1] == new[newHi-1] {
			t.Fatalf("the common suffix is longer than %d", len(old)-oldHi)
		}
	}
}
