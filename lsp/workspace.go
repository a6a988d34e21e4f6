package lsp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Whole-configuration support: which configuration an open file belongs
// to, files changed on disk, go-to-definition on include, document links.

// maxUpward bounds the search for nginx.conf above a file.
const maxUpward = 8

// keyFor returns the unit a document is analysed in, deciding it on first
// use: the configuration set as mainConfig when it includes the file, else
// the nearest nginx.conf above the file that includes it (or the file
// itself when it is a main configuration), else the file alone.
func (g *diagnoser) keyFor(d *document) unitKey {
	g.mu.Lock()
	key, ok := g.unitOf[d.uri]
	g.mu.Unlock()
	if ok {
		return key
	}
	key = unitKey{doc: d.uri}
	if d.uri.IsFile() {
		path := filepath.Clean(displayName(d.uri))
		for _, main := range g.s.candidateMains(path, d) {
			if main == path || includes(main, path, g.s.docs, g.cache.Parse) {
				key = unitKey{main: main}
				break
			}
		}
	}
	g.mu.Lock()
	g.unitOf[d.uri] = key
	g.mu.Unlock()
	return key
}

// candidateMains lists the main configurations that may include path: the
// mainConfig setting, the file itself, the workspace folders' nginx.conf,
// and every nginx.conf above the file.
func (s *Server) candidateMains(path string, d *document) []string {
	var out []string
	s.mu.Lock()
	main, folders := s.mainConfig, s.folders
	s.mu.Unlock()
	if main != "" {
		out = append(out, filepath.Clean(main))
	}
	// The workspace folders' own nginx.conf (and the usual nginx/ or
	// etc/nginx/ layout of a repository), for files they include that are
	// not below them.
	for _, f := range folders {
		for _, cand := range []string{"nginx.conf", "nginx/nginx.conf", "etc/nginx/nginx.conf"} {
			if p := filepath.Join(f, cand); p != path {
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					out = append(out, p)
				}
			}
		}
	}
	if config.IsMain(syntax.Parse(path, d.text)) {
		out = append(out, path)
	}
	dir := filepath.Dir(path)
	for i := 0; i < maxUpward; i++ {
		cand := filepath.Join(dir, "nginx.conf")
		if cand != path {
			if st, err := os.Stat(cand); err == nil && st.Mode().IsRegular() {
				out = append(out, cand)
			} else if s.docs.get(uri.File(cand)) != nil {
				out = append(out, cand)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return out
}

// includes reports whether the configuration of main reads path.
func includes(main, path string, docs *store, parse config.Parser) bool {
	over := config.MemFS{}
	for _, d := range docs.all() {
		if d.uri.IsFile() {
			over[filepath.Clean(displayName(d.uri))] = d.text
		}
	}
	cfg, err := config.LoadTree(config.Overlay{Over: over, Under: config.OSFS{}}, main, parse)
	if err != nil {
		return false
	}
	for _, f := range cfg.Files {
		if filepath.Clean(f.Name) == path {
			return true
		}
	}
	return false
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
	opts, err := json.Marshal(map[string]any{"watchers": []map[string]any{
		{"globPattern": "**/*.conf"}, {"globPattern": "**/nginx.conf"}, {"globPattern": "**/*.nginx"},
		{"globPattern": "**/*.conf.template"}, {"globPattern": "**/sites-available/*"}, {"globPattern": "**/sites-enabled/*"},
	}})
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
