package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// A unit is what is analysed together: the whole configuration an open file
// belongs to (its main nginx.conf and every file that includes), or the
// open file alone when no configuration includes it.
type unitKey struct {
	main string  // the main file of a configuration, or ""
	doc  uri.URI // the document analysed alone
}

// name is what the workspace knows a unit by: its root, or the
// document's name for one analysed alone.
func (k unitKey) name() string {
	if k.main != "" {
		return k.main
	}
	return displayName(k.doc)
}

// unitResult is the analysis of a unit, for the document snapshots it used.
type unitResult struct {
	key      unitKey
	docs     map[uri.URI]*document // the open documents read, as they were
	settings analysis.Settings
	gen      int // settings generation it was computed under
	cfg      *config.Config
	diags    []analysis.Diagnostic
}

// result is a unit's analysis seen from one document.
type result struct {
	*unitResult
	doc  *document
	file *syntax.File // the document's tree in the unit
}

// diagnoser runs the analysis in the background, one worker per unit: an
// edit to any document of a unit makes it dirty, which cancels the stale
// work; the worker then starts over with the newest snapshots. Nothing
// computed from an older version of a document is ever published.
type diagnoser struct {
	s *Server

	mu      sync.Mutex
	jobs    map[unitKey]*job
	results map[unitKey]*unitResult
	caches  map[unitKey]*analysis.Cache // per-server findings, kept from edit to edit
	unitOf  map[uri.URI][]unitKey
	// assigned moves on when the assignments are forgotten (reassign), so
	// that one decided before is not stored after.
	assigned int
	said     map[unitKey]map[uri.URI]found // what each unit last said of each file
	pubMu    sync.Mutex                    // publishes go out one at a time, in order
	gen      int
	stopped  bool
	wg       sync.WaitGroup
}

type job struct {
	dirty  bool
	cancel context.CancelFunc
}

func newDiagnoser(s *Server) *diagnoser {
	return &diagnoser{s: s, jobs: map[unitKey]*job{}, results: map[unitKey]*unitResult{}, caches: map[unitKey]*analysis.Cache{},
		unitOf: map[uri.URI][]unitKey{}, said: map[unitKey]map[uri.URI]found{}}
}

// schedule asks for the analysis of the unit a document belongs to. Which
// unit that is may take loading configurations to decide, so it is decided
// off the caller's goroutine (the read loop, for notifications).
func (g *diagnoser) schedule(d *document) {
	g.mu.Lock()
	keys, known := g.unitOf[d.uri]
	g.mu.Unlock()
	if known {
		for _, k := range keys {
			g.scheduleUnit(k)
		}
		return
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if g.s.docs.get(d.uri) == nil {
			return // closed meanwhile
		}
		for _, k := range g.keysFor(d) {
			g.scheduleUnit(k)
		}
	}()
}

func (g *diagnoser) scheduleUnit(key unitKey) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	if j := g.jobs[key]; j != nil {
		j.dirty = true
		if j.cancel != nil {
			j.cancel()
		}
		return
	}
	j := &job{dirty: true}
	g.jobs[key] = j
	g.wg.Add(1)
	go g.work(key, j)
}

// rescheduleFiles re-analyses the units whose last analysis read one of the
// given files (changed on disk, or saved).
func (g *diagnoser) rescheduleFiles(paths []string) {
	want := map[string]bool{}
	for _, p := range paths {
		want[filepath.Clean(p)] = true
	}
	g.mu.Lock()
	var keys []unitKey
	for key, r := range g.results {
		for _, f := range r.cfg.Files {
			if want[filepath.Clean(f.Name)] || key.main != "" && want[filepath.Clean(key.main)] {
				keys = append(keys, key)
				break
			}
		}
	}
	g.mu.Unlock()
	for _, k := range keys {
		g.scheduleUnit(k)
	}
}

func (g *diagnoser) work(key unitKey, j *job) {
	defer g.wg.Done()
	for {
		g.mu.Lock()
		if !j.dirty || g.stopped {
			delete(g.jobs, key)
			g.mu.Unlock()
			return
		}
		j.dirty = false
		ctx, cancel := context.WithCancel(g.s.ctx)
		j.cancel = cancel
		gen := g.gen
		g.mu.Unlock()

		r := g.analyze(ctx, key)
		cancel()
		if r == nil {
			continue // cancelled or unloadable: a newer edit is pending, or nothing to say
		}
		r.gen = gen
		g.publish(r)
	}
}

