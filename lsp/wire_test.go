package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
	"io"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
)

// The wire tests drive the server over a pipe with hand-written JSON-RPC
// frames, so they check what goes over the wire, not what a client library
// makes of it.

type pipeRWC struct {
	io.Reader
	io.Writer
	closers []io.Closer
}

func (p pipeRWC) Close() error {
	for _, c := range p.closers {
		_ = c.Close()
	}
	return nil
}

type wire struct {
	t      *testing.T
	in     *io.PipeWriter // to the server
	exit   chan int
	nextID int

	mu       sync.Mutex
	cond     *sync.Cond
	messages []map[string]any // everything the server sent, in order
	config   any              // answer to workspace/configuration
}

func startWire(t *testing.T, wrap func(jsonrpc2.Handler) jsonrpc2.Handler) *wire {
	t.Helper()
	cr, cw := io.Pipe() // client -> server
	sr, sw := io.Pipe() // server -> client
	w := &wire{t: t, in: cw, exit: make(chan int, 1)}
	w.cond = sync.NewCond(&w.mu)
	go func() {
		w.exit <- serve(context.Background(), pipeRWC{cr, sw, []io.Closer{cr, sw}}, Options{}, wrap)
		_ = sw.Close()
	}()
	go w.read(bufio.NewReader(sr))
	t.Cleanup(func() {
		_ = cw.Close()
		select {
		case <-w.exit:
		case <-time.After(5 * time.Second):
			t.Error("server did not stop after its input closed")
		}
	})
	return w
}

func (w *wire) read(r *bufio.Reader) {
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			return
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			w.t.Errorf("bad Content-Length header %q", h.Get("Content-Length"))
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			w.t.Errorf("server sent invalid JSON %q: %v", body, err)
			return
		}
		m["_raw"] = string(body)
		if m["method"] == "workspace/configuration" && m["id"] != nil {
			w.mu.Lock()
			cfg := w.config
			w.mu.Unlock()
			w.send(map[string]any{"jsonrpc": "2.0", "id": m["id"], "result": []any{cfg}})
		} else if m["method"] != nil && m["id"] != nil {
			w.send(map[string]any{"jsonrpc": "2.0", "id": m["id"], "result": nil})
		}
		w.mu.Lock()
		w.messages = append(w.messages, m)
		w.cond.Broadcast()
		w.mu.Unlock()
	}
}

func (w *wire) raw(body string) {
	w.t.Helper()
	if _, err := fmt.Fprintf(w.in, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		w.t.Fatalf("write: %v", err)
	}
}

func (w *wire) send(m map[string]any) {
	b, err := json.Marshal(m)
	if err != nil {
		w.t.Fatal(err)
	}
	w.raw(string(b))
}

func (w *wire) notify(method string, params any) {
	w.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and returns its id.
func (w *wire) call(method string, params any) int {
	w.nextID++
	m := map[string]any{"jsonrpc": "2.0", "id": w.nextID, "method": method}
	if params != nil {
		m["params"] = params
	}
	w.send(m)
	return w.nextID
}

// wait returns the first message (after index from) matching pred.
func (w *wire) wait(from int, what string, pred func(map[string]any) bool) (map[string]any, int) {
	w.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	timer := time.AfterFunc(10*time.Second, func() { w.mu.Lock(); w.cond.Broadcast(); w.mu.Unlock() })
	defer timer.Stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for i := from; i < len(w.messages); i++ {
			if pred(w.messages[i]) {
				return w.messages[i], i + 1
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("timed out waiting for %s", what)
		}
		w.cond.Wait()
	}
}

func (w *wire) response(id int) map[string]any {
	w.t.Helper()
	m, _ := w.wait(0, fmt.Sprintf("the response to request %d", id), func(m map[string]any) bool {
		return m["method"] == nil && m["id"] == float64(id)
	})
	return m
}

func (w *wire) result(id int) any {
	w.t.Helper()
	m := w.response(id)
	if e, ok := m["error"]; ok {
		w.t.Fatalf("request %d failed: %v", id, e)
	}
	return m["result"]
}

// diagnostics waits for a publishDiagnostics for uri at version (or any
// version when version < 0) and returns it.
func (w *wire) diagnostics(uri string, version int) []any {
	w.t.Helper()
	m, _ := w.wait(0, fmt.Sprintf("diagnostics for %s v%d", uri, version), func(m map[string]any) bool {
		if m["method"] != "textDocument/publishDiagnostics" {
			return false
		}
		p := m["params"].(map[string]any)
		return p["uri"] == uri && (version < 0 || p["version"] == float64(version))
	})
	return m["params"].(map[string]any)["diagnostics"].([]any)
}

// mark returns the number of messages received so far, to wait for later ones.
func (w *wire) mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.messages)
}

