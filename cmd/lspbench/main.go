// Command lspbench measures the language server as an editor sees it: the
// real binary, spoken to over pipes.
//
//	go run ./cmd/lspbench -server bin/nginxls
//
// It reports the time from process start to the initialize reply, the time
// from a didChange to the publishDiagnostics of that version (one-character
// edits, typed and deleted in turn in the middle of the file) on
// configurations of the sizes -sizes gives (200 and 27,000 lines by
// default), and the server's memory with the files open. It exits 1 when a
// target is missed (with -check) or the server misbehaves. The server runs
// with its default settings, unless -options gives initializationOptions:
// '{"maxDiagnostics":0}' publishes every finding of the large file, not the
// first 500. -off runs the server with its incremental paths off
// (NGINXLS_NO_INCREMENTAL=1).
//
// With -compare or -baseline it compares instead: the server with its
// incremental paths on and off, or against another binary. Each round
// starts one server per variant and size, in turn, and the table gives the
// median of the rounds' p50s with their spread, so that a busy machine
// slows every variant alike.
//
//	go run ./cmd/lspbench -server bin/nginxls -compare -sizes 200,2000,27000 -rounds 5
//	go run ./cmd/lspbench -server bin/nginxls -baseline /tmp/nginxls-old -sizes 27000
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

func main() {
	server := flag.String("server", "bin/nginxls", "the nginxls binary")
	edits := flag.Int("edits", 200, "edits per file")
	starts := flag.Int("starts", 20, "process starts for the initialize time")
	check := flag.Bool("check", false, "exit 1 when a target is missed")
	options := flag.String("options", "", `initializationOptions, as JSON (e.g. '{"maxDiagnostics":0}'); none by default`)
	sizes := flag.String("sizes", "200,27000", "sizes of the configurations edited, in lines, comma-separated")
	off := flag.Bool("off", false, "run the server with its incremental paths off (NGINXLS_NO_INCREMENTAL=1)")
	compare := flag.Bool("compare", false, "compare the server with its incremental paths on and off")
	baseline := flag.String("baseline", "", "compare the server with another nginxls binary, run in turn")
	rounds := flag.Int("rounds", 5, "compare: rounds of every variant")
	flag.Parse()
	var opts json.RawMessage
	if *options != "" {
		if !json.Valid([]byte(*options)) {
			fmt.Fprintln(os.Stderr, "lspbench: -options is not JSON")
			os.Exit(2)
		}
		opts = json.RawMessage(*options)
	}
	lines, err := parseSizes(*sizes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lspbench:", err)
		os.Exit(2)
	}
	b := bench{server: *server, edits: *edits, options: opts, sizes: lines, env: offEnv(*off)}
	if *compare || *baseline != "" {
		err = b.compare(os.Stdout, variants(*server, *baseline, *compare), *rounds)
	} else {
		err = b.run(os.Stdout, *starts, *check)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lspbench:", err)
		os.Exit(1)
	}
}

