// Package lsp is nginxls's language server: the only package that speaks the
// Language Server Protocol. It keeps the open documents, maps byte offsets to
// protocol positions and translates the analysis engine's findings, hovers
// and fixes; it knows nothing about TLS itself.
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Serve runs the server on a stream (stdin/stdout for an editor) until the
// client sends exit or the stream ends, and returns the process exit code:
// 0 after shutdown then exit, 1 otherwise.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) int {
	return serve(ctx, rwc, opts, nil)
}

// Options configure a server.
type Options struct {
	Log   *slog.Logger // where the server logs (stderr for an editor; never stdout)
	Trace io.Writer    // when set, every message both ways is written to it
}

// serve is Serve with a hook that wraps the method handlers, for tests that
// need a handler to panic or to block.
func serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options, wrap func(jsonrpc2.Handler) jsonrpc2.Handler) int {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pending := &pendingReplies{}
	out := &serialWriter{ReadWriteCloser: rwc}
	var stream jsonrpc2.Stream = jsonrpc2.NewStream(out)
	var ts *tolerantStream
	if fs, ok := stream.(frameStream); ok {
		ts = &tolerantStream{inner: fs, log: log, trace: opts.Trace, pending: pending, out: out}
		out.sent = ts.sent
		stream = ts
	}
	conn := jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(lspCodec{}))
	srv := newServer(ctx, protocol.ClientDispatcher(conn), log)
	if ts != nil {
		srv.diag.pub.send = ts.startFrame
	}
	// The stock protocol.NewServer wiring runs notifications concurrently
	// (edits get applied out of order) and closes the connection on any
	// handler panic or notification error; this chain does neither.
	h := protocol.ServerHandler(srv, nil)
	if wrap != nil {
		h = wrap(h)
	}
	h = lifecycle(srv, h)
	h = ordered(h, pending)
	h = protocol.CancelHandler(h)
	h = guard(h, log)
	conn.Go(protocol.WithClient(ctx, srv.client), h)
	select {
	case <-conn.Done():
		srv.stop()
		return 1
	case code := <-srv.exit:
		// A client may send exit right behind its last requests: let their
		// replies go out first (a little while at most).
		pending.wait(500 * time.Millisecond)
		srv.stop()
		// Close waits for the reader, which may be blocked reading stdin:
		// never wait for it for long.
		done := make(chan struct{})
		go func() { _ = conn.Close(); close(done) }()
		select {
		case <-done:
		case <-time.After(100 * time.Millisecond):
		}
		return code
	}
}

// ordered runs notifications inline, in wire order, so that every edit is
// applied before the next message is read, and releases every request to
// its own goroutine. Inline handlers get the connection's context, never the
// pooled per-message one, which is recycled when the handler returns.
func ordered(next jsonrpc2.Handler, pending *pendingReplies) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.IsCall() {
			pending.add(1)
			jsonrpc2.Async(ctx)
			return next(ctx, req)
		}
		return next(jsonrpc2.DetachContext(ctx), req)
	}
}

// lifecycle enforces the protocol's state machine: before initialize,
// requests get ServerNotInitialized and notifications are dropped (exit
// aside); after shutdown, only exit is accepted.
func lifecycle(srv *Server, next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		method := req.Method()
		if method == "exit" || method == "initialize" {
			return next(ctx, req)
		}
		srv.mu.Lock()
		initialized, shutdown := srv.initialized, srv.shutdown
		srv.mu.Unlock()
		switch {
		case !initialized && req.IsCall():
			return nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server is not initialized")
		case !initialized:
			return nil, nil
		case shutdown && req.IsCall():
			return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "the server is shutting down")
		}
		return next(ctx, req)
	}
}

// guard keeps the connection alive whatever a handler does: a panic becomes
// an internal error reply, an error from a notification is logged (the
// library would otherwise close the connection), and a cancelled request is
// answered with the protocol's RequestCancelled code.
func guard(next jsonrpc2.Handler, log *slog.Logger) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (res any, err error) {
		method := strings.Clone(req.Method())
		call := req.IsCall()
		defer func() {
			if r := recover(); r != nil {
				log.Error("handler panic", "method", method, "panic", r)
				res, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "%s: internal error: %v", method, r)
			}
			if err != nil && call && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
				err = protocol.ErrRequestCancelled
			}
			if err != nil && !call {
				log.Warn("notification failed", "method", method, "err", err)
				res, err = nil, nil
			}
		}()
		return next(ctx, req)
	}
}

// lspCodec is the protocol package's JSON codec (its own is unexported),
// passing raw messages through as the jsonrpc2 codec contract requires.
type lspCodec struct{}

func (lspCodec) Marshal(v any) ([]byte, error) {
	if m, ok := v.(jsonrpc2.RawMessage); ok {
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.AppendMarshal(make([]byte, 0, sizeHint(v)), v)
}

// sizeHint guesses the encoded size of the large messages, diagnostics
// lists: growing a buffer of several megabytes from nothing copies it many
// times over, which cost more than the encoding itself.
func sizeHint(v any) int {
	switch x := v.(type) {
	case *protocol.PublishDiagnosticsParams:
		return 256 + 512*len(x.Diagnostics)
	case *protocol.RelatedFullDocumentDiagnosticReport:
		return 256 + 512*len(x.Items)
	}
	return 0
}

func (lspCodec) Unmarshal(b []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), b...)
		return nil
	}
	if err := protocol.Unmarshal(b, v); err != nil {
		return fmt.Errorf("invalid params: %w", err)
	}
	return nil
}

// pendingReplies counts the requests received whose reply has not been
// written yet.
type pendingReplies struct {
	mu sync.Mutex
	n  int
}

func (p *pendingReplies) add(d int) {
	p.mu.Lock()
	p.n += d
	p.mu.Unlock()
}

func (p *pendingReplies) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// wait returns once every reply is written, or after max.
func (p *pendingReplies) wait(max time.Duration) {
	deadline := time.Now().Add(max)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		n := p.n
		p.mu.Unlock()
		if n <= 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
