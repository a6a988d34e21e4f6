package openssl

import "sync"

// The cache keeps the results of recent evaluations: a configuration repeats
// the same few strings, and the editor re-evaluates them on every keystroke.
// It is dropped whole when full, which bounds memory without bookkeeping.
const cacheMax = 2048

type cacheKey struct {
	s, profile string
	lenient    bool
}

var cache = struct {
	sync.Mutex
	m map[cacheKey]*Result
}{m: map[cacheKey]*Result{}}

func cached(s, profile string, lenient bool) *Result {
	k := cacheKey{s, Canonical(profile), lenient}
	cache.Lock()
	r := cache.m[k]
	cache.Unlock()
	if r != nil {
		return r
	}
	r = evaluate(s, k.profile, lenient)
	cache.Lock()
	if len(cache.m) >= cacheMax {
		cache.m = map[cacheKey]*Result{}
	}
	cache.m[k] = r
	cache.Unlock()
	return r
}
