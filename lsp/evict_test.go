package lsp

import (
	"context"
	"testing"

	"go.lsp.dev/uri"
)

// The parse trees and per-server findings the workspace keeps for a
// configuration go once it is dropped (its last open file closed).
func TestDroppedUnitLeavesNothing(t *testing.T) {
	s := newServer(context.Background(), countingClient{}, nil)
	g := s.diag
	main := uri.File("/tmp/tr/evict/nginx.conf")
	g.said[unitKey{main: "/tmp/tr/evict/nginx.conf"}] = map[uri.URI]found{main: {}}
	if _, err := s.ws.AnalyzeAlone(context.Background(), "/tmp/tr/evict/nginx.conf", []byte("events {}\n")); err != nil {
		t.Fatal(err)
	}
	g.evictOrphans()
	if held := s.ws.Held(); len(held) != 0 {
		t.Errorf("after the unit was dropped, the workspace keeps %v", held)
	}
	if len(g.said) != 0 {
		t.Errorf("after the unit was dropped, what it said is kept: %v", g.said)
	}
	// A unit that never published (a client that pulls) is dropped alike.
	g.results[unitKey{doc: main}] = &unitResult{}
	if _, err := s.ws.AnalyzeAlone(context.Background(), "/tmp/tr/evict/nginx.conf", []byte("events {}\n")); err != nil {
		t.Fatal(err)
	}
	g.evictOrphans()
	if held := s.ws.Held(); len(held) != 0 {
		t.Errorf("after a unit that never published was dropped, the workspace keeps %v", held)
	}
}
