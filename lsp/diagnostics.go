package lsp

import (
	"context"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// result is the analysis of one document snapshot.
type result struct {
	doc      *document
	settings analysis.Settings
	gen      int // settings generation it was computed under
	file     *syntax.File
	cfg      *config.Config
	diags    []analysis.Diagnostic
}

// diagnoser runs the analysis in the background, one worker per document:
// edits arriving while a worker runs cancel its stale work and the worker
// picks up the newest snapshot; nothing computed for an older version is
// ever published.
type diagnoser struct {
	s *Server

	mu      sync.Mutex
	jobs    map[uri.URI]*job
	results map[uri.URI]*result
	gen     int
	stopped bool
	wg      sync.WaitGroup
}

type job struct {
	pending *document
	cancel  context.CancelFunc
}

func newDiagnoser(s *Server) *diagnoser {
	return &diagnoser{s: s, jobs: map[uri.URI]*job{}, results: map[uri.URI]*result{}}
}

// schedule asks for the analysis of a snapshot.
func (g *diagnoser) schedule(d *document) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	if j := g.jobs[d.uri]; j != nil {
		j.pending = d
		if j.cancel != nil {
			j.cancel()
		}
		return
	}
	j := &job{pending: d}
	g.jobs[d.uri] = j
	g.wg.Add(1)
	go g.work(d.uri, j)
}

func (g *diagnoser) work(u uri.URI, j *job) {
	defer g.wg.Done()
	for {
		g.mu.Lock()
		d := j.pending
		j.pending = nil
		if d == nil || g.stopped {
			delete(g.jobs, u)
			g.mu.Unlock()
			return
		}
		ctx, cancel := context.WithCancel(g.s.ctx)
		j.cancel = cancel
		gen := g.gen
		g.mu.Unlock()

		_, settings := g.s.snapshot()
		r := g.analyze(ctx, d, settings)
		cancel()
		if r == nil {
			continue // cancelled: a newer snapshot is pending
		}
		r.gen = gen
		g.mu.Lock()
		current := g.s.docs.get(u) == d && g.gen == gen && !g.stopped
		if current {
			g.results[u] = r
		}
		g.mu.Unlock()
		if current {
			g.publish(r)
		}
	}
}

// publish pushes a result unless the client pulls diagnostics itself.
func (g *diagnoser) publish(r *result) {
	caps, _ := g.s.snapshot()
	if caps.pull {
		return
	}
	err := g.s.client.PublishDiagnostics(g.s.ctx, &protocol.PublishDiagnosticsParams{
		URI:         r.doc.uri,
		Version:     protocol.NewOptional(r.doc.version),
		Diagnostics: toProtocol(r, caps.encoding),
	})
	if err != nil {
		g.s.log.Warn("publishDiagnostics", "err", err)
	}
}

// resultFor returns the analysis of a snapshot, computing it now when the
// background worker has not (pull diagnostics, hover, code actions).
func (g *diagnoser) resultFor(ctx context.Context, d *document) (*result, error) {
	g.mu.Lock()
	r, gen := g.results[d.uri], g.gen
	g.mu.Unlock()
	if r != nil && r.doc == d && r.gen == gen {
		return r, nil
	}
	_, settings := g.s.snapshot()
	r = g.analyze(ctx, d, settings)
	if r == nil {
		return nil, ctx.Err()
	}
	r.gen = gen
	g.mu.Lock()
	if g.s.docs.get(d.uri) == d && g.gen == gen {
		g.results[d.uri] = r
	}
	g.mu.Unlock()
	return r, nil
}

// invalidate drops every result (the settings changed).
func (g *diagnoser) invalidate() {
	g.mu.Lock()
	g.gen++
	g.results = map[uri.URI]*result{}
	g.mu.Unlock()
}

func (g *diagnoser) forget(u uri.URI) {
	g.mu.Lock()
	delete(g.results, u)
	if j := g.jobs[u]; j != nil && j.cancel != nil {
		j.cancel()
	}
	g.mu.Unlock()
}

func (g *diagnoser) stop() {
	g.mu.Lock()
	g.stopped = true
	for _, j := range g.jobs {
		if j.cancel != nil {
			j.cancel()
		}
	}
	g.mu.Unlock()
	g.wg.Wait()
}

// analyze parses and checks a snapshot; nil when ctx was cancelled.
func (g *diagnoser) analyze(ctx context.Context, d *document, settings analysis.Settings) *result {
	f := syntax.Parse(displayName(d.uri), d.text)
	cfg := config.Load(f)
	diags, errs := analysis.RunContext(ctx, cfg, rules.All, settings)
	if ctx.Err() != nil {
		return nil
	}
	for _, err := range errs {
		// A rule that panicked: the others' findings still count.
		g.s.log.Error("analysis", "uri", d.uri, "err", err)
	}
	return &result{doc: d, settings: settings, file: f, cfg: cfg, diags: diags}
}

func (s *Server) Diagnostic(ctx context.Context, p *protocol.DocumentDiagnosticParams) (protocol.DocumentDiagnosticReport, error) {
	caps, _ := s.snapshot()
	items := []protocol.Diagnostic{}
	if d := s.docs.get(p.TextDocument.URI); d != nil {
		r, err := s.diag.resultFor(ctx, d)
		if err != nil {
			return nil, err
		}
		items = toProtocol(r, caps.encoding)
	}
	return &protocol.RelatedFullDocumentDiagnosticReport{
		FullDocumentDiagnosticReport: protocol.FullDocumentDiagnosticReport{
			Kind:  string(protocol.DocumentDiagnosticReportKindFull),
			Items: items,
		},
	}, nil
}

// toProtocol translates findings: byte spans become ranges in the client's
// position encoding, the rule id becomes the code with a link to its
// documentation.
func toProtocol(r *result, enc Encoding) []protocol.Diagnostic {
	m := r.doc.mapper()
	out := make([]protocol.Diagnostic, 0, len(r.diags))
	for _, d := range r.diags {
		pd := protocol.Diagnostic{
			Range:    toRange(m, d.Span, enc),
			Severity: protocol.DiagnosticSeverity(d.Severity),
			Code:     protocol.String(d.Rule),
			Source:   protocol.NewOptional("nginxls"),
			Message:  protocol.String(d.Message),
		}
		if a := rules.Lookup(d.Rule); a != nil {
			pd.CodeDescription = protocol.CodeDescription{Href: uri.URI(a.URL())}
		}
		var tags []protocol.DiagnosticTag
		for _, t := range d.Tags {
			tags = append(tags, protocol.DiagnosticTag(t))
		}
		if len(tags) > 0 {
			pd.Tags = protocol.NewDiagnosticTags(tags...)
		}
		for _, rel := range d.Related {
			if rel.File != d.File {
				continue // other files arrive with whole-configuration analysis
			}
			pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
				Location: protocol.Location{URI: r.doc.uri, Range: toRange(m, rel.Span, enc)},
				Message:  rel.Message,
			})
		}
		out = append(out, pd)
	}
	return out
}

func toRange(m *mapper, s syntax.Span, enc Encoding) protocol.Range {
	sl, sc := m.position(s.Start, enc)
	el, ec := m.position(s.End, enc)
	return protocol.Range{Start: protocol.Position{Line: sl, Character: sc}, End: protocol.Position{Line: el, Character: ec}}
}

func fromRange(m *mapper, r protocol.Range, enc Encoding) syntax.Span {
	return syntax.Span{Start: m.offset(r.Start.Line, r.Start.Character, enc), End: m.offset(r.End.Line, r.End.Character, enc)}
}