func (w *wire) count(pred func(map[string]any) bool) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, m := range w.messages {
		if pred(m) {
			n++
		}
	}
	return n
}

func (w *wire) initialize(caps map[string]any, options any) map[string]any {
	w.t.Helper()
	params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": caps}
	if options != nil {
		params["initializationOptions"] = options
	}
	res := w.result(w.call("initialize", params)).(map[string]any)
	w.notify("initialized", map[string]any{})
	return res
}

func (w *wire) open(uri, text string) {
	w.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "nginx", "version": 1, "text": text}})
}

func (w *wire) shutdownExit() int {
	w.t.Helper()
	w.result(w.call("shutdown", nil))
	start := time.Now()
	w.notify("exit", nil)
	select {
	case code := <-w.exit:
		if d := time.Since(start); d > time.Second {
			w.t.Errorf("exit took %v", d)
		}
		w.exit <- code // for the cleanup
		return code
	case <-time.After(2 * time.Second):
		w.t.Fatal("the server did not exit within 2s of exit")
	}
	return -1
}

func rng(d any) (sl, sc, el, ec int) {
	r := d.(map[string]any)["range"].(map[string]any)
	s, e := r["start"].(map[string]any), r["end"].(map[string]any)
	return int(s["line"].(float64)), int(s["character"].(float64)), int(e["line"].(float64)), int(e["character"].(float64))
}

func codeOf(d any) string { c, _ := d.(map[string]any)["code"].(string); return c }

const weakConf = "# Ünïcödé before the finding: 😀\nhttp {\n    server {\n        listen 443 ssl;\n        ssl_protocols 😀 TLSv1 TLSv1.2;\n    }\n}\n"

