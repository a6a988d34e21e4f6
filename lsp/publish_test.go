package lsp

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

// The reused encoding must be byte for byte what the codec makes of the
// list, through edits that keep, move, drop and add findings.
func TestEncodeParamsReusesExactly(t *testing.T) {
	s := newServer(context.Background(), nil, nil)
	u := uri.File("/tmp/enc/nginx.conf")
	list := func(text []byte) []protocol.Diagnostic {
		s.docs.set(&document{uri: u, version: 1, text: text})
		r := s.diag.analyze(context.Background(), unitKey{doc: u})
		return toProtocol(r, r.cfg.Files[0], UTF16)
	}
	base := synthtest.GenerateTLSConfig(40)
	mid := len(base)/2 + bytes.Index(base[len(base)/2:], []byte("server_name ")) + len("server_name ")
	insert := func(at int, s string) []byte {
		return slices.Concat(base[:at:at], []byte(s), base[at:])
	}
	texts := [][]byte{
		base,
		insert(mid, "x"),    // one server's name
		insert(mid, "é€😀 "), // non-ASCII on the line of findings
		insert(mid, "\n"),   // every later finding one line down
		insert(mid, "example.com;\n ssl_protocols SSLv3;"), // findings added
		base[:len(base)/3], // findings dropped, a syntax error added
		nil,                // none
		base,
	}
	var prev *encodedList
	for i, text := range texts {
		ds := list(text)
		// Tags and related information take the slow comparisons.
		if len(ds) > 3 {
			ds[1].Tags = protocol.NewDiagnosticTags(protocol.DiagnosticTagDeprecated)
			ds[2].RelatedInformation = []protocol.DiagnosticRelatedInformation{{Location: protocol.Location{URI: u}, Message: "here"}}
		}
		params := &protocol.PublishDiagnosticsParams{URI: u, Version: protocol.NewOptional(int32(i)), Diagnostics: ds}
		want, err := lspCodec{}.Marshal(params)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeParams(prev, params)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.buf, want) {
			t.Fatalf("text %d: encoding differs from the codec's:\n got %.300s\nwant %.300s", i, got.buf, want)
		}
		for k, at := range got.at {
			one, _ := protocol.AppendMarshal(nil, &ds[k])
			if !bytes.Equal(got.buf[at[0]:at[1]], one) {
				t.Fatalf("text %d: item %d is recorded at the wrong place", i, k)
			}
		}
		prev = got
	}
}

// Random changes to a list: whatever is reused, the bytes are the codec's.
func TestEncodeParamsRandomLists(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	u := uri.File("/tmp/enc/r.conf")
	mk := func() protocol.Diagnostic {
		d := protocol.Diagnostic{
			Range:    protocol.Range{Start: protocol.Position{Line: uint32(rng.IntN(5)), Character: uint32(rng.IntN(3))}},
			Severity: protocol.DiagnosticSeverity(1 + rng.IntN(4)),
			Code:     protocol.String([]string{"a", "b"}[rng.IntN(2)]),
			Source:   protocol.NewOptional("nginxls"),
			Message:  protocol.String([]string{"m \"q\"", "é"}[rng.IntN(2)]),
		}
		if rng.IntN(4) == 0 {
			d.Tags = protocol.NewDiagnosticTags(protocol.DiagnosticTag(1 + rng.IntN(2)))
		}
		if rng.IntN(4) == 0 {
			d.RelatedInformation = []protocol.DiagnosticRelatedInformation{{Location: protocol.Location{URI: u}, Message: []string{"x", "y"}[rng.IntN(2)]}}
		}
		return d
	}
	var ds []protocol.Diagnostic
	var prev *encodedList
	copied := 0
	for round := range 500 {
		next := slices.Clone(ds)
		for range rng.IntN(4) {
			switch i := rng.IntN(len(next) + 1); rng.IntN(4) {
			case 0:
				next = slices.Insert(next, i, mk())
			case 1:
				if i < len(next) {
					next = slices.Delete(next, i, i+1)
				}
			case 2:
				if i < len(next) {
					next[i] = mk()
				}
			default: // a line break typed, or removed, above i
				shift := uint32(1)
				if rng.IntN(2) == 0 {
					shift = ^uint32(0) // -1
				}
				for k := i; k < len(next); k++ {
					if next[k].Range.Start.Line+shift < 1<<20 {
						next[k].Range.Start.Line += shift
						next[k].Range.End.Line += shift
					}
				}
			}
		}
		ds = next
		params := &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: ds}
		if ds == nil {
			params.Diagnostics = []protocol.Diagnostic{}
		}
		want, _ := lspCodec{}.Marshal(params)
		pl, err := planParams(prev, params)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range pl.items {
			if !it.fresh {
				copied++
			}
		}
		got := pl.write(nil, nil)
		if !bytes.Equal(got.buf, want) {
			t.Fatalf("round %d: got %s\nwant %s", round, got.buf, want)
		}
		prev = got
	}
	if copied < 1000 {
		t.Errorf("only %d items were copied: the test does not exercise it", copied)
	}
}