// current reports whether every document a result read is still the
// newest snapshot and the settings have not changed since. Callers hold mu.
func (g *diagnoser) current(r *unitResult) bool {
	if r.gen != g.gen {
		return false
	}
	for u, d := range r.docs {
		if g.s.docs.get(u) != d {
			return false
		}
	}
	return true
}

// publish records and pushes a result, if it is still current: the check
// and the writes happen under pubMu, so an older result can never be
// written after a newer one.
func (g *diagnoser) publish(r *unitResult) {
	g.pubMu.Lock()
	defer g.pubMu.Unlock()
	g.mu.Lock()
	if !g.current(r) || g.stopped {
		g.mu.Unlock()
		return
	}
	g.results[r.key] = r
	g.mu.Unlock()
	caps, _ := g.s.snapshot()
	if caps.pull {
		return
	}
	// The findings file by file, each list allocated once: a large file
	// has thousands, on every edit.
	count := map[*syntax.File]int{}
	for i := range r.diags {
		count[r.diags[i].File]++
	}
	byFile := make(map[*syntax.File][]*analysis.Diagnostic, len(count))
	for i := range r.diags {
		d := &r.diags[i]
		if byFile[d.File] == nil {
			byFile[d.File] = make([]*analysis.Diagnostic, 0, count[d.File])
		}
		byFile[d.File] = append(byFile[d.File], d)
	}
	now := map[uri.URI]found{}
	for u := range r.docs {
		now[u] = found{r: r} // an open document always gets its (maybe empty) list
	}
	for _, f := range r.cfg.Files {
		if on := byFile[f]; len(on) > 0 {
			now[uriOf(r, f)] = found{r: r, on: on}
		}
	}
	g.sayLocked(r.key, now, r.docs)
}

// found is what a unit says of one file: its findings there, in order,
// and the result they come from, which places them.
type found struct {
	r  *unitResult
	on []*analysis.Diagnostic
}

// sayLocked replaces what a unit says, then pushes every file whose
// diagnostics may have changed. A file belongs to every unit that includes
// it (a snippet shared by two configurations): what is pushed for it is
// the union of what those units say. Callers hold pubMu.
func (g *diagnoser) sayLocked(key unitKey, now map[uri.URI]found, docs map[uri.URI]*document) {
	g.mu.Lock()
	touched := map[uri.URI]bool{}
	for u := range g.said[key] {
		touched[u] = true
	}
	for u := range now {
		touched[u] = true
	}
	if now == nil {
		delete(g.said, key)
	} else {
		g.said[key] = now
	}
	out := map[uri.URI][]found{}
	for u := range touched {
		for _, m := range g.said {
			if f := m[u]; len(f.on) > 0 {
				out[u] = append(out[u], f)
			}
		}
	}
	g.mu.Unlock()
	caps, _ := g.s.snapshot()
	limit := g.s.maxDiagnostics()
	for u := range touched {
		params := &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: shown(out[u], limit, caps.encoding)}
		if d := docs[u]; d != nil {
			params.Version = protocol.NewOptional(d.version)
		} else if d := g.s.docs.get(u); d != nil {
			params.Version = protocol.NewOptional(d.version)
		}
		if err := g.s.client.PublishDiagnostics(g.s.ctx, params); err != nil {
			g.s.log.Warn("publishDiagnostics", "err", err)
		}
	}
}

