package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
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
	inner frameStream // written to; frames are read from in
	in    *bufio.Reader
	buf   []byte // the last frame's body, reused
	log   *slog.Logger

	traceMu sync.Mutex
	trace   io.Writer

	pending *pendingReplies // replies still to write, counted down here
}

// tracedWriter is what the library's stream writes to: it traces each
// frame as it goes out. The stream writes a frame with one Write, under
// its own lock, so the trace is in wire order.
type tracedWriter struct {
	io.ReadWriteCloser
	sent func(body []byte) // told each frame's message (trace, debug log), or nil
}

func (w *tracedWriter) Write(b []byte) (int, error) {
	if w.sent != nil {
		if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
			w.sent(b[i+4:])
		}
	}
	return w.ReadWriteCloser.Write(b)
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

// Frame limits. A header is a few dozen bytes and a message at most a
// file of config.MaxFileSize (16 MiB) escaped into JSON: what is beyond
// either is refused before it is allocated. A message over maxMessage is
// read past and answered with an error; one declared over maxSkip is taken
// for a broken stream.
const (
	maxHeader  = 4 << 10  // the header block, lines included
	maxMessage = 64 << 20 // a message's Content-Length
	maxSkip    = 1 << 30
)

// errHeader ends the connection: after a header that cannot be read, where
// the next frame starts is unknown.
var errHeader = errors.New("invalid message header")

// readFrame reads one frame: its header, at most maxHeader bytes (the
// library reads header lines of any length), then its body. A body over
// maxMessage is read past without being kept, and too set: the stream
// stays in step.
func (s *tolerantStream) readFrame(ctx context.Context) (frame []byte, too int64, err error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	length, read := int64(-1), 0
	for {
		line, err := s.in.ReadSlice('\n')
		read += len(line)
		if read > maxHeader || err == bufio.ErrBufferFull {
			return nil, 0, fmt.Errorf("%w: longer than %d bytes", errHeader, maxHeader)
		}
		if err != nil {
			if err == io.EOF && read > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return nil, 0, fmt.Errorf("%w: %q", errHeader, line)
		}
		if strings.EqualFold(string(bytes.TrimSpace(name)), "Content-Length") {
			v := bytes.TrimSpace(value)
			n, perr := strconv.ParseInt(string(v), 10, 64)
			if perr != nil || n < 0 || n > maxSkip || len(v) == 0 || v[0] < '0' || v[0] > '9' {
				return nil, 0, fmt.Errorf("%w: Content-Length %q", errHeader, v)
			}
			length = n
		}
	}
	if length < 0 {
		return nil, 0, fmt.Errorf("%w: no Content-Length", errHeader)
	}
	if length > maxMessage {
		if _, err := io.CopyN(io.Discard, s.in, length); err != nil {
			return nil, 0, unexpected(err)
		}
		return nil, length, nil
	}
	// The buffer is kept for the next frame unless it is large: one large
	// didOpen must not hold its megabytes for the connection's life.
	buf := s.buf
	if int64(cap(buf)) < length {
		buf = make([]byte, length)
	}
	if length <= keepBuffer {
		s.buf = buf
	}
	frame = buf[:length]
	if _, err := io.ReadFull(s.in, frame); err != nil {
		return nil, 0, unexpected(err)
	}
	return frame, 0, nil
}

// keepBuffer is the largest frame buffer kept between frames.
const keepBuffer = 1 << 20

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseError is the reply to a frame that is not JSON: its id cannot be
// known.
var parseError = []byte(`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: the frame is not JSON"}}`)

// invalidRequest is the reply to a frame that is JSON but not a JSON-RPC
// message (a request without a method, an id neither a number nor a
// string, a batch, ...): with the frame's id when it has one that can be
// read, else null.
func invalidRequest(frame []byte, why string) []byte {
	id := []byte("null")
	var obj map[string]json.RawMessage
	if json.Unmarshal(frame, &obj) == nil {
		if v := obj["id"]; len(v) > 0 && (v[0] == '"' || v[0] == '-' || v[0] >= '0' && v[0] <= '9') {
			id = v
		}
	}
	msg, _ := json.Marshal("invalid request: " + why)
	return fmt.Appendf(nil, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32600,"message":%s}}`, id, msg)
}

func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		frame, too, err := s.readFrame(ctx)
		if errors.Is(err, errHeader) {
			// Said before the connection ends, for whoever reads the log.
			s.log.Warn("closing the connection", "err", err)
			_, _ = s.inner.WriteFrame(ctx, parseError)
		}
		if err != nil {
			return nil, 0, err
		}
		if too > 0 {
			s.log.Warn("message too large", "Content-Length", too, "limit", maxMessage)
			reply := fmt.Appendf(nil, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: a message of %d bytes is over the limit of %d"}}`, too, maxMessage)
			if _, werr := s.inner.WriteFrame(ctx, reply); werr != nil {
				return nil, 0, werr
			}
			continue
		}
		s.traceFrame("<-", frame)
		msg, err := jsonrpc2.DecodeMessage(frame)
		if err == nil {
			if s.log.Enabled(ctx, slog.LevelDebug) {
				s.log.Debug("<-", "msg", string(frame))
			}
			return msg, int64(len(frame)), nil
		}
		s.log.Warn("undecodable frame", "err", err, "frame", truncate(frame, 200))
		reply := parseError
		if json.Valid(frame) {
			reply = invalidRequest(frame, "not a JSON-RPC 2.0 request, notification or response")
		}
		if _, werr := s.inner.WriteFrame(ctx, reply); werr != nil {
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