// bench is what every measurement shares.
type bench struct {
	server  string
	edits   int
	options json.RawMessage
	sizes   []int    // lines
	env     []string // added to the server's environment
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(f, "_", "")))
		if err != nil || n < 12 {
			return nil, fmt.Errorf("-sizes: %q is not a number of lines (12 or more)", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func offEnv(off bool) []string {
	if !off {
		return nil
	}
	return []string{"NGINXLS_NO_INCREMENTAL=1"}
}

// config is the generated configuration of about lines lines: nine a
// server, three around them.
func config(lines int) []byte { return synthtest.GenerateTLSConfig(max(1, (lines-3+4)/9)) }

func sizeName(lines int) string {
	s := strconv.Itoa(lines)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s + "-line"
}

// Targets: p50 of an edit by size, and of start-up.
const initTarget = 20 * time.Millisecond

func target(lines int) time.Duration {
	switch {
	case lines <= 500:
		return 2 * time.Millisecond
	case lines >= 20000:
		return 15 * time.Millisecond
	}
	return 0 // none
}

func (b *bench) run(w io.Writer, starts int, check bool) error {
	var missed []string

	// Start-up: a fresh process each time, initialize written at once.
	var inits []time.Duration
	for i := 0; i < starts; i++ {
		start := time.Now()
		c, err := startClient(b.server, b.env)
		if err != nil {
			return err
		}
		if _, err := c.initialize(b.options); err != nil {
			return err
		}
		inits = append(inits, time.Since(start))
		if err := c.stop(); err != nil {
			return err
		}
	}
	if starts > 0 {
		sortDurations(inits)
		fmt.Fprintf(w, "initialize (process start to reply, %d starts): p50 %s  max %s  (target < %s)\n",
			starts, ms(pct(inits, 50)), ms(inits[len(inits)-1]), ms(initTarget))
		if pct(inits, 50) >= initTarget {
			missed = append(missed, "initialize")
		}
	}

	c, err := startClient(b.server, b.env)
	if err != nil {
		return err
	}
	if _, err := c.initialize(b.options); err != nil {
		return err
	}
	c.notify("initialized", map[string]any{})
	type file struct {
		name   string
		uri    string
		text   []byte
		target time.Duration
	}
	var files []file
	for _, n := range b.sizes {
		files = append(files, file{sizeName(n), fmt.Sprintf("file:///bench/%d.conf", n), config(n), target(n)})
	}
	for _, f := range files {
		p, took, err := c.open(f.uri, f.text)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s config (%d lines, %d KB): didOpen to diagnostics %s, %d diagnostics\n",
			f.name, strings.Count(string(f.text), "\n"), len(f.text)/1024, ms(took), p.count)
	}
	hwm, rss := memory(c.cmd.Process.Pid)
	fmt.Fprintf(w, "memory with the files open: VmHWM %s  VmRSS %s\n", hwm, rss)

	for _, f := range files {
		cpu := cpuTime(c.cmd.Process.Pid)
		lat, err := c.editLoop(f.uri, f.text, b.edits, "x")
		if err != nil {
			return err
		}
		// CPU time per edit (all threads, GC included) varies less than
		// wall time on a busy machine.
		cpu = (cpuTime(c.cmd.Process.Pid) - cpu) / time.Duration(b.edits)
		sortDurations(lat)
		goal := ""
		if f.target > 0 {
			goal = fmt.Sprintf("  (target p50 < %s)", ms(f.target))
		}
		fmt.Fprintf(w, "didChange to publishDiagnostics, %s, %d edits: p50 %s  p99 %s  max %s%s; server CPU %s per edit\n",
			f.name, b.edits, ms(pct(lat, 50)), ms(pct(lat, 99)), ms(lat[len(lat)-1]), goal, ms(cpu))
		if f.target > 0 && pct(lat, 50) >= f.target {
			missed = append(missed, f.name+" latency")
		}
		// A line break typed moves every later finding one line down: the
		// findings after it are sent anew, not copied. No target; shown
		// for what it costs.
		lat, err = c.editLoop(f.uri, f.text, newlineEdits(b.edits), "\n")
		if err != nil {
			return err
		}
		sortDurations(lat)
		fmt.Fprintf(w, "  the same with a line break typed and removed, %d edits: p50 %s  p99 %s\n", len(lat), ms(pct(lat, 50)), ms(pct(lat, 99)))
	}
	hwm, rss = memory(c.cmd.Process.Pid)
	fmt.Fprintf(w, "memory after the edits: VmHWM %s  VmRSS %s\n", hwm, rss)
	if err := c.stop(); err != nil {
		return err
	}
	if check && len(missed) > 0 {
		return fmt.Errorf("targets missed: %s", strings.Join(missed, ", "))
	}
	return nil
}

// newlineEdits is how many line breaks are typed and removed: an even
// count, at least one of each, leaves the text as it was.
func newlineEdits(edits int) int { return max(2, edits/2&^1) }

// editLoop types typed (a character, or a line break) into the middle of
// the file and deletes it again, edits times, waiting for each version's
// diagnostics.
func (c *client) editLoop(uri string, text []byte, edits int, typed string) ([]time.Duration, error) {
	lines := strings.Split(string(text), "\n")
	line := len(lines) / 2
	for !strings.Contains(lines[line], "server_name ") {
		line++
	}
	col := strings.Index(lines[line], "server_name ") + len("server_name ")
	pos := func(char int) map[string]any { return map[string]any{"line": line, "character": char} }
	var out []time.Duration
	for i := 0; i < edits; i++ {
		version := c.versions[uri] + 1
		c.versions[uri] = version
		change := map[string]any{"range": map[string]any{"start": pos(col), "end": pos(col)}, "text": typed}
		if i%2 == 1 {
			end := pos(col + len(typed))
			if typed == "\n" {
				end = map[string]any{"line": line + 1, "character": 0}
			}
			change = map[string]any{"range": map[string]any{"start": pos(col), "end": end}, "text": ""}
		}
		start := time.Now()
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": uri, "version": version},
			"contentChanges": []any{change},
		})
		p, err := c.waitDiagnostics(uri, version)
		if err != nil {
			return nil, err
		}
		out = append(out, p.at.Sub(start))
	}
	return out, nil
}

// client is the editor's side of one server process.
type client struct {
	cmd      *exec.Cmd
	in       io.WriteCloser
	wmu      sync.Mutex
	nextID   int
	versions map[string]int

	msgs chan message
	done chan error // the reader's end
}

