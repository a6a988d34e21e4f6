package lsp

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// publisher sends textDocument/publishDiagnostics. A large file's list is
// megabytes of JSON, and a keystroke changes a few of its items: the last
// list sent for each file is kept encoded, and the next one encodes only the
// items that are not in it, copying the others' bytes.
//
// Callers serialise its use (the diagnoser's pubMu).
type publisher struct {
	// send starts a frame to the client; nil sends through client instead
	// (a server without a connection). The frame goes out as it is made:
	// through the connection, it would be sent only once whole, and its
	// megabytes copied once more.
	send   func() frameOut
	client protocol.Client
	on     layers // layerEncode: copy unchanged items
	last   map[uri.URI]*encodedList
	// spare is the buffer of a list no longer kept, for the next one: a
	// large file's list is megabytes, every keystroke.
	spare []byte
}

// frameOut takes a frame in pieces, in order; finish waits until they are
// written, and is given the frame's JSON message (for the trace).
type frameOut interface {
	write([]byte)
	finish(body []byte) error
}

// encodedList is a diagnostics list as sent: the notification's params and
// where each item's JSON lies in them.
type encodedList struct {
	diags []protocol.Diagnostic
	buf   []byte
	at    [][2]int // diags[i] is buf[at[i][0]:at[i][1]]
}

// resyncWindow is how far ahead in the last list an item is looked for: far
// enough to step over the findings an edit removed, short enough that a list
// whose items all moved (a line inserted above them) costs little more than
// encoding it.
const resyncWindow = 8

// notificationHead is what comes before a publish's params in its frame.
var notificationHead = []byte(`{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":`)

// chunkSize is how much of a frame is handed to the writer at a time.
const chunkSize = 256 << 10

func (p *publisher) publish(ctx context.Context, params *protocol.PublishDiagnosticsParams) error {
	if p.send == nil {
		return p.client.PublishDiagnostics(ctx, params)
	}
	prev := p.last[params.URI]
	if p.on&layerEncode == 0 {
		prev = nil
	}
	pl, err := planParams(prev, params)
	if err != nil {
		return err
	}
	bodyLen := len(notificationHead) + pl.size + 1
	header := fmt.Appendf(nil, "Content-Length: %d\r\n\r\n", bodyLen)
	need := len(header) + bodyLen
	buf := p.spare
	p.spare = nil
	if cap(buf) < need || cap(buf) > 2*need+64<<10 {
		// Too small, or so large that a small list would keep a large
		// file's megabytes alive.
		buf = make([]byte, 0, need)
	}
	buf = append(append(buf[:0], header...), notificationHead...)
	// The frame goes out in chunks while the rest is copied: a large
	// list's megabytes cross the pipe meanwhile.
	out := p.send()
	sent := 0
	l := pl.write(buf, func(b []byte) {
		if len(b)-sent >= chunkSize {
			out.write(b[sent:])
			sent = len(b)
		}
	})
	l.buf = append(l.buf, '}')
	out.write(l.buf[sent:])
	err = out.finish(l.buf[len(header):])
	if p.last == nil {
		p.last = map[uri.URI]*encodedList{}
	}
	if len(params.Diagnostics) == 0 {
		delete(p.last, params.URI) // nothing worth keeping
	} else {
		p.last[params.URI] = l
	}
	if prev != nil && len(params.Diagnostics) > 0 {
		p.spare = prev.buf[:0]
	}
	return err
}

// paramsPlan is how a list is encoded: which items are copied from the
// last list, which were encoded anew (into fresh), and the size of it all.
type paramsPlan struct {
	params *protocol.PublishDiagnosticsParams
	prev   *encodedList
	head   []byte // the params with an empty list
	hole   int    // where the items go in head
	items  []itemSource
	fresh  []byte
	size   int
}

// itemSource is where an item's encoding is: prev.buf[a:b], or fresh[a:b]
// when fresh is set.
type itemSource struct {
	fresh bool
	a, b  int
}

