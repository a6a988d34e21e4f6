package analysis

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Run applies the analyzers to a configuration and returns their findings
// sorted by file and position. Rules switched off in the settings do not run;
// severities are overridden as configured. A rule that panics does not take
// the others down: its panic comes back as an error.
func Run(cfg *config.Config, analyzers []*Analyzer, s Settings) ([]Diagnostic, []error) {
	return RunContext(context.Background(), cfg, analyzers, s)
}

// RunContext is Run that gives up between rules once ctx is done (the
// language server cancels the analysis of a text that was edited since);
// it then returns ctx's error among the errors.
//
// Findings silenced by `# nginxls:ignore` comments are left out (see
// AnalyzeContext for them).
func RunContext(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings) ([]Diagnostic, []error) {
	r := AnalyzeContext(ctx, cfg, analyzers, s)
	return r.Diagnostics, r.Errors
}

// Analyze is AnalyzeContext without cancellation.
func Analyze(cfg *config.Config, analyzers []*Analyzer, s Settings) Result {
	return AnalyzeContext(context.Background(), cfg, analyzers, s)
}

// AnalyzeContext runs the analyzers and applies the suppression comments:
// the result has the findings to show and, apart, the silenced ones with
// the comment that silenced each.
func AnalyzeContext(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings) Result {
	return (*Cache)(nil).Analyze(ctx, cfg, analyzers, s)
}

// Analyze is AnalyzeContext reusing, for the servers that did not change,
// what the per-server checks found in the previous analysis through c. A
// nil Cache reuses nothing.
func (c *Cache) Analyze(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings) Result {
	diags, errs := runAll(ctx, cfg, analyzers, s, c)
	if ctx.Err() != nil {
		return Result{Diagnostics: diags, Errors: errs}
	}
	attachIncludeSites(cfg, diags)
	return suppress(cfg, analyzers, s, diags, errs)
}

// ruleRun is one analyzer as the settings have it.
type ruleRun struct {
	a        *Analyzer
	override Severity // 0: the analyzer's own
}

func (r ruleRun) pass(cfg *config.Config, s Settings, sh *shared, diags *[]Diagnostic) *Pass {
	return &Pass{Analyzer: r.a, Config: cfg, Settings: s, shared: sh, report: func(d Diagnostic) {
		if r.override != 0 {
			d.Severity = r.override
		}
		*diags = append(*diags, d)
	}}
}

