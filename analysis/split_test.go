package analysis

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

const splitConf = `foo top;
http {
    foo http;
    server {
        foo server-a;
        location / { foo location-a; }
    }
    server { listen 80; foo server-b; }
    location /misplaced { server { foo misplaced; } }
    map $a $b { foo entry; }
}
`

// A rule made by Split judges every directive it selects once, the ones in
// servers through RunServer (so that a Cache keeps them), and two rules of
// one selection share what lies outside servers and, while a server is
// checked, what lies in it.
func TestSplit(t *testing.T) {
	var outsides, ins atomic.Int32
	foos := Named("foo")
	counted := Select(func(p *Pass) []config.Located { outsides.Add(1); return foos.Outside(p) },
		func(p *Pass, s *config.Server) []config.Located { ins.Add(1); return foos.In(p, s) })
	var mu sync.Mutex
	judged := map[string]int{} // rule and word, per analysis
	var analyzers []*Analyzer
	for _, id := range []string{"split-a", "split-b"} {
		h := Split(counted, func(p *Pass, l config.Located) {
			mu.Lock()
			judged[id+" "+l.Dir.Args[0].Value]++
			mu.Unlock()
			p.Reportf(l.File, l.Dir.Args[0].Span, "%s", l.Dir.Args[0].Value)
		})
		analyzers = append(analyzers, &Analyzer{ID: id, Severity: Info, Run: h.Run, RunServer: h.RunServer})
	}
	all := "http location-a misplaced server-a server-b top"
	cache := &Cache{}
	for round, wantJudged := range []string{all, "http misplaced top"} { // then the servers come from the cache
		clear(judged)
		cfg := config.Load(syntax.Parse("a.conf", []byte(splitConf)))
		res := cache.Analyze(context.Background(), cfg, analyzers, DefaultSettings())
		for _, id := range []string{"split-a", "split-b"} {
			var found, once []string
			for _, d := range res.Diagnostics {
				if d.Rule == id {
					found = append(found, d.Message)
				}
			}
			for k, n := range judged {
				if w, ok := strings.CutPrefix(k, id+" "); ok && n == 1 {
					once = append(once, w)
				} else if ok {
					t.Errorf("analysis %d: %s judged %s %d times", round+1, id, w, n)
				}
			}
			slices.Sort(found)
			slices.Sort(once)
			if g := strings.Join(found, " "); g != all {
				t.Errorf("analysis %d: %s found %q, want %q", round+1, id, g, all)
			}
			if g := strings.Join(once, " "); g != wantJudged {
				t.Errorf("analysis %d: %s judged %q, want %q", round+1, id, g, wantJudged)
			}
		}
		if n := outsides.Load(); n != int32(round+1) {
			t.Errorf("after %d analyses the outside part was made %d times", round+1, n)
		}
		if n := ins.Load(); n != 2 { // two servers, in the first analysis alone
			t.Errorf("after %d analyses the servers' parts were made %d times, want 2", round+1, n)
		}
	}
}
