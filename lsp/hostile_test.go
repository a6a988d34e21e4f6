package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"

	"github.com/nginxls/nginxls/analysis/config"
)

// Hostile input over the wire: malformed edits, stale versions, invalid
// requests and params, oversized frames. Each must get the error the
// protocol says, and leave the documents as they were.

const hostileURI = "file:///hostile.conf"

// hostileConf has one finding per line on lines 2 and 3.
const hostileConf = "http {\n    server {\n        listen 443 ssl;\n        ssl_protocols TLSv1;\n    }\n}\n"

// startPull starts a server for a client that pulls diagnostics, with the
// base rules, and opens hostileConf.
func startPull(t *testing.T) *wire {
	t.Helper()
	w := startWire(t, nil)
	w.initialize(map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{}}}, map[string]any{"rules": onlyRules(baseRules...)})
	w.open(hostileURI, hostileConf)
	return w
}

// pulled is the document's diagnostics, as code@line:char-line:char.
func (w *wire) pulled() []string {
	w.t.Helper()
	rep := w.result(w.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": hostileURI}})).(map[string]any)
	var out []string
	for _, d := range rep["items"].([]any) {
		sl, sc, el, ec := rng(d)
		out = append(out, fmt.Sprintf("%s@%d:%d-%d:%d", codeOf(d), sl, sc, el, ec))
	}
	return out
}

// change sends a didChange with one content change given as raw JSON.
func (w *wire) change(version int, change string) {
	w.raw(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":%d},"contentChanges":[%s]}}`,
		hostileURI, version, change))
}

// logged waits for a window/logMessage (after message index from) that
// contains want, and returns the index after it.
func (w *wire) logged(from int, want string) int {
	w.t.Helper()
	_, next := w.wait(from, "a window/logMessage saying "+want, func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		msg, _ := p["message"].(string)
		return m["method"] == "window/logMessage" && strings.Contains(msg, want) && p["type"] == float64(1)
	})
	return next
}

func TestMalformedRangeRejected(t *testing.T) {
	w := startPull(t)
	want := w.pulled()
	if len(want) == 0 {
		t.Fatal("no diagnostics to compare")
	}
	for _, r := range []string{
		`{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}}`,
		`{"start":{"line":0,"character":0},"end":{"line":0,"character":-3}}`,
		`{"start":{"line":4294967296,"character":0},"end":{"line":4294967296,"character":0}}`,
		`{"start":{"line":0,"character":2147483648},"end":{"line":0,"character":2147483648}}`,
		`{"start":{"line":1.5,"character":0},"end":{"line":2,"character":0}}`,
		`{"start":{"line":1e1,"character":0},"end":{"line":2,"character":0}}`,
		`{"start":{"line":"0","character":0},"end":{"line":0,"character":0}}`,
		`{"start":{"line":0,"character":0}}`,
		`{"start":{"line":0},"end":{"line":0,"character":0}}`,
		`{"start":null,"end":{"line":0,"character":0}}`,
		`[]`,
		`{}`,
		`"0:0"`,
		`7`,
	} {
		from := w.mark()
		// Version 2 every time: a rejected change does not move the version.
		w.change(2, `{"range":`+r+`,"text":"x"}`)
		w.logged(from, "invalid range")
		if got := w.pulled(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("range %s changed the document: diagnostics %v, were %v", r, got, want)
		}
	}
	// A change with a valid range and one with an invalid one: the whole
	// notification is refused.
	from := w.mark()
	w.change(2, `{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"\n"},{"range":[],"text":"x"}`)
	w.logged(from, "content change 1: invalid range")
	from = w.mark()
	w.change(2, `{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"rangeLength":-1,"text":"x"}`)
	w.logged(from, "invalid rangeLength")
	from = w.mark()
	w.change(2, `{"range":{"start":{"line":1,"character":0},"end":{"line":0,"character":0}},"text":"x"}`)
	w.logged(from, "range end before start")
	if got := w.pulled(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("refused changes changed the document: %v, were %v", got, want)
	}
	// Version 2 is still to come: a valid change with it applies. A line
	// inserted at the top moves every finding down one line.
	w.change(2, `{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"\n"}`)
	got := w.pulled()
	if len(got) != len(want) {
		t.Fatalf("after a valid change: %v, were %v", got, want)
	}
	for i := range want {
		var code string
		var sl, sc, el, ec int
		fmt.Sscanf(strings.Replace(want[i], "@", " ", 1), "%s %d:%d-%d:%d", &code, &sl, &sc, &el, &ec)
		if moved := fmt.Sprintf("%s@%d:%d-%d:%d", code, sl+1, sc, el+1, ec); got[i] != moved {
			t.Errorf("after a valid change: %s, want %s", got[i], moved)
		}
	}
}

