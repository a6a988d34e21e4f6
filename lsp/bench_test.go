package lsp

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

// BenchmarkEditLargeFile is the server's work for one edit of the
// 27,000-line configuration, without the pipe: a character typed into (or
// deleted from) a server_name in the middle of the file, then the analysis,
// the limit on how many are shown, the translation of those, and the
// encoding of the notification. maxDiagnostics=0 publishes all 12,000
// findings.
func BenchmarkEditLargeFile(b *testing.B) {
	for _, limit := range []int{0, defaultMaxDiagnostics} {
		b.Run(fmt.Sprintf("maxDiagnostics=%d", limit), func(b *testing.B) { benchmarkEditLargeFile(b, limit) })
	}
}

func benchmarkEditLargeFile(b *testing.B, limit int) {
	s := newServer(context.Background(), nil, nil)
	text := synthtest.GenerateTLSConfig(3000)
	at := len(text)/2 + bytes.Index(text[len(text)/2:], []byte("server_name ")) + len("server_name ")
	edited := append(append(append([]byte(nil), text[:at]...), 'x'), text[at:]...)
	u := uri.File("/tmp/big/nginx.conf")
	key := unitKey{doc: u}
	b.ReportAllocs()
	version := int32(1)
	size := 0
	for b.Loop() {
		t := text
		if version%2 == 0 {
			t = edited
		}
		d := &document{uri: u, version: version, text: t}
		version++
		s.docs.set(d)
		r := s.diag.analyze(context.Background(), key)
		ds := shown([]found{{r: r, on: findingsOn(r, r.cfg.Files[0])}}, limit, UTF16)
		enc, err := lspCodec{}.Marshal(&protocol.PublishDiagnosticsParams{URI: u, Diagnostics: ds})
		if err != nil {
			b.Fatal(err)
		}
		size = len(enc)
	}
	b.ReportMetric(float64(size), "bytes/publish")
}
