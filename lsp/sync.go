package lsp

import (
	"context"
	"runtime/debug"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis/workspace"
)

// Text synchronisation. These are notifications: the wiring runs them inline
// in wire order, so each sees the document as the previous one left it.

func (s *Server) DidOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	d := &document{uri: cloneURI(p.TextDocument.URI), version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
	s.docs.set(d)
	s.overlay(d.uri, d)
	s.diag.schedule(d)
	return nil
}

func (s *Server) DidChange(ctx context.Context, p *protocol.DidChangeTextDocumentParams) error {
	old := s.docs.get(p.TextDocument.URI)
	if old == nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "didChange for a document that is not open: %s", p.TextDocument.URI)
	}
	// Versions only grow: a change that is not after the document's version
	// is stale or replayed, and applying it would garble the text.
	if p.TextDocument.Version <= old.version {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "didChange for %s: version %d is not after the document's %d: ignored",
			p.TextDocument.URI, p.TextDocument.Version, old.version)
	}
	caps, _ := s.snapshot()
	d, err := old.applyChanges(p.TextDocument.Version, p.ContentChanges, caps.encoding)
	if err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "didChange for %s: %v: ignored", p.TextDocument.URI, err)
	}
	s.docs.set(d)
	s.overlay(d.uri, d)
	s.diag.schedule(d)
	return nil
}

// overlay hands the workspace a document's unsaved text (nil: closed).
func (s *Server) overlay(u uri.URI, d *document) {
	if !u.IsFile() {
		return
	}
	if d == nil {
		s.ws.SetOverlay(u.FsPath(), nil)
		return
	}
	s.ws.SetOverlay(u.FsPath(), &workspace.Overlay{Text: d.text, Tag: d})
}

func (s *Server) DidClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	u := p.TextDocument.URI
	s.docs.remove(u)
	s.overlay(u, nil)
	// Clearing what the editor shows goes through the diagnoser, which
	// knows whether another open configuration still reports on the file.
	s.diag.forget(u)
	s.releaseMemory()
	return nil
}

// releaseMemory hands what closed documents freed back to the system, a
// while after the last close (a project closed file by file is one
// release): the Go runtime would keep it for minutes, and a server that
// once held a large configuration would look as large for that long.
func (s *Server) releaseMemory() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.release == nil {
		s.release = time.AfterFunc(releaseDelay, debug.FreeOSMemory)
		return
	}
	s.release.Reset(releaseDelay)
}

// releaseDelay is how long after the last close memory is released.
const releaseDelay = 2 * time.Second

// DidSave re-analyses what reads the file: other configurations may
// include it from disk.
func (s *Server) DidSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	if p.TextDocument.URI.IsFile() {
		s.diag.rescheduleFiles([]string{p.TextDocument.URI.FsPath()})
	}
	if d := s.docs.get(p.TextDocument.URI); d != nil {
		s.diag.schedule(d)
	}
	return nil
}

// cloneURI copies a decoded string that may share the message buffer, so a
// document kept in the store does not pin the whole didOpen payload.
func cloneURI(u uri.URI) uri.URI { return uri.URI(strings.Clone(string(u))) }

// displayName is the name findings are reported under: the file path for
// file URIs, the URI itself otherwise.
func displayName(u uri.URI) string {
	if u.IsFile() {
		return u.FsPath()
	}
	return string(u)
}
