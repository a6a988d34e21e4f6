package lsp

import (
	"fmt"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// document is one immutable snapshot of an open file: an edit makes a new
// snapshot, so analysis running on an older one never sees a torn text.
type document struct {
	uri     uri.URI
	version int32
	text    []byte

	once sync.Once
	m    *mapper // built on first use
}

func (d *document) mapper() *mapper {
	d.once.Do(func() { d.m = newMapper(d.text) })
	return d.m
}

// applyChanges returns the snapshot after a didChange's content changes,
// applied in order: ranged ones splice the text, range-less ones replace it.
//
// A position past the end is clamped, not refused: the protocol has a
// character past its line's end mean the line's end, and editors' document
// models (vscode-languageserver-textdocument among them) take a line past
// the last for the end of the text; gopls refuses such an edit instead. A
// range whose end comes before its start is refused, and with it the
// whole notification: the document stays as it was. (Ranges that are not
// positions at all are refused before: see checkChanges.)
func (d *document) applyChanges(version int32, changes []protocol.TextDocumentContentChangeEvent, enc Encoding) (*document, error) {
	text, m := d.text, d.mapper()
	for i, ch := range changes {
		switch c := ch.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			text, m = []byte(c.Text), nil
		case *protocol.TextDocumentContentChangePartial:
			if m == nil {
				m = newMapper(text)
			}
			start := m.offset(c.Range.Start.Line, c.Range.Start.Character, enc)
			end := m.offset(c.Range.End.Line, c.Range.End.Character, enc)
			if end < start {
				return nil, fmt.Errorf("change %d: range end before start", i)
			}
			next := make([]byte, 0, len(text)-(end-start)+len(c.Text))
			next = append(next, text[:start]...)
			next = append(next, c.Text...)
			next = append(next, text[end:]...)
			text, m = next, nil // a later change maps positions in next
		default:
			return nil, fmt.Errorf("change %d: unknown kind %T", i, ch)
		}
	}
	return &document{uri: d.uri, version: version, text: text}, nil
}

// store holds the open documents.
type store struct {
	mu   sync.Mutex
	docs map[uri.URI]*document
}

func newStore() *store { return &store{docs: map[uri.URI]*document{}} }

func (s *store) get(u uri.URI) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[u]
}

func (s *store) set(d *document) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[d.uri] = d
}

func (s *store) remove(u uri.URI) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.docs, u)
}

func (s *store) all() []*document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*document, 0, len(s.docs))
	for _, d := range s.docs {
		out = append(out, d)
	}
	return out
}
