package lsp

import (
	"bytes"
	"context"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// minifiedConfig is about 600 KB of server blocks, each with findings, on
// one line (a minified configuration) or one block a line.
func minifiedConfig(oneLine bool) []byte {
	const block = "server { listen 443 ssl; ssl_protocols TLSv1; }"
	var b bytes.Buffer
	b.WriteString("http {")
	for b.Len() < 600<<10 {
		if !oneLine {
			b.WriteByte('\n')
		}
		b.WriteString(block)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// BenchmarkMinifiedFile is the server's work for a publish of the 600 KB
// configuration, on one line and with a line break after each block:
// "publish" is the translation of every finding to a protocol range
// against a new snapshot (its mapper cold, as after an edit), the limit on
// how many are shown and the encoding of the notification; "analysis"
// adds the analysis before it. The one-line file must cost what the other
// costs.
func BenchmarkMinifiedFile(b *testing.B) {
	for _, c := range []struct {
		name    string
		oneLine bool
	}{{"one-line", true}, {"line-per-block", false}} {
		for _, analyze := range []bool{false, true} {
			name := c.name + "/publish"
			if analyze {
				name = c.name + "/analysis+publish"
			}
			b.Run(name, func(b *testing.B) { benchmarkMinifiedFile(b, c.oneLine, analyze) })
		}
	}
}

func benchmarkMinifiedFile(b *testing.B, oneLine, analyze bool) {
	s := newServer(context.Background(), nil, nil)
	text := minifiedConfig(oneLine)
	u := uri.File("/tmp/min/nginx.conf")
	key := unitKey{doc: u}
	version := int32(1)
	s.docs.set(&document{uri: u, version: version, text: text})
	r := s.diag.analyze(context.Background(), key)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		version++
		d := &document{uri: u, version: version, text: text}
		if analyze {
			s.docs.set(d)
			r = s.diag.analyze(context.Background(), key)
		} else {
			r.docs = map[uri.URI]*document{u: d}
		}
		ds := shown([]found{{r: r, on: findingsOn(r, r.cfg.Files[0])}}, 0, UTF16)
		if _, err := (lspCodec{}).Marshal(&protocol.PublishDiagnosticsParams{URI: u, Diagnostics: ds}); err != nil {
			b.Fatal(err)
		}
		n = len(ds)
	}
	b.ReportMetric(float64(n), "diagnostics")
}
