package lsp

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

func TestInParallelCoversEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, parallelMin - 1, 2 * parallelMin, 5*parallelMin + 3} {
		seen := make([]atomic.Int32, n)
		inParallel(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("n=%d: index %d visited %d times", n, i, c)
			}
		}
	}
}

func TestInParallelRaisesPanicsInTheCaller(t *testing.T) {
	defer func() {
		if r := recover(); r != "boom" {
			t.Errorf("recovered %v, want boom", r)
		}
	}()
	inParallel(4*parallelMin, func(lo, hi int) {
		if hi == 4*parallelMin {
			panic("boom")
		}
	})
	t.Error("no panic")
}

// A file with thousands of findings is translated in parts: the list must
// come out whole and in order, as one translation of each finding.
func TestToProtocolOfManyFindings(t *testing.T) {
	s := newServer(context.Background(), nil, nil)
	u := uri.File("/tmp/many/nginx.conf")
	s.docs.set(&document{uri: u, version: 1, text: synthtest.GenerateTLSConfig(1000)})
	r := s.diag.analyze(context.Background(), unitKey{doc: u})
	f := r.cfg.Files[0]
	got := toProtocol(r, f, UTF16)
	if len(got) < 2*parallelMin {
		t.Fatalf("%d diagnostics: too few to be translated in parts", len(got))
	}
	cache := map[*syntax.File]*mapper{}
	m := mapperFor(r, f, cache)
	i := 0
	for _, d := range r.diags {
		if d.File != f {
			continue
		}
		if want := diagnostic(r, &d, m, UTF16, cache); !reflect.DeepEqual(got[i], want) {
			t.Fatalf("diagnostic %d:\n got %+v\nwant %+v", i, got[i], want)
		}
		i++
	}
	if i != len(got) {
		t.Errorf("%d diagnostics translated, the file has %d", len(got), i)
	}
}