func runAll(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings, cache *Cache) ([]Diagnostic, []error) {
	var rules, perServer []ruleRun
	for _, a := range analyzers {
		r := ruleRun{a: a}
		if v := s.Rules[a.ID]; v == Off {
			continue
		} else if v != 0 {
			r.override = v
		}
		rules = append(rules, r)
		if a.RunServer != nil {
			perServer = append(perServer, r)
		}
	}

	// The servers whose findings the cache has are not checked again.
	var servers []*config.Server
	if len(perServer) > 0 {
		servers = cfg.Servers
	}
	// Which servers the cache can serve is worked out while the first
	// rules run: only the servers' tasks wait for it.
	var st *cacheState
	var lay serverSet
	files := map[string]*syntax.File{}
	key := cacheKey(analyzers, s)
	sh := &shared{values: map[any]*sharedValue{}}
	layDone := make(chan struct{})
	if cache != nil && len(servers) > 0 {
		go func() {
			defer close(layDone)
			defer func() {
				if recover() != nil { // nothing is reused, nothing kept
					st, lay = nil, serverSet{}
				}
			}()
			// What per-server checks read of other servers is part of the
			// key: a change there makes every finding stale.
			for _, r := range perServer {
				if r.a.ServerInputs != nil {
					key += "\x00" + r.a.ID + "\x00" + r.a.ServerInputs(r.pass(cfg, s, sh, new([]Diagnostic)))
				}
			}
			lay = serverLayout(cfg)
			for _, f := range cfg.Files {
				files[f.Name] = f
			}
			cache.mu.Lock()
			st = cache.state
			cache.mu.Unlock()
			if st != nil && (st.key != key || st.outside != lay.outside) {
				st = nil
			}
		}()
	} else {
		close(layDone)
	}
	found := make([][]Diagnostic, len(servers))
	keep := make([]bool, len(servers))   // what the next analysis may reuse
	reused := make([]bool, len(servers)) // what this one did

	// Rules are independent readers of the configuration, and so are the
	// checks of one server and the moving of its cached findings: they run
	// side by side, one per processor, and their findings are joined in
	// registry and server order so that the result does not depend on
	// scheduling.
	type out struct {
		diags []Diagnostic
		errs  []error
	}
	const chunk = 64 // servers per task
	tasks := len(rules) + (len(servers)+chunk-1)/chunk
	outs := make([]out, tasks)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), tasks) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sl slabs // this worker's moved findings are cut from them
			for {
				t := int(next.Add(1) - 1)
				if t >= tasks || ctx.Err() != nil {
					return
				}
				if t < len(rules) {
					if r := rules[t]; r.a.Run != nil {
						if err := runOne(r.a, r.pass(cfg, s, sh, &outs[t].diags), nil); err != nil {
							outs[t].errs = append(outs[t].errs, err)
						}
					}
					continue
				}
				<-layDone
				lo := (t - len(rules)) * chunk
				for i := lo; i < min(lo+chunk, len(servers)); i++ {
					c, ok := lay.cacheable[servers[i]]
					keep[i] = ok
					if ok && st != nil {
						if ds, ok := st.reuse(c, span(servers[i].Block), lay, files, &sl); ok {
							found[i], reused[i] = ds, true
							continue
						}
					}
					for _, r := range perServer {
						if err := runOne(r.a, r.pass(cfg, s, sh, &found[i]), servers[i]); err != nil {
							outs[t].errs = append(outs[t].errs, err)
							keep[i] = false // the next analysis tries again
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	<-layDone
	if err := ctx.Err(); err != nil {
		return nil, []error{err}
	}
	n := 0
	for _, o := range outs {
		n += len(o.diags)
	}
	for _, ds := range found {
		n += len(ds)
	}
	// The findings are sorted where they lie, then copied once, in order.
	all := make([]*Diagnostic, 0, n)
	var errs []error
	seenErr := map[string]bool{} // a rule failing on every server says so once
	for _, o := range outs {
		for i := range o.diags {
			all = append(all, &o.diags[i])
		}
		for _, err := range o.errs {
			if msg, _, _ := strings.Cut(err.Error(), "\n"); !seenErr[msg] {
				seenErr[msg] = true
				errs = append(errs, err)
			}
		}
	}
	for _, ds := range found {
		for i := range ds {
			all = append(all, &ds[i])
		}
	}

	if cache != nil && len(servers) > 0 {
		n := 0
		for _, r := range reused {
			if r {
				n++
			}
		}
		next := &cacheState{reused: n, checked: len(servers) - n,
			key: key, outside: lay.outside, layout: lay.layout, entries: map[string][]*serverEntry{}}
		for i, srv := range servers {
			if keep[i] {
				c := lay.cacheable[srv]
				es := next.entries[c.key.file]
				for len(es) <= c.key.index {
					es = append(es, nil)
				}
				es[c.key.index] = &serverEntry{text: c.text, at: span(srv.Block), diags: found[i]}
				next.entries[c.key.file] = es
			}
		}
		cache.mu.Lock()
		cache.state = next
		cache.mu.Unlock()
	}
	return dedupeOrdered(all, sortedOrder(all)), errs
}

// Dedupe merges repeated findings: a snippet included in several servers
// is analysed once per inclusion, but its finding is one finding. The
// copies' related places are kept, and their fixes merged into one (each
// copy's fix may touch its own server: all of them must be applied).
//
// diags must be sorted (SortDiagnostics): copies of a finding share its
// file, start and rule, so they sit in one short run, and the language
// server's thousands of findings are merged without hashing a message.
func Dedupe(diags []Diagnostic) []Diagnostic {
	all := make([]*Diagnostic, len(diags))
	order := make([]int32, len(diags))
	for i := range diags {
		all[i], order[i] = &diags[i], int32(i)
	}
	return dedupeOrdered(all, order)
}

// dedupeOrdered is Dedupe of the findings taken in the given order: each
// finding is copied once, straight to its place.
func dedupeOrdered(diags []*Diagnostic, order []int32) []Diagnostic {
	out := make([]Diagnostic, 0, len(diags))
	run := 0 // where the run of findings with this file, start and rule begins in out
	for _, i := range order {
		d := diags[i]
		if r := out[run:]; len(r) == 0 || r[0].File.Name != d.File.Name || r[0].Span.Start != d.Span.Start || r[0].Rule != d.Rule {
			run = len(out)
		}
		dup := -1
		for i := run; i < len(out); i++ {
			if out[i].File == d.File && out[i].Span == d.Span && out[i].Message == d.Message {
				dup = i
				break
			}
		}
		if dup < 0 {
			out = append(out, *d)
			continue
		}
		kept := &out[dup]
		kept.Related = append(slices.Clip(kept.Related), d.Related...) // never into a slab shared with the cache
		kept.Fixes = mergeFixLists(kept.Fixes, d.Fixes)
	}
	return out
}

// mergeFixLists merges two copies' fixes position by position, keeping
// each edit once.
func mergeFixLists(a, b []SuggestedFix) []SuggestedFix {
	out := append([]SuggestedFix(nil), a...)
	for i, f := range b {
		if i >= len(out) {
			out = append(out, f)
			continue
		}
		merged := out[i]
		merged.Edits = append([]TextEdit(nil), out[i].Edits...)
		merged.Unsafe = merged.Unsafe || f.Unsafe
		for _, e := range f.Edits {
			dup := false
			for _, have := range merged.Edits {
				dup = dup || have == e
			}
			if !dup {
				merged.Edits = append(merged.Edits, e)
			}
		}
		out[i] = merged
	}
	return out
}

func runOne(a *Analyzer, pass *Pass, server *config.Server) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error in rule %s: %v\n%s", a.ID, r, debug.Stack())
		}
	}()
	if server != nil {
		a.RunServer(pass, server)
	} else {
		a.Run(pass)
	}
	return nil
}