func TestDiagnosticsUTF16(t *testing.T) {
	w := startWire(t, nil)
	res := w.initialize(map[string]any{}, nil)
	caps := res["capabilities"].(map[string]any)
	if caps["positionEncoding"] != "utf-16" {
		t.Errorf("positionEncoding = %v, want utf-16 by default", caps["positionEncoding"])
	}
	w.open("file:///etc/nginx/a.conf", weakConf)
	ds := w.diagnostics("file:///etc/nginx/a.conf", 1)
	var found bool
	for _, d := range ds {
		dm := d.(map[string]any)
		if codeOf(d) != "tls-protocol-legacy-tls" {
			continue
		}
		found = true
		// "        ssl_protocols 😀 " is 25 UTF-16 units (the emoji counts 2).
		if sl, sc, el, ec := rng(d); sl != 4 || sc != 25 || el != 4 || ec != 30 {
			t.Errorf("range = %d:%d-%d:%d, want 4:25-4:30", sl, sc, el, ec)
		}
		if dm["source"] != "nginxls" || dm["severity"] != float64(2) {
			t.Errorf("source/severity = %v/%v", dm["source"], dm["severity"])
		}
		if href := dm["codeDescription"].(map[string]any)["href"].(string); !strings.HasSuffix(href, "#tls-protocol-legacy-tls") {
			t.Errorf("codeDescription = %s", href)
		}
	}
	if !found {
		t.Fatalf("no tls-protocol-legacy-tls diagnostic in %v", ds)
	}
	if code := w.shutdownExit(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

func TestUTF8Negotiated(t *testing.T) {
	w := startWire(t, nil)
	res := w.initialize(map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-8", "utf-16"}}}, nil)
	if enc := res["capabilities"].(map[string]any)["positionEncoding"]; enc != "utf-8" {
		t.Fatalf("positionEncoding = %v, want utf-8", enc)
	}
	w.open("file:///a.conf", weakConf)
	for _, d := range w.diagnostics("file:///a.conf", 1) {
		if codeOf(d) == "tls-protocol-legacy-tls" {
			// 22 bytes before "😀", 4 for it, 1 blank.
			if _, sc, _, ec := rng(d); sc != 27 || ec != 32 {
				t.Errorf("utf-8 columns %d-%d, want 27-32", sc, ec)
			}
			return
		}
	}
	t.Fatal("no legacy-tls diagnostic")
}

func TestEmptyDiagnosticsAreArrays(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, map[string]any{"rules": onlyRules(baseRules...)})
	w.open("file:///clean.conf", "http { server { listen 80; } }\n")
	w.diagnostics("file:///clean.conf", 1)
	m, _ := w.wait(0, "publish", func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" })
	if raw := m["_raw"].(string); !strings.Contains(raw, `"diagnostics":[]`) {
		t.Errorf("empty diagnostics not sent as []: %s", raw)
	}
	w.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": "file:///clean.conf"}})
	n := w.count(func(m map[string]any) bool {
		return m["method"] == "textDocument/publishDiagnostics" && strings.Contains(m["_raw"].(string), `"diagnostics":[]`)
	})
	if n == 0 {
		t.Error("didClose did not clear diagnostics")
	}
	w.wait(0, "clear after close", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["version"] == nil
	})
}

// A large full replacement immediately followed by a small ranged edit must
// be applied in that order: the ranged edit is only valid on the new text.
func TestEditOrdering(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open("file:///o.conf", "")
	var big strings.Builder
	for big.Len() < 1<<20 {
		big.WriteString("# padding padding padding padding padding padding padding padding\n")
	}
	lines := strings.Count(big.String(), "\n")
	big.WriteString("http { ssl_protocols TLSv1.2 TLSv1.3; }\n")
	for round := 0; round < 5; round++ {
		v := 2 + 2*round
		w.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": "file:///o.conf", "version": v},
			"contentChanges": []any{map[string]any{"text": big.String()}},
		})
		w.notify("textDocument/didChange", map[string]any{
			"textDocument": map[string]any{"uri": "file:///o.conf", "version": v + 1},
			"contentChanges": []any{map[string]any{
				"range": map[string]any{"start": map[string]any{"line": lines, "character": 21}, "end": map[string]any{"line": lines, "character": 21}},
				"text":  "SSLv3 ",
			}},
		})
		ds := w.diagnostics("file:///o.conf", v+1)
		ok := false
		for _, d := range ds {
			if codeOf(d) == "tls-protocol-sslv3" {
				if sl, sc, _, _ := rng(d); sl == lines && sc == 21 {
					ok = true
				}
			}
		}
		if !ok {
			t.Fatalf("round %d: the small edit was not applied after the big one: %v", round, ds)
		}
	}
}

// Typed edits, one character at a time, including non-ASCII text.
func TestIncrementalEdits(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open("file:///i.conf", "http {\n}\n")
	typed := "  ssl_protocols é😀 SSLv3;\n"
	line, char := 1, 0
	v := 1
	for _, r := range typed {
		v++
		if r == '\n' {
			w.notify("textDocument/didChange", map[string]any{
				"textDocument": map[string]any{"uri": "file:///i.conf", "version": v},
				"contentChanges": []any{map[string]any{
					"range": map[string]any{"start": map[string]any{"line": line, "character": char}, "end": map[string]any{"line": line, "character": char}},
					"text":  "\n"}}})
			line, char = line+1, 0
			continue
		}
		w.notify("textDocument/didChange", map[string]any{
			"textDocument": map[string]any{"uri": "file:///i.conf", "version": v},
			"contentChanges": []any{map[string]any{
				"range": map[string]any{"start": map[string]any{"line": line, "character": char}, "end": map[string]any{"line": line, "character": char}},
				"text":  string(r)}}})
		if r >= 0x10000 {
			char += 2
		} else {
			char++
		}
	}
	ds := w.diagnostics("file:///i.conf", v)
	for _, d := range ds {
		if codeOf(d) == "tls-protocol-sslv3" {
			// "  ssl_protocols é😀 " = 2+13+1+1+2+1 = 20 units
			if sl, sc, _, ec := rng(d); sl != 1 || sc != 20 || ec != 25 {
				t.Errorf("SSLv3 at %d:%d-%d, want 1:20-25", sl, sc, ec)
			}
			return
		}
	}
	t.Fatalf("no SSLv3 finding after typing: %v", ds)
}