// sameDiagnostic must know every field: a field added to the protocol's
// Diagnostic and not compared would let a changed item keep stale bytes.
func TestSameDiagnosticKnowsEveryField(t *testing.T) {
	var names []string
	for f := range reflect.TypeFor[protocol.Diagnostic]().Fields() {
		names = append(names, f.Name)
	}
	known := []string{"Range", "Severity", "Code", "CodeDescription", "Source", "Message", "Tags", "RelatedInformation", "Data"}
	if !slices.Equal(names, known) {
		t.Fatalf("protocol.Diagnostic has fields %v; sameDiagnostic compares %v", names, known)
	}
	a := protocol.Diagnostic{Message: protocol.String("m"), Code: protocol.String("c")}
	if !sameDiagnostic(&a, &a) {
		t.Fatal("a diagnostic differs from itself")
	}
	for _, change := range []func(*protocol.Diagnostic){
		func(d *protocol.Diagnostic) { d.Range.End.Character = 1 },
		func(d *protocol.Diagnostic) { d.Severity = 1 },
		func(d *protocol.Diagnostic) { d.Code = protocol.String("d") },
		func(d *protocol.Diagnostic) { d.CodeDescription.Href = "https://x" },
		func(d *protocol.Diagnostic) { d.Source = protocol.NewOptional("x") },
		func(d *protocol.Diagnostic) { d.Message = protocol.String("n") },
		func(d *protocol.Diagnostic) { d.Tags = protocol.NewDiagnosticTags(protocol.DiagnosticTagDeprecated) },
		func(d *protocol.Diagnostic) {
			d.RelatedInformation = []protocol.DiagnosticRelatedInformation{{Message: "r"}}
		},
		func(d *protocol.Diagnostic) { d.Data = protocol.LSPAny("1") },
	} {
		b := a
		change(&b)
		if sameDiagnostic(&a, &b) || sameDiagnostic(&b, &a) {
			t.Errorf("a changed diagnostic is taken for the same: %+v", b)
		}
	}
}

// What the publisher writes is one well-formed frame per list: the header,
// then the notification whose params are the codec's encoding; buffers
// lent from list to list never leak an older list's bytes.
func TestPublishFrames(t *testing.T) {
	u := uri.File("/tmp/enc/f.conf")
	var frames, bodies [][]byte
	most := 0 // pieces of the largest frame
	p := publisher{on: allLayers, send: func() frameOut {
		c := &collect{}
		c.done = func(frame, body []byte) {
			frames, bodies = append(frames, frame), append(bodies, bytes.Clone(body))
			most = max(most, c.pieces)
		}
		return c
	}}
	mk := func(n int, msg string) []protocol.Diagnostic {
		ds := make([]protocol.Diagnostic, n)
		for i := range ds {
			ds[i] = protocol.Diagnostic{Range: protocol.Range{Start: protocol.Position{Line: uint32(i)}}, Message: protocol.String(msg), Source: protocol.NewOptional("nginxls")}
		}
		return ds
	}
	long := strings.Repeat("a long message ", 10)
	// The large lists go out in several pieces, into lent buffers.
	lists := [][]protocol.Diagnostic{mk(50, "a"), mk(60, "a"), mk(10, "b"), {}, mk(5, "ü"), mk(70, "a"),
		mk(5000, long), mk(5001, long), mk(4000, long), mk(6000, "b"), mk(6000, long)}
	for i, ds := range lists {
		params := &protocol.PublishDiagnosticsParams{URI: u, Version: protocol.NewOptional(int32(i)), Diagnostics: ds}
		if err := p.publish(context.Background(), params); err != nil {
			t.Fatal(err)
		}
		enc, _ := lspCodec{}.Marshal(params)
		want := `{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":` + string(enc) + "}"
		if string(bodies[i]) != want {
			t.Fatalf("list %d: body\n%s\nwant\n%s", i, bodies[i], want)
		}
		if head := fmt.Sprintf("Content-Length: %d\r\n\r\n", len(want)); string(frames[i]) != head+want {
			t.Fatalf("list %d: frame %q", i, frames[i][:min(len(frames[i]), 80)])
		}
	}
	if most < 3 {
		t.Errorf("the largest frame went out in %d pieces: the test does not exercise chunking", most)
	}
}

// A buffer lent from a large file's list is not kept by a small one's.
func TestPublishSmallListKeepsNoLargeBuffer(t *testing.T) {
	p := publisher{on: allLayers, send: func() frameOut { return &collect{done: func(frame, body []byte) {}} }}
	many := make([]protocol.Diagnostic, 20000)
	for i := range many {
		many[i] = protocol.Diagnostic{Range: protocol.Range{Start: protocol.Position{Line: uint32(i)}}, Message: protocol.String("m")}
	}
	big, small := uri.File("/tmp/enc/big.conf"), uri.File("/tmp/enc/small.conf")
	for i := range 3 {
		_ = p.publish(context.Background(), &protocol.PublishDiagnosticsParams{URI: big, Diagnostics: many[i:]})
		_ = p.publish(context.Background(), &protocol.PublishDiagnosticsParams{URI: small, Diagnostics: many[:1]})
	}
	if c := cap(p.last[small].buf); c > 1<<20 {
		t.Errorf("a one-item list holds a %d-byte buffer", c)
	}
}

// collect is a frameOut that gathers the pieces of a frame.
type collect struct {
	frame  []byte
	pieces int
	done   func(frame, body []byte)
}

func (c *collect) write(b []byte) {
	c.frame = append(c.frame, b...)
	c.pieces++
}

func (c *collect) finish(body []byte) error {
	c.done(c.frame, body)
	return nil
}

// encodeParams encodes params as lspCodec would, taking from prev the bytes
// of the items it already encoded.
func encodeParams(prev *encodedList, params *protocol.PublishDiagnosticsParams) (*encodedList, error) {
	pl, err := planParams(prev, params)
	if err != nil {
		return nil, err
	}
	return pl.write(make([]byte, 0, pl.size), nil), nil
}