// Positions past the end are clamped, as the protocol says of a character
// past the line's end and as editors' document models do of a line past
// the last: a character past its line's end is the line's end, a line past
// the last is the end of the text.
func TestRangePastTheEndClamped(t *testing.T) {
	w := startPull(t)
	// Appended to line 2 ("        listen 443 ssl;", 23 units).
	w.change(2, `{"range":{"start":{"line":2,"character":999},"end":{"line":2,"character":2147483647}},"text":" ssl_protocols SSLv3;"}`)
	// Appended to the text (6 lines, the last empty).
	w.change(3, `{"range":{"start":{"line":99,"character":0},"end":{"line":2147483647,"character":5}},"text":"# end\n"}`)
	got := strings.Join(w.pulled(), " ")
	if !strings.Contains(got, "tls-protocol-sslv3@2:38-2:43") {
		t.Errorf("the change past the end of line 2 did not land at its end: %s", got)
	}
	// The comment landed after the last line: a change at line 6, the
	// comment's, still applies where it is.
	w.change(4, `{"range":{"start":{"line":6,"character":0},"end":{"line":6,"character":5}},"text":"ssl_protocols SSLv2;"}`)
	if got := strings.Join(w.pulled(), " "); !strings.Contains(got, "tls-protocol-sslv2@6:14-6:19") {
		t.Errorf("the text appended past the last line is not at its end: %s", got)
	}
}

func TestStaleVersionIgnored(t *testing.T) {
	w := startPull(t)
	insert := `{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"text":"\n"}`
	w.change(5, insert)
	want := w.pulled()
	for _, v := range []int{5, 4, 1, 0, -1} {
		from := w.mark()
		w.change(v, insert)
		w.logged(from, fmt.Sprintf("version %d is not after the document's 5", v))
		if got := w.pulled(); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("a change with version %d was applied: %v, were %v", v, got, want)
		}
	}
	w.change(6, insert)
	if got := w.pulled(); strings.Join(got, " ") == strings.Join(want, " ") {
		t.Errorf("the change with version 6 was not applied")
	}
}

// errorOf returns the error of the reply with id, which must have one.
func (w *wire) errorOf(id int) map[string]any {
	w.t.Helper()
	m := w.response(id)
	e, ok := m["error"].(map[string]any)
	if !ok {
		w.t.Fatalf("request %d: no error in %v", id, m["_raw"])
	}
	return e
}

