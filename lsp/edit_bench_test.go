package lsp

import (
	"bytes"
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

// BenchmarkEdit is the server's work for one edit, from didChange to the
// notification encoded, without the pipe: a character typed into (or
// deleted from) a server_name in the middle of the file, with the
// incremental paths on and off (NGINXLS_NO_INCREMENTAL).
func BenchmarkEdit(b *testing.B) {
	for _, lines := range []int{200, 2000, 27000} {
		text := synthtest.GenerateTLSConfig((lines - 3 + 4) / 9)
		for _, incremental := range []bool{true, false} {
			b.Run(fmt.Sprintf("lines=%d/incremental=%v", lines, incremental), func(b *testing.B) { benchmarkEdit(b, text, incremental, "x") })
		}
	}
}

func benchmarkEdit(b *testing.B, text []byte, incremental bool, typed string) {
	frames := 0
	s := newServer(context.Background(), countingClient{n: &frames}, nil)
	s.incremental = incremental
	u := uri.File("/tmp/bench-layers/nginx.conf")
	ctx := context.Background()
	if err := s.DidOpen(ctx, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: u, Version: 1, Text: string(text)}}); err != nil {
		b.Fatal(err)
	}
	s.diag.wg.Wait() // the first analysis, in the background
	at := len(text)/2 + bytes.Index(text[len(text)/2:], []byte("server_name ")) + len("server_name ")
	m := newMapper(text)
	line, char := m.position(at, UTF16)
	pos := protocol.Position{Line: line, Character: char}
	b.ReportAllocs()
	version := int32(1)
	cpu := cpuTime()
	for b.Loop() {
		version++
		r := protocol.Range{Start: pos, End: pos}
		t := typed
		if version%2 == 1 {
			r.End = protocol.Position{Line: line, Character: char + 1}
			t = ""
		}
		err := s.DidChange(ctx, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: r, Text: t}},
		})
		if err != nil {
			b.Fatal(err)
		}
		s.diag.wg.Wait() // the worker the edit started has published
	}
	// The process's CPU time (GC and parts translated in parallel
	// included) varies less than wall time on a busy machine.
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
	if frames == 0 {
		b.Fatal("nothing published")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// countingClient encodes the publishes as the connection would, and counts
// them.
type countingClient struct {
	protocol.Client
	n *int
}

func (c countingClient) PublishDiagnostics(ctx context.Context, p *protocol.PublishDiagnosticsParams) error {
	if _, err := (lspCodec{}).Marshal(p); err != nil {
		return err
	}
	if c.n != nil {
		*c.n++
	}
	return nil
}