func TestHoverAndQuickFix(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{"workspace": map[string]any{"workspaceEdit": map[string]any{"documentChanges": true}}}, nil)
	w.open("file:///h.conf", weakConf)
	w.diagnostics("file:///h.conf", 1)
	hover := w.result(w.call("textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": "file:///h.conf"},
		"position":     map[string]any{"line": 4, "character": 26},
	})).(map[string]any)
	md := hover["contents"].(map[string]any)["value"].(string)
	if hover["contents"].(map[string]any)["kind"] != "markdown" || !strings.Contains(md, "RFC 8996") || !strings.Contains(md, "tls-protocol-legacy-tls") {
		t.Errorf("hover on TLSv1 = %q", md)
	}
	actions := w.result(w.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": "file:///h.conf"},
		"range":        map[string]any{"start": map[string]any{"line": 4, "character": 26}, "end": map[string]any{"line": 4, "character": 26}},
		"context":      map[string]any{"diagnostics": []any{}},
	})).([]any)
	if len(actions) == 0 {
		t.Fatal("no code action")
	}
	a := actions[0].(map[string]any)
	if a["kind"] != "quickfix" || a["isPreferred"] != true {
		t.Errorf("action = %v", a)
	}
	dc := a["edit"].(map[string]any)["documentChanges"].([]any)[0].(map[string]any)
	if dc["textDocument"].(map[string]any)["version"] != float64(1) {
		t.Errorf("edit not pinned to version 1: %v", dc["textDocument"])
	}
	edit := dc["edits"].([]any)[0].(map[string]any)
	if edit["newText"] != "TLSv1.2 TLSv1.3" {
		t.Errorf("edit = %v", edit)
	}
	if sl, sc, el, ec := rng(edit); sl != 4 || sc != 22 || el != 4 || ec != 38 {
		t.Errorf("edit range %d:%d-%d:%d, want 4:22-4:38", sl, sc, el, ec)
	}
}

func TestPullDiagnostics(t *testing.T) {
	w := startWire(t, nil)
	res := w.initialize(map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{}}}, nil)
	if res["capabilities"].(map[string]any)["diagnosticProvider"] == nil {
		t.Fatal("no diagnosticProvider for a pull client")
	}
	w.open("file:///p.conf", weakConf)
	rep := w.result(w.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": "file:///p.conf"}})).(map[string]any)
	if rep["kind"] != "full" || len(rep["items"].([]any)) == 0 {
		t.Errorf("report = %v", rep)
	}
	time.Sleep(100 * time.Millisecond)
	if n := w.count(func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" }); n != 0 {
		t.Errorf("a pull client also got %d pushed diagnostics (duplicates)", n)
	}
}

func TestSettings(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, map[string]any{"nginxVersion": "1.22.1", "rules": onlyRules("tls-protocol-legacy-tls")})
	w.open("file:///s.conf", "http { server { listen 443 ssl; } }\n")
	ds := w.diagnostics("file:///s.conf", 1)
	if len(ds) != 1 || codeOf(ds[0]) != "tls-protocol-legacy-tls" {
		t.Fatalf("with nginx 1.22.1 and no-tls13 off: %v", ds)
	}
	from := w.mark()
	w.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"nginxls": map[string]any{"nginxVersion": "1.28.0", "rules": onlyRules("tls-protocol-legacy-tls")}}})
	m, _ := w.wait(from, "republished diagnostics", func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" })
	if ds := m["params"].(map[string]any)["diagnostics"].([]any); len(ds) != 0 {
		t.Errorf("with nginx 1.28.0 the default is safe, got %v", ds)
	}
}