type message struct {
	at      time.Time // when the whole frame had arrived
	Method  string    `json:"method"`
	ID      *int      `json:"id"`
	Error   any       `json:"error"`
	Result  json.RawMessage
	Params  json.RawMessage
	version *int
	uri     string
	count   int
}

func startClient(server string, env []string) (*client, error) {
	cmd := exec.Command(server, "serve")
	cmd.Stderr = os.Stderr
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &client{cmd: cmd, in: in, versions: map[string]int{}, msgs: make(chan message, 64), done: make(chan error, 1)}
	go c.read(bufio.NewReaderSize(out, 1<<20))
	return c, nil
}

func (c *client) read(r *bufio.Reader) {
	tp := textproto.NewReader(r)
	for {
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			c.done <- err
			close(c.msgs)
			return
		}
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil {
			c.done <- fmt.Errorf("bad Content-Length %q", h.Get("Content-Length"))
			close(c.msgs)
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			c.done <- err
			close(c.msgs)
			return
		}
		m := message{at: time.Now()}
		if err := json.Unmarshal(body, &m); err != nil {
			c.done <- fmt.Errorf("invalid JSON from the server: %v", err)
			close(c.msgs)
			return
		}
		if m.Method == "textDocument/publishDiagnostics" {
			var p struct {
				URI         string            `json:"uri"`
				Version     *int              `json:"version"`
				Diagnostics []json.RawMessage `json:"diagnostics"`
			}
			if err := json.Unmarshal(m.Params, &p); err == nil {
				m.uri, m.version, m.count = p.URI, p.Version, len(p.Diagnostics)
			}
		}
		m.Params = nil
		c.msgs <- m
	}
}

func (c *client) send(m map[string]any) {
	m["jsonrpc"] = "2.0"
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(b), b)
}

func (c *client) notify(method string, params any) {
	c.send(map[string]any{"method": method, "params": params})
}

func (c *client) call(method string, params any) (message, error) {
	c.nextID++
	id := c.nextID
	m := map[string]any{"id": id, "method": method}
	if params != nil {
		m["params"] = params
	}
	c.send(m)
	return c.wait(fmt.Sprintf("the reply to %s", method), func(m message) bool {
		return m.Method == "" && m.ID != nil && *m.ID == id
	})
}

func (c *client) initialize(options json.RawMessage) (message, error) {
	params := map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": map[string]any{}}
	if options != nil {
		params["initializationOptions"] = options
	}
	m, err := c.call("initialize", params)
	if err == nil && m.Error != nil {
		err = fmt.Errorf("initialize: %v", m.Error)
	}
	return m, err
}

// open opens a document and waits for its first diagnostics.
func (c *client) open(uri string, text []byte) (message, time.Duration, error) {
	start := time.Now()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "nginx", "version": 1, "text": string(text)}})
	c.versions[uri] = 1 // edits follow the opened version
	p, err := c.waitDiagnostics(uri, 1)
	return p, p.at.Sub(start), err
}

func (c *client) waitDiagnostics(uri string, version int) (message, error) {
	return c.wait(fmt.Sprintf("diagnostics for %s version %d", uri, version), func(m message) bool {
		return m.Method == "textDocument/publishDiagnostics" && m.uri == uri && m.version != nil && *m.version == version
	})
}

// wait returns the next message matching pred, dropping others.
func (c *client) wait(what string, pred func(message) bool) (message, error) {
	timeout := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				return message{}, fmt.Errorf("waiting for %s: the server closed its output: %v", what, <-c.done)
			}
			if pred(m) {
				return m, nil
			}
		case <-timeout:
			return message{}, fmt.Errorf("timed out waiting for %s", what)
		}
	}
}

// stop shuts the server down and checks it exits with status 0.
func (c *client) stop() error {
	if _, err := c.call("shutdown", nil); err != nil {
		return err
	}
	c.notify("exit", nil)
	errc := make(chan error, 1)
	go func() { errc <- c.cmd.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			return fmt.Errorf("server exit: %v", err)
		}
		return nil
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		return errors.New("the server did not exit within 5 s of exit")
	}
}

// memory reads the peak and current resident set size of a process.
func memory(pid int) (hwm, rss string) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "n/a", "n/a"
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch k {
		case "VmHWM":
			hwm = strings.TrimSpace(v)
		case "VmRSS":
			rss = strings.TrimSpace(v)
		}
	}
	return hwm, rss
}

// cpuTime reads the user and system time of a process from /proc (in
// clock ticks, 100 per second on Linux).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the parenthesised command name: state is field 3,
	// utime 14 and stime 15.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func sortDurations(d []time.Duration) { sort.Slice(d, func(i, j int) bool { return d[i] < d[j] }) }

// pct is the p-th percentile of sorted durations (nearest rank).
func pct(d []time.Duration, p int) time.Duration {
	i := (len(d)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return d[i-1]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