// shown is what a file's diagnostics are shown as: what the units that
// include it say of it, each finding once, limited (limitDiagnostics),
// translated to the protocol.
func shown(lists []found, limit int, enc Encoding) []protocol.Diagnostic {
	type item struct {
		r *unitResult
		d *analysis.Diagnostic
	}
	var items []item
	mappers := map[*syntax.File]*mapper{}
	if len(lists) == 1 { // the common case: one configuration says it all
		items = make([]item, 0, len(lists[0].on))
		for _, d := range lists[0].on {
			items = append(items, item{lists[0].r, d})
		}
	} else {
		// Findings are the same when the client sees them so: each unit
		// places them by its own text of the file.
		type key struct {
			r         protocol.Range
			rule, msg string
		}
		seen := map[key]bool{}
		for _, l := range lists {
			for _, d := range l.on {
				k := key{toRange(mapperFor(l.r, d.File, mappers), d.Span, enc), d.Rule, d.Message}
				if !seen[k] {
					seen[k] = true
					items = append(items, item{l.r, d})
				}
			}
		}
	}
	kept, notice := limitDiagnostics(items, limit, func(it *item) protocol.DiagnosticSeverity {
		return protocol.DiagnosticSeverity(it.d.Severity)
	})
	out := make([]protocol.Diagnostic, 0, len(kept)+1)
	if notice != nil {
		out = append(out, *notice)
	}
	for _, it := range kept {
		out = append(out, diagnostic(it.r, it.d, mapperFor(it.r, it.d.File, mappers), enc, mappers))
	}
	return out
}

// evictOrphans drops the units no open document belongs to any more (all
// closed, or assigned elsewhere after a settings change) and clears what
// they said.
func (g *diagnoser) evictOrphans() {
	g.pubMu.Lock()
	defer g.pubMu.Unlock()
	g.mu.Lock()
	live := map[unitKey]bool{}
	for _, d := range g.s.docs.all() {
		for _, k := range g.unitOf[d.uri] {
			live[k] = true
		}
	}
	var dead []unitKey
	for k := range g.said {
		if !live[k] {
			dead = append(dead, k)
		}
	}
	dropped := len(dead) > 0
	for k := range g.results {
		if !live[k] {
			delete(g.results, k)
			dropped = true
		}
	}
	for k, j := range g.jobs {
		if !live[k] && j.cancel != nil {
			j.dirty = false
			j.cancel()
		}
	}
	g.mu.Unlock()
	if dropped {
		// The trees kept may be the dropped units' (a closed document's
		// text among them); the live units parse afresh once.
		names := map[string]bool{}
		for k := range live {
			names[k.name()] = true
		}
		for _, n := range g.s.ws.Held() {
			if !names[n] {
				g.s.ws.Drop(n)
			}
		}
	}
	for _, k := range dead {
		g.sayLocked(k, nil, nil)
	}
}

// resultFor returns the analysis a document is part of, computing it now
// when the background worker has not (pull diagnostics, hover, code
// actions).
func (g *diagnoser) resultFor(ctx context.Context, d *document) (*result, error) {
	return g.resultIn(ctx, d, g.keysFor(d)[0])
}

// resultIn is resultFor in one of the units the document belongs to.
func (g *diagnoser) resultIn(ctx context.Context, d *document, key unitKey) (*result, error) {
	g.mu.Lock()
	r := g.results[key]
	ok := r != nil && g.current(r) && r.docs[d.uri] == d
	gen := g.gen
	g.mu.Unlock()
	if !ok {
		r = g.analyze(ctx, key)
		if r == nil && key.main != "" {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			r = g.analyze(ctx, unitKey{doc: d.uri}) // the configuration could not be loaded
		}
		if r == nil {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("%s could not be analysed", d.uri)
		}
		r.gen = gen
		g.mu.Lock()
		if g.current(r) && r.docs[d.uri] == d {
			g.results[key] = r
		}
		g.mu.Unlock()
	}
	return &result{unitResult: r, doc: d, file: fileNamed(r.cfg, displayName(d.uri))}, nil
}

// invalidate drops every result (the settings changed).
func (g *diagnoser) invalidate() {
	g.mu.Lock()
	g.gen++
	g.results = map[unitKey]*unitResult{}
	g.mu.Unlock()
}

// forget drops a closed document. A configuration that still has open
// documents is re-analysed (without the closed one's unsaved text); one
// that has none is dropped and what it said cleared.
func (g *diagnoser) forget(u uri.URI) {
	g.mu.Lock()
	keys := g.unitOf[u]
	delete(g.unitOf, u)
	g.mu.Unlock()
	g.evictOrphans()
	for _, key := range keys {
		g.mu.Lock()
		_, live := g.said[key]
		if !live {
			for _, ks := range g.unitOf {
				for _, k := range ks {
					live = live || k == key
				}
			}
		}
		g.mu.Unlock()
		if live {
			g.scheduleUnit(key)
		}
	}
}