func TestWorkspaceConfiguration(t *testing.T) {
	w := startWire(t, nil)
	w.mu.Lock()
	w.config = map[string]any{"nginxVersion": "1.22.1"}
	w.mu.Unlock()
	w.initialize(map[string]any{"workspace": map[string]any{"configuration": true}}, nil)
	w.open("file:///c.conf", "http { server { listen 443 ssl; } }\n")
	w.wait(0, "a configuration request", func(m map[string]any) bool { return m["method"] == "workspace/configuration" })
	w.wait(0, "diagnostics under the fetched settings", func(m map[string]any) bool {
		if m["method"] != "textDocument/publishDiagnostics" {
			return false
		}
		for _, d := range m["params"].(map[string]any)["diagnostics"].([]any) {
			if codeOf(d) == "tls-protocol-legacy-tls" {
				return true
			}
		}
		return false
	})
}

// The connection survives what would end it with the library's own wiring.
func TestRobustWire(t *testing.T) {
	slow := make(chan struct{})
	wrap := func(next jsonrpc2.Handler) jsonrpc2.Handler {
		return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
			switch req.Method() {
			case "test/panic", "test/panicNotification":
				panic("boom")
			case "test/slow":
				close(slow)
				<-ctx.Done()
				return nil, ctx.Err()
			}
			return next(ctx, req)
		}
	}
	w := startWire(t, wrap)
	w.initialize(map[string]any{}, nil)
	alive := func(step string) {
		t.Helper()
		id := w.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///none.conf"}, "position": map[string]any{"line": 0, "character": 0}})
		if m := w.response(id); m["error"] != nil {
			t.Fatalf("after %s: hover failed: %v", step, m["error"])
		}
	}
	// A panicking request gets an internal error reply.
	if e := w.response(w.call("test/panic", map[string]any{}))["error"].(map[string]any); e["code"] != float64(-32603) {
		t.Errorf("panic reply code = %v", e["code"])
	}
	alive("a panicking request")
	w.notify("test/panicNotification", map[string]any{})
	alive("a panicking notification")
	w.notify("$/unknownNotification", map[string]any{"x": 1})
	alive("an unknown notification")
	w.raw(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":null}}`)
	w.raw(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"a":1}}}`)
	w.raw(`{"jsonrpc":"2.0","method":"$/cancelRequest"}`)
	alive("malformed cancellations")
	w.raw(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":42}}`)
	alive("a notification with invalid params")
	if m := w.response(w.call("textDocument/hover", "not an object")); m["error"] == nil {
		t.Error("a request with invalid params got no error")
	}
	w.raw(`{"jsonrpc":"2.0","id":`)
	w.wait(0, "a parse error reply", func(m map[string]any) bool {
		e, _ := m["error"].(map[string]any)
		return e != nil && e["code"] == float64(-32700) && m["id"] == nil
	})
	alive("a malformed frame")
	if e := w.response(w.call("no/such/method", map[string]any{}))["error"].(map[string]any); e["code"] != float64(-32601) {
		t.Errorf("unknown method code = %v", e["code"])
	}
	// Cancelling a slow request answers it with RequestCancelled.
	id := w.call("test/slow", map[string]any{})
	<-slow
	w.notify("$/cancelRequest", map[string]any{"id": id})
	if e := w.response(id)["error"].(map[string]any); e["code"] != float64(-32800) {
		t.Errorf("cancelled request code = %v, want -32800", e["code"])
	}
	alive("a cancellation")
	if code := w.shutdownExit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.notify("exit", nil)
	select {
	case code := <-w.exit:
		w.exit <- code
		if code != 1 {
			t.Errorf("exit without shutdown: code %d, want 1", code)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no exit")
	}
}

