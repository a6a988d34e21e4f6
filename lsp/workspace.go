package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/workspace"
)

// Whole-configuration support: which configuration an open file belongs
// to, files changed on disk, go-to-definition on include, document links.

// keysFor returns the units a document is analysed in, deciding them on
// first use: the configurations the workspace finds it in (the main
// configurations that include it, or the file as a fragment), or the
// document alone when it is no file on disk.
func (g *diagnoser) keysFor(d *document) []unitKey {
	g.mu.Lock()
	keys, ok := g.unitOf[d.uri]
	gen := g.assigned
	g.mu.Unlock()
	if ok {
		return keys
	}
	keys = []unitKey{{doc: d.uri}}
	if d.uri.IsFile() {
		roots, err := g.s.ws.RootsOf(displayName(d.uri))
		if err != nil {
			g.s.reportWorkspaceError(err)
		} else {
			keys = keys[:0]
			for _, r := range roots {
				keys = append(keys, unitKey{main: r})
			}
		}
	}
	g.mu.Lock()
	if g.assigned == gen { // else reassign has begun anew meanwhile
		g.unitOf[d.uri] = keys
	}
	g.mu.Unlock()
	return keys
}

// DidChangeWatchedFiles re-analyses the configurations that read a file
// changed on disk; a new or deleted file may change which configuration an
// open file belongs to, so assignments are recomputed.
func (s *Server) DidChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	var paths []string
	for _, ev := range p.Changes {
		if ev.URI.IsFile() {
			paths = append(paths, ev.URI.FsPath())
		}
	}
	s.ws.Changed(paths)
	s.clearWorkspaceErrors()
	s.diag.rescheduleFiles(paths)
	s.diag.reassign()
	return nil
}

// Definition on an include opens the files it includes.
func (s *Server) Definition(ctx context.Context, p *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	d := s.docs.get(p.TextDocument.URI)
	if d == nil {
		return protocol.LocationSlice{}, nil
	}
	r, err := s.diag.resultFor(ctx, d)
	if err != nil || r.file == nil {
		return protocol.LocationSlice{}, err
	}
	caps, _ := s.snapshot()
	off := d.mapper().offset(p.Position.Line, p.Position.Character, caps.encoding)
	out := protocol.LocationSlice{}
	for _, inc := range r.cfg.Includes {
		if inc.File != r.file || off < inc.Dir.Start() || off > inc.Dir.End() {
			continue
		}
		for _, t := range inc.Targets {
			out = append(out, protocol.Location{URI: uriOf(r.unitResult, t)})
		}
	}
	if len(out) == 0 {
		// A file path argument (certificate, key, ...) leads to the file.
		if target, _, ok := linkAt(r, off); ok {
			out = append(out, protocol.Location{URI: target})
		}
	}
	return out, nil
}

// linkedDirectives take one file path argument worth opening.
var linkedDirectives = map[string]bool{
	"include": true, "ssl_certificate": true, "ssl_certificate_key": true, "ssl_dhparam": true,
	"ssl_trusted_certificate": true, "ssl_client_certificate": true, "ssl_crl": true,
	"proxy_ssl_trusted_certificate": true, "proxy_ssl_certificate": true, "proxy_ssl_certificate_key": true,
	"ssl_stapling_file": true, "ssl_password_file": true,
}

// links lists the document links of a file: paths nginx opens, resolved as
// nginx resolves them. Globs and values with variables, data:, engine: or
// store: are not files to open.
func links(r *result) []protocol.DocumentLink {
	out := []protocol.DocumentLink{}
	if r.file == nil {
		return out
	}
	caps := clientCaps{}
	m := r.doc.mapper()
	syntax.Walk(r.file.Directives, func(d *syntax.Directive) bool {
		if !linkedDirectives[d.Name.Value] || len(d.Args) != 1 {
			return true
		}
		a := d.Args[0]
		if strings.ContainsAny(a.Value, "$*?[") || strings.Contains(a.Value, ":") && !filepath.IsAbs(a.Value) {
			return true
		}
		target := uri.File(r.cfg.Resolve(a.Value))
		out = append(out, protocol.DocumentLink{Range: toRange(m, a.Span, caps.encoding), Target: &target})
		return true
	})
	return out
}

