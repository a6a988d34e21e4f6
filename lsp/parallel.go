package lsp

import (
	"runtime"
	"sync"
)

// A large file can carry tens of thousands of findings, each translated to
// a protocol diagnostic independently of the others: the list is split into
// one contiguous part per processor.

// parallelMin is the smallest part worth a goroutine of its own.
const parallelMin = 2048

// inParallel calls fn for consecutive parts [lo, hi) covering [0, n), side
// by side, and returns when all are done. A panic in a part is raised again
// in the caller, where the request's recovery handles it, instead of
// killing the process from a bare goroutine.
func inParallel(n int, fn func(lo, hi int)) {
	w := min(runtime.GOMAXPROCS(0), n/parallelMin)
	if w <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	panics := make([]any, w)
	for k := range w {
		wg.Go(func() {
			defer func() { panics[k] = recover() }()
			fn(k*n/w, (k+1)*n/w)
		})
	}
	wg.Wait()
	for _, p := range panics {
		if p != nil {
			panic(p)
		}
	}
}
