package workspace

import (
	"context"
	"testing"

	"github.com/nginxls/nginxls/analysis/rules"
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
