package workspace

import (
	"bytes"
	"context"
	"testing"

	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
	"github.com/nginxls/nginxls/internal/testenv"
)

// BenchmarkCheckCorpus is nginxls check over the whole corpus folder:
// finding the configuration of each of its 750 files, then analysing them.
func BenchmarkCheckCorpus(b *testing.B) {
	dir := testenv.Corpus(b)
	for b.Loop() {
		ws := New(Options{Analyzers: rules.All})
		files, _ := ws.FilesIn(dir)
		ws.Check(context.Background(), files)
	}
}

// BenchmarkAnalyzeEdit is the language server's work on a keystroke in a
// 27,000-line configuration held as an unsaved buffer: the text changes,
// the configuration is loaded and analysed again, reusing what did not
// change.
func BenchmarkAnalyzeEdit(b *testing.B) {
	src := []byte(synthtest.GenerateTLSConfig(3000))
	path := "/bench/large.conf"
	ws := New(Options{Analyzers: rules.All})
	ws.SetOverlay(path, &Overlay{Text: src})
	roots, err := ws.RootsOf(path)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ws.Analyze(ctx, roots[0]); err != nil {
		b.Fatal(err)
	}
	at := bytes.Index(src, []byte("server_name")) + len("server_name ")
	for i := 0; b.Loop(); i++ {
		text := append([]byte(nil), src...)
		if i%2 == 0 {
			text = append(text[:at:at], append([]byte("x"), src[at:]...)...)
		}
		ws.SetOverlay(path, &Overlay{Text: text})
		if _, err := ws.Analyze(ctx, roots[0]); err != nil {
			b.Fatal(err)
		}
	}
}