func TestInitializeOnce(t *testing.T) {
	w := startWire(t, nil)
	// Before initialize.
	for _, method := range []string{"shutdown", "textDocument/hover", "textDocument/diagnostic"} {
		if e := w.errorOf(w.call(method, map[string]any{})); e["code"] != float64(-32002) {
			t.Errorf("%s before initialize: code %v, want -32002", method, e["code"])
		}
	}
	// An initialize with invalid params fails, and leaves the server
	// uninitialized: the next may succeed.
	if e := w.errorOf(w.call("initialize", map[string]any{"capabilities": 5})); e["code"] != float64(-32602) {
		t.Errorf("initialize with invalid params: code %v, want -32602", e["code"])
	}
	w.initialize(map[string]any{}, nil)
	for range 2 {
		params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}
		if e := w.errorOf(w.call("initialize", params)); e["code"] != float64(-32600) {
			t.Errorf("a second initialize: code %v, want -32600", e["code"])
		}
	}
	// Two at once: one only is accepted.
	w2 := startWire(t, nil)
	params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}
	a, b := w2.call("initialize", params), w2.call("initialize", params)
	if _, errA := w2.response(a)["error"]; errA == (w2.response(b)["error"] != nil) {
		t.Errorf("two initialize requests in a row: %v and %v, want one accepted", w2.response(a)["_raw"], w2.response(b)["_raw"])
	}
	if code := w.shutdownExit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestInvalidParams(t *testing.T) {
	w := startPull(t)
	for _, params := range []any{
		"not an object",
		map[string]any{"textDocument": map[string]any{"uri": hostileURI}, "position": map[string]any{"line": -1, "character": 0}},
		map[string]any{"textDocument": 42, "position": map[string]any{"line": 0, "character": 0}},
		[]any{1, 2},
	} {
		if e := w.errorOf(w.call("textDocument/hover", params)); e["code"] != float64(-32602) {
			t.Errorf("hover %v: code %v, want -32602", params, e["code"])
		}
	}
	// A hover without params at all.
	w.raw(`{"jsonrpc":"2.0","id":"no-params","method":"textDocument/hover"}`)
	w.wait(0, "the reply to a hover without params", func(m map[string]any) bool {
		e, _ := m["error"].(map[string]any)
		return m["id"] == "no-params" && e != nil && e["code"] == float64(-32602)
	})
	// A notification with invalid params is told to the client.
	from := w.mark()
	w.raw(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":42}}`)
	w.logged(from, "textDocument/didOpen: invalid params")
	if len(w.pulled()) == 0 {
		t.Error("the document is gone")
	}
}

func TestInvalidRequests(t *testing.T) {
	w := startPull(t)
	want := w.pulled()
	for _, c := range []struct {
		frame string
		code  float64
		id    any
	}{
		{`{"jsonrpc":"2.0","id":7,"params":{}}`, -32600, float64(7)}, // no method
		{`{"jsonrpc":"2.0","id":"x7"}`, -32600, "x7"},
		{`{"id":8,"method":"shutdown"}`, -32600, float64(8)}, // no jsonrpc member
		{`{"jsonrpc":"1.0","id":9,"method":"shutdown"}`, -32600, float64(9)},
		{`{"jsonrpc":"2.0","id":10,"method":5}`, -32600, float64(10)},
		{`{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}`, -32600, nil}, // an id of the wrong type
		{`{"jsonrpc":"2.0","id":[1],"method":"shutdown"}`, -32600, nil},
		{`{"jsonrpc":"2.0","id":true,"method":"shutdown"}`, -32600, nil},
		{`{"jsonrpc":"2.0","id":11,"method":"shutdown","result":1}`, -32600, float64(11)},
		{`[]`, -32600, nil},
		{`[{"jsonrpc":"2.0","id":12,"method":"shutdown"}]`, -32600, nil}, // LSP has no batches
		{`42`, -32600, nil},
		{`{"jsonrpc":"2.0","id":13,"method":"shutdown"`, -32700, nil}, // not JSON
		{`{"jsonrpc":"2.0","id":14,"method":"shutdown"}}`, -32700, nil},
		{``, -32700, nil},
	} {
		from := w.mark()
		w.raw(c.frame)
		m, _ := w.wait(from, "the reply to "+c.frame, func(m map[string]any) bool { return m["error"] != nil })
		if e := m["error"].(map[string]any); e["code"] != c.code || m["id"] != c.id {
			t.Errorf("%s: got %s, want code %v and id %v", c.frame, m["_raw"], c.code, c.id)
		}
	}
	// None of them was taken for a shutdown.
	if got := w.pulled(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after invalid requests: %v, were %v", got, want)
	}
}

// writeFrame writes a frame of its own header to the server.
func (w *wire) writeFrame(header, body string) error {
	_, err := io.WriteString(w.in, header+"\r\n\r\n"+body)
	return err
}

// The connection ends on a header it cannot read, without reading on for a
// line end or allocating what a Content-Length declares.
func TestBadHeadersCloseTheConnection(t *testing.T) {
	for name, header := range map[string]string{
		"a long header line":        "X-Junk: " + strings.Repeat("a", 8<<10),
		"many header lines":         strings.Repeat("X-Junk: a\r\n", 1000) + "Content-Length: 2",
		"no Content-Length":         "Content-Type: application/vscode-jsonrpc; charset=utf-8",
		"a huge Content-Length":     "Content-Length: 99999999999999999999999",
		"a Content-Length of 2 GiB": "Content-Length: 2147483648",
		"a negative Content-Length": "Content-Length: -5",
		"no colon":                  "Content-Length 2",
	} {
		t.Run(name, func(t *testing.T) {
			w := startWire(t, nil)
			w.initialize(map[string]any{}, nil)
			go func() { _ = w.writeFrame(header, "{}") }()
			select {
			case code := <-w.exit:
				w.exit <- code
				if code != 1 {
					t.Errorf("exit code %d, want 1", code)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the server still reads")
			}
			w.wait(0, "a parse error", func(m map[string]any) bool {
				e, _ := m["error"].(map[string]any)
				return e != nil && e["code"] == float64(-32700) && m["id"] == nil
			})
		})
	}
}

// A message over the size limit is read past, refused, and the connection
// goes on.
func TestOversizedMessage(t *testing.T) {
	w := startPull(t)
	want := w.pulled()
	done := make(chan error, 1)
	go func() {
		n := maxMessage + 1
		if _, err := fmt.Fprintf(w.in, "Content-Length: %d\r\n\r\n", n); err != nil {
			done <- err
			return
		}
		chunk := []byte(strings.Repeat(" ", 1<<20))
		for n > 0 {
			k := min(n, len(chunk))
			if _, err := w.in.Write(chunk[:k]); err != nil {
				done <- err
				return
			}
			n -= k
		}
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	m, _ := w.wait(0, "the refusal of the large message", func(m map[string]any) bool {
		e, _ := m["error"].(map[string]any)
		return e != nil && e["code"] == float64(-32600) && m["id"] == nil
	})
	if msg := m["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "over the limit") {
		t.Errorf("message %q", msg)
	}
	if got := w.pulled(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("after the large message: %v, were %v", got, want)
	}
	// A message just under it is read (and refused as not JSON-RPC).
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 99, "pad": strings.Repeat("x", 1<<20)})
	w.raw(string(body))
	if e := w.errorOf(99); e["code"] != float64(-32600) {
		t.Errorf("a 1 MiB request without a method: %v", e)
	}
}

// exit ends the server within a bounded time whatever a worker is blocked
// on: here the worker waits for ever on the nginx version, where no
// cancellation reaches. Not parallel: it swaps the package's detectNginx.
func TestExitWithABlockedWorker(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	asked := make(chan struct{}, 1)
	saved := detectNginx
	detectNginx = func() (config.Version, bool) {
		select {
		case asked <- struct{}{}:
		default:
		}
		<-block
		return config.Version{}, false
	}
	defer func() { detectNginx = saved }()
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open("file:///blocked/nginx.conf", "events {}\n")
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker never asked for the nginx version")
	}
	w.result(w.call("shutdown", nil))
	start := time.Now()
	w.notify("exit", nil)
	select {
	case code := <-w.exit:
		w.exit <- code
		t.Logf("exit after %v", time.Since(start))
	case <-time.After(stopWait + 3*time.Second):
		t.Fatal("the server did not exit while a worker was blocked")
	}
}

// A client that sends initialized and didOpen right behind initialize,
// without waiting for its answer, still gets its diagnostics: they used to
// be dropped as early in about one session in five of the real binary.
// Here initialize is made slow, so that they always come before its end.
func TestPipelinedInitialize(t *testing.T) {
	slow := func(next jsonrpc2.Handler) jsonrpc2.Handler {
		return func(ctx context.Context, req *jsonrpc2.Request) (any, error) {
			if req.Method() == "initialize" {
				time.Sleep(50 * time.Millisecond)
			}
			return next(ctx, req)
		}
	}
	for i := range 3 {
		w := startWire(t, slow)
		id := w.call("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
		w.notify("initialized", map[string]any{})
		w.open(hostileURI, hostileConf)
		w.result(id)
		if _, n := w.wait(0, "diagnostics of the pipelined open", func(m map[string]any) bool {
			return m["method"] == "textDocument/publishDiagnostics"
		}); n < 0 {
			t.Fatalf("session %d: no diagnostics", i)
		}
		w.shutdownExit()
	}
}
