package lsp

import (
	"math/rand"
	"testing"
	"unicode/utf16"

	"go.lsp.dev/protocol"
)

// TestRandomEdits applies random ranged edits incrementally and checks the
// text against a reference kept as UTF-16 code units, the protocol's view.
func TestRandomEdits(t *testing.T) {
	pieces := []string{"a", "é", "€", "😀", "𐐀", "\n", "\r\n", ";", " ", "ssl_protocols", "{}"}
	for seed := int64(1); seed <= 50; seed++ {
		rnd := rand.New(rand.NewSource(seed))
		ref := []uint16{}
		d := &document{text: nil}
		for step := 0; step < 60; step++ {
			// Pick a range on character boundaries of the reference.
			text := string(utf16.Decode(ref))
			runes := []rune(text)
			a, b := rnd.Intn(len(runes)+1), rnd.Intn(len(runes)+1)
			if a > b {
				a, b = b, a
			}
			// A position between the CR and LF of a CRLF does not exist in
			// the protocol: it cannot be sent.
			if splitsCRLF(runes, a) || splitsCRLF(runes, b) {
				continue
			}
			ins := ""
			for k := rnd.Intn(4); k > 0; k-- {
				ins += pieces[rnd.Intn(len(pieces))]
			}
			start, end := lspPos(runes[:a]), lspPos(runes[:b])
			change := &protocol.TextDocumentContentChangePartial{
				Range: protocol.Range{Start: start, End: end}, Text: ins}
			next, err := d.applyChanges(int32(step), []protocol.TextDocumentContentChangeEvent{change}, UTF16)
			if err != nil {
				t.Fatal(err)
			}
			d = next
			ref = utf16.Encode([]rune(string(runes[:a]) + ins + string(runes[b:])))
			if got := string(d.text); got != string(utf16.Decode(ref)) {
				t.Fatalf("seed %d step %d: text %q, want %q", seed, step, got, string(utf16.Decode(ref)))
			}
		}
	}
}

// lspPos is the protocol position after the given text (LF, CRLF and CR
// end lines).
func lspPos(prefix []rune) protocol.Position {
	var line, char uint32
	for i := 0; i < len(prefix); i++ {
		switch r := prefix[i]; {
		case r == '\r' && i+1 < len(prefix) && prefix[i+1] == '\n':
			i++
			line, char = line+1, 0
		case r == '\n' || r == '\r':
			line, char = line+1, 0
		case r >= 0x10000:
			char += 2
		default:
			char++
		}
	}
	return protocol.Position{Line: line, Character: char}
}

func splitsCRLF(runes []rune, i int) bool {
	return i > 0 && i < len(runes) && runes[i-1] == '\r' && runes[i] == '\n'
}
