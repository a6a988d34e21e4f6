package lsp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
)

// frameStream is what the library's LSP framing offers besides Stream.
type frameStream interface {
	jsonrpc2.Stream
	ReadFrame(ctx context.Context) ([]byte, int64, error)
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

// tolerantStream answers a frame that is not a JSON-RPC message with a parse
// error and reads on, where the library would end the connection. It also
// logs traffic at debug level.
//
// It must not itself offer ReadFrame: the connection would then read frames
// directly and bypass Read.
type tolerantStream struct {
	inner frameStream
	log   *slog.Logger

	traceMu sync.Mutex
	trace   io.Writer

	pending *pendingReplies // replies still to write, counted down here

	out *serialWriter // what inner writes to, for startFrame
}

// serialWriter writes one frame at a time. The library's stream writes each
// frame with one Write, and startFrame holds it for a frame's pieces: frames
// never interleave. Frames are traced here, as they go out, so that the
// trace is in wire order.
type serialWriter struct {
	io.ReadWriteCloser
	mu   sync.Mutex
	sent func(body []byte) // told each frame's message under mu (trace, debug log), or nil
}

func (w *serialWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.sent != nil {
		if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
			w.sent(b[i+4:])
		}
	}
	return w.ReadWriteCloser.Write(b)
}

// startFrame begins a frame made outside the library (a large
// publishDiagnostics, see publisher), written in pieces as they come while
// no other frame is.
func (s *tolerantStream) startFrame() frameOut {
	f := &pieceWriter{s: s, pieces: make(chan []byte, 64), done: make(chan error, 1)}
	go f.run()
	return f
}

type pieceWriter struct {
	s      *tolerantStream
	pieces chan []byte
	body   []byte // the frame's message, set before pieces is closed
	done   chan error
}

func (f *pieceWriter) run() {
	w := f.s.out
	w.mu.Lock()
	defer w.mu.Unlock()
	var err error
	for b := range f.pieces {
		if err == nil {
			_, err = w.ReadWriteCloser.Write(b)
		}
	}
	if w.sent != nil {
		w.sent(f.body) // still holding the writer: no frame went out since
	}
	f.done <- err
}

func (f *pieceWriter) write(b []byte) { f.pieces <- b }

func (f *pieceWriter) finish(body []byte) error {
	f.body = body
	close(f.pieces)
	return <-f.done
}

// sent records a frame gone out, in the trace and the debug log.
func (s *tolerantStream) sent(body []byte) {
	s.traceFrame("->", body)
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("->", "msg", string(body))
	}
}

// traceFrame records one message of the --trace-file log.
func (s *tolerantStream) traceFrame(dir string, body []byte) {
	if s.trace == nil {
		return
	}
	s.traceMu.Lock()
	defer s.traceMu.Unlock()
	fmt.Fprintf(s.trace, "%s %s %s\n", time.Now().Format("15:04:05.000000"), dir, body)
}

// parseError is the reply to an undecodable frame: its id cannot be known.
var parseError = []byte(`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: the frame is not a JSON-RPC message"}}`)

func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		frame, n, err := s.inner.ReadFrame(ctx)
		if err != nil {
			return nil, 0, err
		}
		s.traceFrame("<-", frame)
		msg, err := jsonrpc2.DecodeMessage(frame)
		if err == nil {
			if s.log.Enabled(ctx, slog.LevelDebug) {
				s.log.Debug("<-", "msg", string(frame))
			}
			return msg, n, nil
		}
		s.log.Warn("undecodable frame", "err", err, "frame", truncate(frame, 200))
		if _, werr := s.inner.WriteFrame(ctx, parseError); werr != nil {
			return nil, 0, werr
		}
	}
}

func (s *tolerantStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	if s.pending != nil && s.pending.count() > 0 {
		// The library hides which messages are replies: its wire types are
		// unexported. The encoded form says it.
		if b, err := jsonrpc2.EncodeMessage(msg); err == nil && isReply(b) {
			defer s.pending.add(-1)
		}
	}
	return s.inner.Write(ctx, msg) // traced by the writer under it
}

func (s *tolerantStream) Close() error { return s.inner.Close() }

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

// isReply tells a reply from a request or notification by its first
// members: they are written in the order jsonrpc, id, method/result/error.
func isReply(b []byte) bool {
	head := b[:min(len(b), 512)]
	m := bytes.Index(head, []byte(`"method":`))
	re := -1
	for _, k := range []string{`"result":`, `"error":`} {
		if i := bytes.Index(head, []byte(k)); i >= 0 && (re < 0 || i < re) {
			re = i
		}
	}
	return re >= 0 && (m < 0 || re < m)
}