func TestDocumentSymbols(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open("file:///y.conf", "http {\n  server {\n    listen 443 ssl;\n    server_name é.example;\n    location /api { }\n  }\n}\n")
	syms := w.result(w.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": "file:///y.conf"}})).([]any)
	if len(syms) != 1 {
		t.Fatalf("symbols = %v", syms)
	}
	server := syms[0].(map[string]any)["children"].([]any)[0].(map[string]any)
	if server["name"] != "server é.example (443 ssl)" {
		t.Errorf("server symbol %q", server["name"])
	}
	loc := server["children"].([]any)[0].(map[string]any)
	if loc["name"] != "location /api" {
		t.Errorf("location symbol %q", loc["name"])
	}
}

func TestBeforeInitialize(t *testing.T) {
	w := startWire(t, nil)
	e := w.response(w.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x.conf"}, "position": map[string]any{"line": 0, "character": 0}}))["error"]
	if e == nil || e.(map[string]any)["code"] != float64(-32002) {
		t.Errorf("request before initialize: %v, want code -32002", e)
	}
	w.open("file:///x.conf", "ssl on;\n") // dropped: not initialized
	w.initialize(map[string]any{}, nil)
	w.result(w.call("shutdown", nil))
	if e := w.response(w.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///x.conf"}, "position": map[string]any{"line": 0, "character": 0}}))["error"]; e == nil {
		t.Error("a request after shutdown succeeded")
	}
	if n := w.count(func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" }); n != 0 {
		t.Errorf("a didOpen before initialize was processed (%d publishes)", n)
	}
}

func TestFixAll(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, map[string]any{"rules": onlyRules(baseRules...)})
	text := "http {\n    ssl_protocols SSLv3 TLSv1 TLSv1.2;\n    server {\n        listen 443 ssl http2;\n        ssl_early_data on;\n    }\n}\n"
	w.open("file:///f.conf", text)
	w.diagnostics("file:///f.conf", 1)
	actions := w.result(w.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": "file:///f.conf"},
		"range":        map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 0, "character": 0}},
		"context":      map[string]any{"diagnostics": []any{}, "only": []string{"source.fixAll"}},
	})).([]any)
	if len(actions) != 1 {
		t.Fatalf("fixAll actions = %v", actions)
	}
	a := actions[0].(map[string]any)
	if a["kind"] != "source.fixAll.nginxls" {
		t.Errorf("kind %v", a["kind"])
	}
	edits := a["edit"].(map[string]any)["changes"].(map[string]any)["file:///f.conf"].([]any)
	// Apply the edits back to front and check the result.
	m := newMapper([]byte(text))
	out := text
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i].(map[string]any)
		sl, sc, el, ec := rng(e)
		start, end := m.offset(uint32(sl), uint32(sc), UTF16), m.offset(uint32(el), uint32(ec), UTF16)
		out = out[:start] + e["newText"].(string) + out[end:]
	}
	want := "http {\n    ssl_protocols TLSv1.2 TLSv1.3;\n    server {\n        listen 443 ssl;\n        http2 on;\n        ssl_early_data off;\n    }\n}\n"
	if out != want {
		t.Errorf("after fix-all:\n%s\nwant:\n%s", out, want)
	}
}

// serveTraced serves over pipes with a trace file: the client writes to cw
// and reads sr; done has Serve's exit code.
func serveTraced() (trace *strings.Builder, mu *sync.Mutex, cw *io.PipeWriter, sr *io.PipeReader, done chan int) {
	trace, mu = &strings.Builder{}, &sync.Mutex{}
	cr, cw := io.Pipe()
	sr, sw := io.Pipe()
	done = make(chan int, 1)
	go func() {
		done <- Serve(context.Background(), pipeRWC{cr, sw, []io.Closer{cr, sw}}, Options{Trace: lockedWriter{mu, trace}})
	}()
	return trace, mu, cw, sr, done
}

