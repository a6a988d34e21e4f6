package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileServe opens each hostile configuration in the language server,
// the folder as the editor's workspace, with the canary in its environment:
// the diagnostics come within a deadline and show the finding expected, a
// hover afterwards is answered (the server lives), exit ends it, and
// neither its output, its standard error nor its protocol trace shows the
// canary.
func TestHostileServe(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the cases read /proc and /dev")
	}
	for _, c := range hostileCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			main := writeHostile(t, dir, c)
			text, err := os.ReadFile(main)
			if err != nil {
				t.Fatal(err)
			}
			trace := filepath.Join(t.TempDir(), "trace.log")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, "serve", "--trace-file", trace)
			cmd.Env = append(os.Environ(), "NGINXLS_TEST_CANARY="+canary)
			// At the deadline, a goroutine dump says where it hangs.
			cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
			cmd.WaitDelay = 5 * time.Second
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			send := func(msg map[string]any) {
				msg["jsonrpc"] = "2.0"
				b, _ := json.Marshal(msg)
				fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(b), b)
			}
			uri := (&url.URL{Scheme: "file", Path: main}).String()
			root := (&url.URL{Scheme: "file", Path: dir}).String()
			send(map[string]any{"id": 1, "method": "initialize", "params": map[string]any{
				"processId": nil, "rootUri": root, "capabilities": map[string]any{},
				"initializationOptions": map[string]any{"maxDiagnostics": 0},
				"workspaceFolders":      []any{map[string]any{"uri": root, "name": "w"}}}})
			send(map[string]any{"method": "initialized", "params": map[string]any{}})
			send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{
				"uri": uri, "languageId": "nginx", "version": 1, "text": string(text)}}})
			r := bufio.NewReader(stdout)
			var all strings.Builder
			// The findings may land in an included file's publish: every
			// publish counts, until the wanted texts are in and the hover
			// is answered.
			published, hovered := false, false
			seen := func() bool {
				for _, w := range c.want {
					if !strings.Contains(all.String(), w) && !strings.Contains(all.String(), strings.ReplaceAll(w, `"`, `\"`)) {
						return false
					}
				}
				return true
			}
			for !published || !hovered || !seen() {
				body, err := readFrame(r)
				if err != nil {
					logged, _ := os.ReadFile(trace)
					t.Fatalf("the server stopped answering (%v); stderr:\n%s\nreceived:\n%s\ntrace:\n%s", err, clip(stderr.String()), clip(all.String()), clip(string(logged)))
				}
				all.WriteString(body)
				hovered = hovered || strings.Contains(body, `"id":2`)
				if !published && strings.Contains(body, "publishDiagnostics") && strings.Contains(body, strconv.Quote(uri)) {
					published = true
					// Alive after the analysis: a hover gets its answer.
					send(map[string]any{"id": 2, "method": "textDocument/hover", "params": map[string]any{
						"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 0, "character": 0}}})
				}
			}
			send(map[string]any{"id": 3, "method": "shutdown"})
			send(map[string]any{"method": "exit"})
			rest, _ := io.ReadAll(r)
			all.Write(rest)
			if err := cmd.Wait(); err != nil || ctx.Err() != nil {
				t.Errorf("the server did not exit cleanly: %v (deadline: %v)", err, ctx.Err())
			}
			logs := map[string]string{"output": all.String(), "standard error": stderr.String()}
			// The trace records what the editor sent too: a case whose own
			// text holds the canary is judged on the server's words alone.
			if !strings.Contains(string(text), canary) {
				logged, _ := os.ReadFile(trace)
				logs["trace"] = string(logged)
			}
			for what, out := range logs {
				if strings.Contains(out, canary) {
					t.Errorf("the server's %s shows the canary", what)
				}
			}
		})
	}
}

// readFrame reads one message of the base protocol.
func readFrame(r *bufio.Reader) (string, error) {
	n := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			n, _ = strconv.Atoi(v)
		}
	}
	if n < 0 {
		return "", fmt.Errorf("no Content-Length")
	}
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return string(b), err
}
