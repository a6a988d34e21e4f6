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
	// send writes a whole frame (header and body) to the client, body being
	// the JSON message; nil sends through client instead (a server without
	// a connection). The frame goes out as it is made: through the
	// connection, megabytes would be copied once more.
	send   func(frame, body []byte) error
	client protocol.Client
	last   map[uri.URI]*encodedList
	// spare is the buffer of a list no longer kept, for the next one: a
	// large file's list is megabytes, every keystroke.
	spare []byte
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

// frameRoom is room for a frame's header, before the message.
const frameRoom = len("Content-Length: \r\n\r\n") + 20

// framePrefix is what comes before a publish's params in a frame: room for
// the header, then the notification's start.
var framePrefix = append(make([]byte, frameRoom), `{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":`...)

func (p *publisher) publish(ctx context.Context, params *protocol.PublishDiagnosticsParams) error {
	if p.send == nil {
		return p.client.PublishDiagnostics(ctx, params)
	}
	prev := p.last[params.URI]
	l, err := encodeParams(prev, params, p.spare, framePrefix)
	p.spare = nil
	if err != nil {
		return err
	}
	l.buf = append(l.buf, '}')
	if p.last == nil {
		p.last = map[uri.URI]*encodedList{}
	}
	if len(params.Diagnostics) == 0 {
		delete(p.last, params.URI) // nothing worth keeping
	} else {
		p.last[params.URI] = l
	}
	body := l.buf[frameRoom:]
	header := fmt.Appendf(nil, "Content-Length: %d\r\n\r\n", len(body))
	frame := l.buf[frameRoom-len(header):]
	copy(frame, header)
	err = p.send(frame, body)
	if prev != nil && len(params.Diagnostics) > 0 {
		p.spare = prev.buf[:0]
	}
	return err
}

// encodeParams encodes params as lspCodec would, after prefix, taking from
// prev the bytes of the items it already encoded. It writes into buf when it
// is large enough.
func encodeParams(prev *encodedList, params *protocol.PublishDiagnosticsParams, buf, prefix []byte) (*encodedList, error) {
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
	size := len(prefix) + len(head)
	if prev != nil {
		size += len(prev.buf)
	}
	l := &encodedList{diags: params.Diagnostics, at: make([][2]int, len(params.Diagnostics))}
	if cap(buf) < size || cap(buf) > 2*size+64<<10 {
		// Too small, or so large that a small list would keep a large
		// file's megabytes alive.
		buf = make([]byte, 0, size+size/8)
	}
	buf = append(append(buf[:0], prefix...), head[:hole]...)
	j := 0 // where in prev the next item is looked for
	for i := range params.Diagnostics {
		if i > 0 {
			buf = append(buf, ',')
		}
		start := len(buf)
		if k := prev.find(&params.Diagnostics[i], j); k >= 0 {
			buf = append(buf, prev.buf[prev.at[k][0]:prev.at[k][1]]...)
			j = k + 1
		} else if buf, err = protocol.AppendMarshal(buf, &params.Diagnostics[i]); err != nil {
			return nil, err
		}
		l.at[i] = [2]int{start, len(buf)}
	}
	l.buf = append(buf, head[hole:]...)
	return l, nil
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
