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
//
// The analyzers are the whole registry, the rules the settings switch off
// included: suppression comments that name a rule not among them are
// reported as naming no rule.
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

// runAll plans an analysis (newPlan), runs its checks side by side
// (work.run) and joins what they found (work.collect).
func runAll(ctx context.Context, cfg *config.Config, analyzers []*Analyzer, s Settings, cache *Cache) ([]Diagnostic, []error) {
	w := &work{plan: newPlan(analyzers, s), cfg: cfg, settings: s, shared: &shared{values: map[any]*sharedValue{}}}
	if len(w.perServer) > 0 {
		w.servers = cfg.Servers
	}
	w.cache = cache.use(cfg, analyzers, s, w.servers)
	w.run(ctx)
	w.cache.wait() // a cancelled analysis may not have waited for it
	if err := ctx.Err(); err != nil {
		return nil, []error{err}
	}
	w.cache.finish(w.found)
	return w.collect()
}

// plan is what an analysis runs: the rules the settings leave on, and
// among them those that check servers one by one.
type plan struct {
	rules, perServer []ruleRun
}

// ruleRun is one analyzer as the settings have it.
type ruleRun struct {
	a        *Analyzer
	override Severity // 0: the analyzer's own
}

func newPlan(analyzers []*Analyzer, s Settings) plan {
	var pl plan
	for _, a := range analyzers {
		r := ruleRun{a: a}
		if v := s.Rules[a.ID]; v == Off {
			continue
		} else if v != 0 {
			r.override = v
		}
		pl.rules = append(pl.rules, r)
		if a.RunServer != nil {
			pl.perServer = append(pl.perServer, r)
		}
	}
	return pl
}

// work is one analysis's tasks: every rule's Run, then the servers in
// chunks, each checked by every per-server rule or taken from the cache.
type work struct {
	plan
	cfg      *config.Config
	settings Settings
	shared   *shared
	servers  []*config.Server // those the per-server rules check
	cache    *cacheUse

	outs  []taskOut      // by task
	found [][]Diagnostic // by server
}

// taskOut is what one task found. A rule's Run may report thousands of
// findings: they are kept in chunks, which grow without being copied.
type taskOut struct {
	diags [][]Diagnostic
	errs  []error
}

func (o *taskOut) add(d Diagnostic) {
	if n := len(o.diags); n == 0 || len(o.diags[n-1]) == cap(o.diags[n-1]) {
		size := 16
		if n > 0 {
			size = min(2*cap(o.diags[n-1]), 1024)
		}
		o.diags = append(o.diags, make([]Diagnostic, 0, size))
	}
	last := &o.diags[len(o.diags)-1]
	*last = append(*last, d)
}

// serverChunk is how many servers one task checks.
const serverChunk = 64

// run runs the tasks. Rules are independent readers of the configuration,
// and so are the checks of one server and the moving of its cached
// findings: they run side by side, one per processor, each task's findings
// kept apart so that the result does not depend on scheduling.
func (w *work) run(ctx context.Context) {
	tasks := len(w.rules) + (len(w.servers)+serverChunk-1)/serverChunk
	w.outs = make([]taskOut, tasks)
	w.found = make([][]Diagnostic, len(w.servers))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), tasks) {
		wg.Go(func() {
			var sl slabs // this worker's moved findings are cut from them
			for t := int(next.Add(1) - 1); t < tasks && ctx.Err() == nil; t = int(next.Add(1) - 1) {
				if t < len(w.rules) {
					w.runRule(t)
				} else {
					w.checkServers(t, &sl)
				}
			}
		})
	}
	wg.Wait()
}

// runRule is task t: the Run of rule t.
func (w *work) runRule(t int) {
	r := w.rules[t]
	if r.a.Run == nil {
		return
	}
	if err := runOne(r.a, w.pass(r, w.outs[t].add, nil), nil); err != nil {
		w.outs[t].errs = append(w.outs[t].errs, err)
	}
}

// checkServers is task t: a chunk of servers, each taken from the cache or
// checked by every per-server rule.
func (w *work) checkServers(t int, sl *slabs) {
	w.cache.wait() // which servers the cache can serve
	lo := (t - len(w.rules)) * serverChunk
	for i := lo; i < min(lo+serverChunk, len(w.servers)); i++ {
		if ds, ok := w.cache.reuse(i, sl); ok {
			w.found[i] = ds
			continue
		}
		found, scope := &w.found[i], &serverScope{server: w.servers[i]}
		add := func(d Diagnostic) { *found = append(*found, d) }
		for _, r := range w.perServer {
			if err := runOne(r.a, w.pass(r, add, scope), w.servers[i]); err != nil {
				w.outs[t].errs = append(w.outs[t].errs, err)
				w.cache.failed(i) // the next analysis tries again
			}
		}
	}
}

// pass is what rule r's checks receive; their findings go to add, with
// the severity the settings give the rule.
func (w *work) pass(r ruleRun, add func(Diagnostic), scope *serverScope) *Pass {
	return &Pass{Analyzer: r.a, Config: w.cfg, Settings: w.settings, shared: w.shared, scope: scope, report: func(d Diagnostic) {
		if r.override != 0 {
			d.Severity = r.override
		}
		add(d)
	}}
}

// collect joins the tasks' findings, sorted and without copies, and their
// errors, each once: a rule failing on every server says so once.
func (w *work) collect() ([]Diagnostic, []error) {
	n := 0
	for _, o := range w.outs {
		for _, c := range o.diags {
			n += len(c)
		}
	}
	for _, ds := range w.found {
		n += len(ds)
	}
	// The findings are sorted where they lie, then copied once, in order.
	all := make([]*Diagnostic, 0, n)
	var errs []error
	seenErr := map[string]bool{}
	for _, o := range w.outs {
		for _, c := range o.diags {
			for i := range c {
				all = append(all, &c[i])
			}
		}
		for _, err := range o.errs {
			if msg, _, _ := strings.Cut(err.Error(), "\n"); !seenErr[msg] {
				seenErr[msg] = true
				errs = append(errs, err)
			}
		}
	}
	for _, ds := range w.found {
		for i := range ds {
			all = append(all, &ds[i])
		}
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