func TestTraceFile(t *testing.T) {
	trace, mu, cw, sr, done := serveTraced()
	go func() { _, _ = io.Copy(io.Discard, sr) }()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	fmt.Fprintf(cw, "Content-Length: %d\r\n\r\n%s", len(body), body)
	exit := `{"jsonrpc":"2.0","method":"exit"}`
	time.Sleep(100 * time.Millisecond)
	fmt.Fprintf(cw, "Content-Length: %d\r\n\r\n%s", len(exit), exit)
	<-done
	mu.Lock()
	defer mu.Unlock()
	got := trace.String()
	if !strings.Contains(got, `<- {"jsonrpc":"2.0","id":1,"method":"initialize"`) || !strings.Contains(got, `-> {"jsonrpc":"2.0","id":1,"result":{"capabilities"`) {
		t.Errorf("trace:\n%s", got)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// A client that sends exit right behind its requests still gets their
// replies before the server goes.
func TestRepliesBeforeExit(t *testing.T) {
	// A slow request: its reply is still due when exit is read.
	slow := func(next jsonrpc2.Handler) jsonrpc2.Handler {
		return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
			if req.Method() == "initialize" {
				time.Sleep(50 * time.Millisecond)
			}
			return next(ctx, req)
		}
	}
	for i := 0; i < 3; i++ {
		w := startWire(t, slow)
		body := func(s string) string { return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(s), s) }
		all := body(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`) +
			body(`{"jsonrpc":"2.0","method":"initialized","params":{}}`) +
			body(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`) +
			body(`{"jsonrpc":"2.0","method":"exit"}`)
		if _, err := io.WriteString(w.in, all); err != nil {
			t.Fatal(err)
		}
		select {
		case code := <-w.exit:
			w.exit <- code
		case <-time.After(5 * time.Second):
			t.Fatal("no exit")
		}
		w.response(1)
		w.response(2)
	}
}

// The trace lists what the server sent in the order it went out, large
// publishes (written in pieces) and replies alike.
func TestTraceFileInWireOrder(t *testing.T) {
	trace, mu, cw, sr, done := serveTraced()
	// What arrives, message by message.
	var wire []string
	read := make(chan struct{})
	go func() {
		defer close(read)
		r := bufio.NewReader(sr)
		for {
			h, err := textproto.NewReader(r).ReadMIMEHeader()
			if err != nil {
				return
			}
			n, _ := strconv.Atoi(h.Get("Content-Length"))
			b := make([]byte, n)
			if _, err := io.ReadFull(r, b); err != nil {
				return
			}
			wire = append(wire, string(b))
		}
	}()
	send := func(body string) { fmt.Fprintf(cw, "Content-Length: %d\r\n\r\n%s", len(body), body) }
	// No limit on the diagnostics: the whole list is published.
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{},"initializationOptions":{"maxDiagnostics":0}}}`)
	send(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
	text, _ := json.Marshal(string(synthtest.GenerateTLSConfig(400))) // a publish of about a megabyte
	for v := 1; v <= 3; v++ {
		if v == 1 {
			send(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///tmp/order/big.conf","languageId":"nginx","version":1,"text":` + string(text) + `}}}`)
		} else {
			send(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///tmp/order/big.conf","version":%d},"contentChanges":[{"range":{"start":{"line":5,"character":0},"end":{"line":5,"character":0}},"text":"#"}]}}`, v))
		}
		for i := range 20 {
			send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/documentSymbol","params":{"textDocument":{"uri":"file:///tmp/order/big.conf"}}}`, 100*v+i))
		}
		time.Sleep(200 * time.Millisecond)
	}
	send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
	send(`{"jsonrpc":"2.0","method":"exit"}`)
	<-done
	<-read
	mu.Lock()
	defer mu.Unlock()
	var traced []string
	for _, line := range strings.Split(trace.String(), "\n") {
		if _, body, ok := strings.Cut(line, " -> "); ok {
			traced = append(traced, body)
		}
	}
	publishes := 0
	for _, m := range wire {
		if strings.Contains(m[:min(len(m), 100)], "publishDiagnostics") && len(m) > 256<<10 {
			publishes++
		}
	}
	if publishes == 0 {
		t.Fatalf("no large publish went out (%d messages): the test does not exercise pieces", len(wire))
	}
	if len(traced) != len(wire) {
		t.Fatalf("%d messages traced, %d sent", len(traced), len(wire))
	}
	for i := range wire {
		if traced[i] != wire[i] {
			t.Fatalf("message %d: traced %.80s, sent %.80s", i, traced[i], wire[i])
		}
	}
}
