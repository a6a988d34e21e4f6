package lsp

import (
	"context"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

// BenchmarkEditLargeFile is the server's work for one edit of the
// 27,000-line configuration, without the pipe: re-apply a change, analyse,
// translate the findings and encode the notification.
func BenchmarkEditLargeFile(b *testing.B) {
	s := newServer(context.Background(), nil, nil)
	text := synthtest.GenerateTLSConfig(3000)
	u := uri.File("/tmp/big/nginx.conf")
	d := &document{uri: u, version: 1, text: text}
	s.docs.set(d)
	key := unitKey{doc: u}
	b.ReportAllocs()
	for b.Loop() {
		r := s.diag.analyze(context.Background(), key, analysis.DefaultSettings())
		ds := toProtocol(r, r.cfg.Files[0], UTF16)
		if _, err := (lspCodec{}).Marshal(&protocol.PublishDiagnosticsParams{URI: u, Diagnostics: ds}); err != nil {
			b.Fatal(err)
		}
	}
}