func planParams(prev *encodedList, params *protocol.PublishDiagnosticsParams) (*paramsPlan, error) {
	// The envelope is the params with an empty list, which is then filled.
	head, err := protocol.AppendMarshal(nil, &protocol.PublishDiagnosticsParams{URI: params.URI, Version: params.Version, Diagnostics: []protocol.Diagnostic{}})
	if err != nil {
		return nil, err
	}
	hole := bytes.LastIndex(head, []byte(`"diagnostics":[]`))
	if hole < 0 {
		return nil, fmt.Errorf("unexpected publishDiagnostics encoding %q", head)
	}
	hole += len(`"diagnostics":[`)
	pl := &paramsPlan{params: params, prev: prev, head: head, hole: hole, items: make([]itemSource, len(params.Diagnostics)), size: len(head)}
	j := 0 // where in prev the next item is looked for
	for i := range params.Diagnostics {
		d := &params.Diagnostics[i]
		a := len(pl.fresh)
		if k := prev.find(d, j); k >= 0 {
			pl.items[i] = itemSource{a: prev.at[k][0], b: prev.at[k][1]}
			j = k + 1
		} else {
			if pl.fresh, err = protocol.AppendMarshal(pl.fresh, d); err != nil {
				return nil, err
			}
			pl.items[i] = itemSource{fresh: true, a: a, b: len(pl.fresh)}
		}
		pl.size += pl.items[i].b - pl.items[i].a
	}
	pl.size += max(0, len(params.Diagnostics)-1) // the commas
	return pl, nil
}

// write appends the encoded params to buf, which must have room for
// pl.size more bytes: the slices progress is given stay valid. progress, when
// set, is told of buf as it grows.
func (pl *paramsPlan) write(buf []byte, progress func([]byte)) *encodedList {
	l := &encodedList{diags: pl.params.Diagnostics, at: make([][2]int, len(pl.items))}
	buf = append(buf, pl.head[:pl.hole]...)
	for i, it := range pl.items {
		if i > 0 {
			buf = append(buf, ',')
		}
		start := len(buf)
		if it.fresh {
			buf = append(buf, pl.fresh[it.a:it.b]...)
		} else {
			buf = append(buf, pl.prev.buf[it.a:it.b]...)
		}
		l.at[i] = [2]int{start, len(buf)}
		if progress != nil {
			progress(buf)
		}
	}
	l.buf = append(buf, pl.head[pl.hole:]...)
	return l
}

// find returns the index of d in the list, looking from index from on, or
// -1.
func (l *encodedList) find(d *protocol.Diagnostic, from int) int {
	if l == nil {
		return -1
	}
	for k := from; k < min(from+resyncWindow, len(l.diags)); k++ {
		if sameDiagnostic(&l.diags[k], d) {
			return k
		}
	}
	return -1
}

// sameDiagnostic reports whether two diagnostics encode alike. It compares
// every field of protocol.Diagnostic (a test keeps the list complete); a
// field it cannot compare makes them different.
func sameDiagnostic(a, b *protocol.Diagnostic) bool {
	if a.Range != b.Range || a.Severity != b.Severity || a.CodeDescription != b.CodeDescription || a.Source != b.Source ||
		!sameString(a.Code, b.Code) || !sameString(a.Message, b.Message) || a.Data != nil || b.Data != nil {
		return false
	}
	if a.Tags.Len() != b.Tags.Len() || a.Tags.Len() > 0 && !slices.Equal(a.Tags.Slice(), b.Tags.Slice()) {
		return false
	}
	return slices.Equal(a.RelatedInformation, b.RelatedInformation)
}

// sameString compares two union values when both are plain strings, the
// only form the server sends for codes and messages.
func sameString(a, b any) bool {
	x, ok := a.(protocol.String)
	y, ok2 := b.(protocol.String)
	return ok && ok2 && x == y
}
