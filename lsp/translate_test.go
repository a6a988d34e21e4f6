package lsp

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
	"github.com/nginxls/nginxls/internal/testenv"
)

// Translating by difference gives what translating afresh gives, edit
// after edit: characters typed and removed, lines added and joined,
// non-ASCII text and CRLF line ends, in both position encodings; and most
// findings are copied.
func TestTranslationsMatchFresh(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(testenv.RepoRoot(t), "testdata", "rules", "*", "*.conf"))
	texts := [][]byte{synthtest.GenerateTLSConfig(30)}
	for _, p := range paths[:min(len(paths), 40)] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, b)
	}
	texts = append(texts, bytes.ReplaceAll(synthtest.GenerateTLSConfig(10), []byte("\n"), []byte("\r\n")))
	pieces := []string{"x", "é", "😀", "\n", "\r\n", " ", ";", "ssl_protocols TLSv1;", "\n    ssl_ciphers RC4;\n", "#", "}", "{"}
	s := newServer(context.Background(), nil, nil)
	u := uri.File("/tmp/tr/nginx.conf")
	reused, total := 0, 0
	for n, text := range texts {
		rng := rand.New(rand.NewPCG(uint64(n), 9))
		for _, enc := range []Encoding{UTF16, UTF8} {
			tr := translations{on: allLayers}
			for i := range 25 {
				if i > 0 {
					at := rng.IntN(len(text) + 1)
					del := min(len(text)-at, rng.IntN(3))
					text = slices.Concat(text[:at:at], []byte(pieces[rng.IntN(len(pieces))]), text[at+del:])
				}
				s.docs.set(&document{uri: u, version: int32(i), text: text})
				r := s.diag.analyze(context.Background(), unitKey{doc: u})
				f := r.cfg.Files[0]
				prev := tr.last[f.Name]
				got := tr.toProtocol(r, f, enc)
				want := toProtocol(r, f, enc)
				if !reflect.DeepEqual(got, want) {
					for k := range want {
						if !reflect.DeepEqual(got[k], want[k]) {
							t.Fatalf("text %d, edit %d, finding %d of %d:\n got %+v\nwant %+v", n, i, k, len(want), got[k], want[k])
						}
					}
					t.Fatalf("text %d, edit %d: %d findings, want %d", n, i, len(got), len(want))
				}
				if prev != nil {
					on := findingsOn(r, f)
					total += len(on)
					reused += len(on) - len(prev.reuse(on, r.docs[u].mapper(), make([]protocol.Diagnostic, len(on))))
				}
			}
		}
	}
	if reused < total/2 {
		t.Errorf("only %d of %d findings were copied: the test does not exercise the reuse", reused, total)
	}
	t.Logf("%d of %d findings copied", reused, total)
}

// The translations and parse trees kept hold findings and trees: once the
// configuration they belong to is dropped (its last open file closed),
// they go too.
func TestTranslationsDroppedWithTheirUnit(t *testing.T) {
	s := newServer(context.Background(), countingClient{}, nil)
	g := s.diag
	main := uri.File("/tmp/tr/evict/nginx.conf")
	g.trans.last = map[string]*translated{"/tmp/tr/evict/nginx.conf": {}, "/tmp/tr/evict/site.conf": {}}
	g.said[unitKey{main: "/tmp/tr/evict/nginx.conf"}] = map[uri.URI][]protocol.Diagnostic{main: {{Message: protocol.String("m")}}}
	if _, err := s.ws.AnalyzeAlone(context.Background(), "/tmp/tr/evict/nginx.conf", []byte("events {}\n")); err != nil {
		t.Fatal(err)
	}
	g.evictOrphans()
	if len(g.trans.last) != 0 {
		t.Errorf("after the unit was dropped, translations of %d files are kept", len(g.trans.last))
	}
	if held := s.ws.Held(); len(held) != 0 {
		t.Errorf("after the unit was dropped, the workspace keeps %v", held)
	}
	// A unit that never published (a client that pulls) is dropped alike.
	g.results[unitKey{doc: main}] = &unitResult{}
	if _, err := s.ws.AnalyzeAlone(context.Background(), "/tmp/tr/evict/nginx.conf", []byte("events {}\n")); err != nil {
		t.Fatal(err)
	}
	g.evictOrphans()
	if held := s.ws.Held(); len(held) != 0 {
		t.Errorf("after a unit that never published was dropped, the workspace keeps %v", held)
	}
}