// reassign forgets which unit each open document belongs to (the main
// configuration setting changed, or files appeared or vanished on disk),
// decides it again, re-analyses everything and drops the units left
// without documents. It runs off the read loop.
func (g *diagnoser) reassign() {
	g.mu.Lock()
	g.unitOf = map[uri.URI][]unitKey{}
	g.assigned++
	g.mu.Unlock()
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		for _, d := range g.s.docs.all() {
			for _, k := range g.keysFor(d) {
				g.scheduleUnit(k)
			}
		}
		g.evictOrphans()
	}()
}

// stopWait bounds how long stop waits for the workers: one may be blocked
// where cancelling cannot reach (a file system that does not answer, a
// program run for the nginx version), and the process is about to end.
const stopWait = 2 * time.Second

func (g *diagnoser) stop() {
	g.mu.Lock()
	g.stopped = true
	for _, j := range g.jobs {
		if j.cancel != nil {
			j.cancel()
		}
	}
	g.mu.Unlock()
	done := make(chan struct{})
	go func() { g.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(stopWait):
	}
}

// analyze loads and checks a unit from the newest snapshots; nil when ctx
// was cancelled or the unit cannot be loaded.
func (g *diagnoser) analyze(ctx context.Context, key unitKey) *unitResult {
	used := map[uri.URI]*document{}
	if !g.s.incremental {
		g.s.ws.Drop(key.name())
	}
	if key.main != "" {
		res, err := g.s.ws.Analyze(ctx, key.main)
		if err != nil {
			if ctx.Err() == nil {
				g.s.log.Warn("loading the configuration", "root", key.main, "err", err)
			}
			return nil
		}
		for _, o := range res.Overlays {
			if d, ok := o.Tag.(*document); ok {
				used[d.uri] = d
			}
		}
		for _, err := range res.Errors {
			g.s.log.Error("analysis", "unit", key, "err", err)
		}
		return &unitResult{key: key, docs: used, settings: res.Settings.Settings, cfg: res.Config, diags: res.Diagnostics}
	}
	d := g.s.docs.get(key.doc)
	if d == nil {
		return nil
	}
	res, err := g.s.ws.AnalyzeAlone(ctx, displayName(d.uri), d.text)
	if err != nil {
		return nil
	}
	for _, err := range res.Errors {
		// A rule that panicked: the others' findings still count.
		g.s.log.Error("analysis", "unit", key, "err", err)
	}
	used[d.uri] = d
	return &unitResult{key: key, docs: used, settings: res.Settings.Settings, cfg: res.Config, diags: res.Diagnostics}
}

