package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
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
	out := &tracedWriter{ReadWriteCloser: rwc}
	var stream jsonrpc2.Stream = jsonrpc2.NewStream(out)
	var ts *tolerantStream
	if fs, ok := stream.(frameStream); ok {
		ts = &tolerantStream{inner: fs, in: bufio.NewReaderSize(rwc, maxHeader), log: log, trace: opts.Trace, pending: pending}
		out.sent = ts.sent
		stream = ts
	}
	conn := jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(lspCodec{}))
	srv := newServer(ctx, protocol.ClientDispatcher(conn), log)
	// The stock protocol.NewServer wiring runs notifications concurrently
	// (edits get applied out of order) and closes the connection on any
	// handler panic or notification error; this chain does neither.
	h := checkParams(protocol.ServerHandler(srv, nil))
	if wrap != nil {
		h = wrap(h)
	}
	h = lifecycle(srv, h)
	h = ordered(h, pending)
	h = protocol.CancelHandler(h)
	h = guard(h, log, srv.tell)
	go srv.forwardLog()
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
// its own goroutine. What follows initialize waits for it to be done: a
// client that sends initialized and the first didOpen without waiting for
// the answer would otherwise see them dropped as early, and never get
// diagnostics. Inline handlers get the connection's context, never the
// pooled per-message one, which is recycled when the handler returns.
func ordered(next jsonrpc2.Handler, pending *pendingReplies) jsonrpc2.Handler {
	var mu sync.Mutex
	var initializing chan struct{}
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		mu.Lock()
		wait := initializing
		mu.Unlock()
		if wait != nil {
			<-wait
		}
		if req.IsCall() {
			pending.add(1)
			// The gate is up before Async lets the reader go on.
			if req.Method() == protocol.MethodInitialize {
				done := make(chan struct{})
				mu.Lock()
				initializing = done
				mu.Unlock()
				defer close(done)
			}
			jsonrpc2.Async(ctx)
			return next(ctx, req)
		}
		return next(jsonrpc2.DetachContext(ctx), req)
	}
}

// lifecycle enforces the protocol's state machine: before initialize,
// requests get ServerNotInitialized and notifications are dropped (exit
// aside); initialize is accepted once (again, when it failed); after
// shutdown, only exit is accepted.
func lifecycle(srv *Server, next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		method := req.Method()
		if method == "exit" {
			return next(ctx, req)
		}
		if method == "initialize" {
			// Taken here, before the request goes its own way: two
			// initialize requests in a row cannot both pass.
			srv.mu.Lock()
			again := srv.initializing
			srv.initializing = true
			srv.mu.Unlock()
			if again {
				return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received")
			}
			res, err := next(ctx, req)
			if err != nil {
				srv.mu.Lock()
				srv.initializing = false
				srv.mu.Unlock()
			}
			return res, err
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

// checkParams answers params that do not decode with InvalidParams (the
// protocol's dispatcher says ParseError, which is for frames that are not
// JSON), and checks what its decoding would let through: a didChange
// range that does not decode makes the change a whole-document one.
func checkParams(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
		if req.Method() == protocol.MethodTextDocumentDidChange {
			if err := checkChanges(req.Params()); err != nil {
				return nil, err
			}
		}
		res, err := next(ctx, req)
		if err != nil && errors.Is(err, jsonrpc2.ErrParse) {
			err = jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %s", strings.TrimPrefix(err.Error(), jsonrpc2.ErrParse.Message+": "))
		}
		return res, err
	}
}

// checkChanges checks the ranges of a didChange's content changes: absent
// (or null) for a whole-document change, else an object of two positions
// whose line and character are uintegers (0 to 2^31-1), as is rangeLength
// when given.
func checkChanges(params []byte) error {
	// Not a map: the changes' texts would be copied. (The names match
	// regardless of case here, which refuses a few more changes.)
	var p struct {
		ContentChanges []struct {
			Range       json.RawMessage `json:"range"`
			RangeLength json.RawMessage `json:"rangeLength"`
		} `json:"contentChanges"`
	}
	if err := json.Unmarshal(params, &p); err != nil {
		return nil // the protocol's decoding reports it
	}
	for i, ch := range p.ContentChanges {
		if len(ch.Range) == 0 || string(ch.Range) == "null" {
			continue
		}
		if err := checkRange(ch.Range); err != nil {
			return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "content change %d: invalid range %s: %v", i, truncate(ch.Range, 100), err)
		}
		if l := ch.RangeLength; len(l) > 0 && !isUinteger(l) {
			return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "content change %d: invalid rangeLength %s", i, truncate(l, 100))
		}
	}
	return nil
}

func checkRange(raw json.RawMessage) error {
	var r map[string]json.RawMessage
	if err := json.Unmarshal(raw, &r); err != nil || r == nil {
		return errors.New("not an object")
	}
	for _, end := range []string{"start", "end"} {
		var pos map[string]json.RawMessage
		if err := json.Unmarshal(r[end], &pos); err != nil || pos == nil {
			return fmt.Errorf("%s is not a position", end)
		}
		for _, f := range []string{"line", "character"} {
			if !isUinteger(pos[f]) {
				return fmt.Errorf("%s.%s is not a uinteger", end, f)
			}
		}
	}
	return nil
}

// isUinteger reports whether a JSON value is the protocol's uinteger: an
// integer from 0 to 2^31-1, without fraction or exponent.
func isUinteger(v json.RawMessage) bool {
	if len(v) == 0 || len(v) > 10 {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	n, err := strconv.ParseUint(string(v), 10, 32)
	return err == nil && n <= math.MaxInt32
}

// guard keeps the connection alive whatever a handler does: a panic becomes
// an internal error reply, an error from a notification is logged (the
// library would otherwise close the connection) and, when its params were
// refused, told to the client in window/logMessage, and a cancelled request is answered with the
// protocol's RequestCancelled code.
func guard(next jsonrpc2.Handler, log *slog.Logger, tell func(string)) jsonrpc2.Handler {
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
				if errors.Is(err, jsonrpc2.ErrInvalidParams) { // not unknown methods
					tell(method + ": " + err.Error())
				}
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