func linkAt(r *result, off int) (uri.URI, syntax.Span, bool) {
	var target uri.URI
	var span syntax.Span
	found := false
	syntax.Walk(r.file.Directives, func(d *syntax.Directive) bool {
		if found || !linkedDirectives[d.Name.Value] || len(d.Args) != 1 {
			return !found
		}
		a := d.Args[0]
		if off >= a.Start && off <= a.End && !strings.ContainsAny(a.Value, "$*?[") {
			target, span, found = uri.File(r.cfg.Resolve(a.Value)), a.Span, true
		}
		return true
	})
	return target, span, found
}

func (s *Server) DocumentLink(ctx context.Context, p *protocol.DocumentLinkParams) ([]protocol.DocumentLink, error) {
	d := s.docs.get(p.TextDocument.URI)
	if d == nil {
		return []protocol.DocumentLink{}, nil
	}
	r, err := s.diag.resultFor(ctx, d)
	if err != nil {
		return nil, err
	}
	caps, _ := s.snapshot()
	ls := links(r)
	if caps.encoding != UTF16 {
		// links() computed UTF-16 ranges: recompute in the client's encoding.
		m := d.mapper()
		for i := range ls {
			span := fromRange(m, ls[i].Range, UTF16)
			ls[i].Range = toRange(m, span, caps.encoding)
		}
	}
	return ls, nil
}

// watchFiles asks the client to report changes to configuration files on
// disk (a file edited outside the editor, a git checkout).
func (s *Server) watchFiles() {
	var watchers []map[string]any
	for _, pat := range workspace.WatchPatterns() {
		watchers = append(watchers, map[string]any{"globPattern": pat})
	}
	opts, err := json.Marshal(map[string]any{"watchers": watchers})
	if err != nil {
		return
	}
	err = s.client.RegisterCapability(s.ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID: "nginxls-watch", Method: "workspace/didChangeWatchedFiles", RegisterOptions: opts,
	}}})
	if err != nil {
		s.log.Warn("registering file watchers", "err", err)
	}
}

// reportWorkspaceError tells the user about a project file that cannot be
// used: once as a message, and as a diagnostic on the file at the line at
// fault. The configurations it governs are analysed alone meanwhile.
func (s *Server) reportWorkspaceError(err error) {
	s.wsErrMu.Lock()
	if s.said == nil {
		s.said = map[string]bool{}
	}
	seen := s.said[err.Error()]
	s.said[err.Error()] = true
	gen := s.wsErrGen
	s.wsErrMu.Unlock()
	if seen {
		return
	}
	s.log.Warn("project file", "err", err)
	go func() {
		_ = s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: "nginxls: " + err.Error()})
		var pe *workspace.ProjectError
		if !errors.As(err, &pe) {
			return
		}
		line := uint32(max(pe.Line-1, 0))
		col := uint32(max(pe.Column-1, 0))
		d := protocol.Diagnostic{
			Range:    protocol.Range{Start: protocol.Position{Line: line, Character: col}, End: protocol.Position{Line: line + 1}},
			Severity: protocol.DiagnosticSeverityError,
			Source:   protocol.NewOptional("nginxls"),
			Message:  protocol.String(pe.Msg),
		}
		// Under the lock, so that a clear (the file fixed meanwhile) is
		// never overtaken by this older error.
		s.wsErrMu.Lock()
		defer s.wsErrMu.Unlock()
		if s.wsErrGen != gen {
			return
		}
		if s.projectDiags == nil {
			s.projectDiags = map[uri.URI]bool{}
		}
		s.projectDiags[uri.File(pe.File)] = true
		_ = s.client.PublishDiagnostics(s.ctx, &protocol.PublishDiagnosticsParams{URI: uri.File(pe.File), Diagnostics: []protocol.Diagnostic{d}})
	}()
}

// clearWorkspaceErrors forgets the project file errors shown (the files
// changed on disk): their diagnostics are cleared, and an error still
// there is shown again when the configurations are assigned anew.
func (s *Server) clearWorkspaceErrors() {
	s.wsErrMu.Lock()
	defer s.wsErrMu.Unlock()
	files := s.projectDiags
	s.projectDiags, s.said = nil, nil
	s.wsErrGen++
	for u := range files {
		_ = s.client.PublishDiagnostics(s.ctx, &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: []protocol.Diagnostic{}})
	}
}