func (s *Server) Diagnostic(ctx context.Context, p *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	caps, _ := s.snapshot()
	// A file in several configurations: what each says, each finding once,
	// as the pushed diagnostics merge them.
	var lists []found
	if d := s.docs.get(p.TextDocument.URI); d != nil {
		for _, k := range s.diag.keysFor(d) {
			r, err := s.diag.resultIn(ctx, d, k)
			if err != nil {
				return nil, err
			}
			if r.file == nil {
				continue
			}
			if on := findingsOn(r.unitResult, r.file); len(on) > 0 {
				lists = append(lists, found{r: r.unitResult, on: on})
			}
		}
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{
		FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{
			Kind:  string(protocol.DocumentDiagnosticReportKindFull),
			Items: shown(lists, s.maxDiagnostics(), caps.encoding),
		},
	}, nil
}

// fileNamed finds a file of a configuration by name.
func fileNamed(cfg *config.Config, name string) *syntax.File {
	name = filepath.Clean(name)
	for _, f := range cfg.Files {
		if filepath.Clean(f.Name) == name || f.Name == name {
			return f
		}
	}
	return nil
}

func fileDiags(diags []analysis.Diagnostic, f *syntax.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, d := range diags {
		if d.File == f {
			out = append(out, d)
		}
	}
	return out
}

// mapperFor returns the position mapper of a file of a result: the open
// document's when it is one, else one over the file's bytes.
func mapperFor(r *unitResult, f *syntax.File, cache map[*syntax.File]*mapper) *mapper {
	if m := cache[f]; m != nil {
		return m
	}
	m := (*mapper)(nil)
	for u, d := range r.docs {
		if filepath.Clean(displayName(u)) == filepath.Clean(f.Name) && len(d.text) == len(f.Src) {
			m = d.mapper() // already built for the document
		}
	}
	if m == nil {
		m = newMapper(f.Src)
	}
	cache[f] = m
	return m
}

// toProtocol translates the findings on one file: byte spans become ranges
// in the client's position encoding, the rule id becomes the code with a
// link to its documentation, related places in other files get their URIs.
func toProtocol(r *unitResult, f *syntax.File, enc Encoding) []protocol.Diagnostic {
	on := findingsOn(r, f)
	mappers := map[*syntax.File]*mapper{}
	m := mapperFor(r, f, mappers)
	out := make([]protocol.Diagnostic, len(on))
	for i, d := range on {
		out[i] = diagnostic(r, d, m, enc, mappers)
	}
	return out
}

// findingsOn are a result's findings on one file, in order.
func findingsOn(r *unitResult, f *syntax.File) []*analysis.Diagnostic {
	var on []*analysis.Diagnostic
	for i := range r.diags {
		if r.diags[i].File == f {
			on = append(on, &r.diags[i])
		}
	}
	return on
}

func diagnostic(r *unitResult, d *analysis.Diagnostic, m *mapper, enc Encoding, cache map[*syntax.File]*mapper) protocol.Diagnostic {
	pd := protocol.Diagnostic{
		Range:    toRange(m, d.Span, enc),
		Severity: protocol.DiagnosticSeverity(d.Severity),
		Source:   protocol.NewOptional("nginxls"),
		Message:  protocol.String(d.Message),
	}
	if c, ok := ruleCodes()[d.Rule]; ok {
		pd.Code, pd.CodeDescription = c.code, c.desc
	} else {
		pd.Code = protocol.String(d.Rule)
		if a := rules.Lookup(d.Rule); a != nil { // a rule added after start-up
			pd.CodeDescription = protocol.CodeDescription{Href: uri.URI(a.URL())}
		}
	}
	var tags []protocol.DiagnosticTag
	for _, t := range d.Tags {
		tags = append(tags, protocol.DiagnosticTag(t))
	}
	if len(tags) > 0 {
		pd.Tags = protocol.NewDiagnosticTags(tags...)
	}
	for _, rel := range d.Related {
		if rel.File == nil {
			continue
		}
		pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uriOf(r, rel.File), Range: toRange(mapperFor(r, rel.File, cache), rel.Span, enc)},
			Message:  rel.Message,
		})
	}
	return pd
}

type ruleCode struct {
	code protocol.ProgressToken
	desc protocol.CodeDescription
}

// ruleCodes holds each rule's code and documentation link as the protocol
// has them, made once: a large file repeats them thousands of times.
var ruleCodes = sync.OnceValue(func() map[string]ruleCode {
	out := map[string]ruleCode{}
	for _, a := range rules.All {
		out[a.ID] = ruleCode{protocol.String(a.ID), protocol.CodeDescription{Href: uri.URI(a.URL())}}
	}
	return out
})

// uriOf is the URI a file of a result is known under: the open document's
// own when it is one (clients compare URIs as they sent them).
func uriOf(r *unitResult, f *syntax.File) uri.URI {
	name := filepath.Clean(f.Name)
	for u := range r.docs {
		if filepath.Clean(displayName(u)) == name {
			return u
		}
	}
	return uri.File(f.Name)
}

func toRange(m *mapper, s syntax.Span, enc Encoding) protocol.Range {
	sl, sc := m.position(s.Start, enc)
	el, ec := m.position(s.End, enc)
	return protocol.Range{Start: protocol.Position{Line: sl, Character: sc}, End: protocol.Position{Line: el, Character: ec}}
}

func fromRange(m *mapper, r protocol.Range, enc Encoding) syntax.Span {
	return syntax.Span{Start: m.offset(r.Start.Line, r.Start.Character, enc), End: m.offset(r.End.Line, r.End.Character, enc)}
}