// SortDiagnostics orders findings by file name, position, then rule id;
// findings equal in all three keep their order.
func SortDiagnostics(diags []Diagnostic) {
	all := make([]*Diagnostic, len(diags))
	for i := range diags {
		all[i] = &diags[i]
	}
	order := sortedOrder(all)
	// Move each finding once along the cycles of the permutation, in
	// place: a sorted copy would hold a second set of findings (42 MB for
	// 300,000) at the peak of a large check.
	for k := range order {
		if order[k] < 0 {
			continue
		}
		tmp := diags[k]
		j := k
		for {
			next := int(order[j])
			order[j] = -1
			if next == k {
				diags[j] = tmp
				break
			}
			diags[j] = diags[next]
			j = next
		}
	}
}

// sortedOrder returns the indexes of diags in SortDiagnostics' order.
// Sorting compact keys (file rank and start in one number), then moving
// each finding once, is several times faster than sorting the findings
// themselves.
func sortedOrder(diags []*Diagnostic) []int32 {
	// Files rank by name; files of one name rank alike.
	rank := map[*syntax.File]uint64{}
	var files []*syntax.File
	for _, d := range diags {
		if _, ok := rank[d.File]; !ok {
			rank[d.File] = 0
			files = append(files, d.File)
		}
	}
	slices.SortFunc(files, func(a, b *syntax.File) int { return strings.Compare(a.Name, b.Name) })
	for i, f := range files {
		rank[f] = 0
		if i > 0 {
			rank[f] = rank[files[i-1]]
			if files[i-1].Name != f.Name {
				rank[f]++
			}
		}
	}
	const bias = 1 << 40 // starts in [-bias, bias) fit beside the rank
	type key struct {
		k uint64 // file rank, then start
		i int32
	}
	keys := make([]key, len(diags))
	var last *syntax.File
	var lastRank uint64
	for i, d := range diags {
		if d.File != last {
			last, lastRank = d.File, rank[d.File]
		}
		start := d.Span.Start
		if start < -bias || start >= bias {
			return sortedOrderSlow(diags)
		}
		keys[i] = key{lastRank<<41 | uint64(start+bias), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.k != b.k {
			return cmp.Compare(a.k, b.k)
		}
		if c := strings.Compare(diags[a.i].Rule, diags[b.i].Rule); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int32, len(keys))
	for k, x := range keys {
		order[k] = x.i
	}
	return order
}

// sortedOrderSlow is sortedOrder for offsets no key holds.
func sortedOrderSlow(diags []*Diagnostic) []int32 {
	order := make([]int32, len(diags))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := diags[i], diags[j]
		if a.File != b.File {
			if c := strings.Compare(a.File.Name, b.File.Name); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(a.Span.Start, b.Span.Start); c != 0 {
			return c
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return cmp.Compare(i, j)
	})
	return order
}

// attachIncludeSites points every finding in an included file at the
// places that include it, naming their server: a snippet included by three
// servers is a problem in each of them.
func attachIncludeSites(cfg *config.Config, diags []Diagnostic) {
	if len(cfg.Includes) == 0 {
		return
	}
	sites := map[*syntax.File][]Related{}
	for _, inc := range cfg.Includes {
		where := "included here"
		for p := inc.Dir.Parent; p != nil; p = p.Parent {
			if p.Name.Value == "server" && p.Block != nil {
				where += ", in server " + serverName(p)
				break
			}
		}
		for _, t := range inc.Targets {
			sites[t] = append(sites[t], Related{File: inc.File, Span: syntax.Span{Start: inc.Dir.Start(), End: inc.Dir.End()}, Message: where})
		}
	}
	for i := range diags {
		if s := sites[diags[i].File]; len(s) > 0 {
			// Clipped: the findings' slices may be shared with the cache.
			diags[i].Related = append(slices.Clip(diags[i].Related), s...)
		}
	}
}

// serverName is a server block's first server_name, or its first listen.
func serverName(server *syntax.Directive) string {
	for _, name := range []string{"server_name", "listen"} {
		for _, c := range server.Children() {
			if c.Name.Value == name && len(c.Args) > 0 {
				return c.Args[0].Value
			}
		}
	}
	return "(unnamed)"
}
