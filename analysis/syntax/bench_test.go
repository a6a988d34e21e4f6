package syntax_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
	"github.com/nginxls/nginxls/internal/testenv"
)

// BenchmarkParse parses a generated 1 MB, 27,000-line configuration of
// 3,000 TLS servers.
func BenchmarkParse(b *testing.B) {
	src := synthtest.GenerateTLSConfig(3000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		syntax.Parse("bench.conf", src)
	}
}

// BenchmarkReparse is a keystroke in a server of that configuration: a
// character typed into a server_name, then removed, each reparsing the
// tree before.
func BenchmarkReparse(b *testing.B) {
	src := synthtest.GenerateTLSConfig(3000)
	at := len(src)/2 + bytes.Index(src[len(src)/2:], []byte("server_name ")) + len("server_name ")
	edited := append(append(append([]byte(nil), src[:at]...), 'x'), src[at:]...)
	f := syntax.Parse("bench.conf", src)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		next := src
		if i%2 == 0 {
			next = edited
		}
		f = syntax.Reparse(f, next)
		i++
	}
}

// BenchmarkParseCorpus parses every file of the real-world corpus.
func BenchmarkParseCorpus(b *testing.B) {
	dir := testenv.Corpus(b)
	var srcs [][]byte
	var size int64
	matches, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(path)
		srcs = append(srcs, src)
		size += int64(len(src))
		return err
	})
	if err != nil || len(matches) == 0 {
		b.Fatal("reading the corpus: ", err)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			syntax.Parse("corpus", src)
		}
	}
}

// TestGeneratedConfig checks that the benchmark input is what it claims: a
// valid configuration of the announced size.
func TestGeneratedConfig(t *testing.T) {
	src := synthtest.GenerateTLSConfig(3000)
	f := syntax.Parse("generated.conf", src)
	checkInvariants(t, f)
	if len(f.Errors) > 0 {
		t.Fatalf("errors: %q", errs(f)[:1])
	}
	servers := 0
	syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
		if d.Name.Value == "server" {
			servers++
		}
		return true
	})
	lines := bytes.Count(src, []byte("\n"))
	if servers != 3000 || lines < 27000 || lines > 27010 || len(src) < 900_000 || len(src) > 1_100_000 {
		t.Errorf("%d servers, %d lines, %d bytes", servers, lines, len(src))
	}
	if !bytes.Equal(src, synthtest.GenerateTLSConfig(3000)) {
		t.Error("the generator is not deterministic")
	}
	checkAgainstNginx(t, syntax.Parse("small.conf", synthtest.GenerateTLSConfig(8)))
}
