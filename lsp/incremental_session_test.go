package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

// The incremental paths change nothing but the time taken: the same edit
// session, run with them on and with NGINXLS_NO_INCREMENTAL=1, publishes
// the same notifications, byte for byte, after every step.
func TestNoIncrementalPublishesTheSame(t *testing.T) {
	for _, enc := range []string{"utf-16", "utf-8"} {
		t.Run(enc, func(t *testing.T) {
			dir := t.TempDir() // the same URIs in both
			on := editSession(t, dir, "", enc)
			off := editSession(t, dir, "1", enc)
			if len(on) != len(off) {
				t.Fatalf("%d steps with the incremental paths on, %d with them off", len(on), len(off))
			}
			for i := range on {
				for u, want := range off[i] {
					if got := on[i][u]; got != want {
						t.Errorf("step %d, %s: %s", i, u, difference(got, want))
					}
				}
			}
		})
	}
}

// difference shows where two texts first differ.
func difference(got, want string) string {
	i := 0
	for i < min(len(got), len(want)) && got[i] == want[i] {
		i++
	}
	from := max(0, i-150)
	return fmt.Sprintf("first difference at byte %d:\n on: ...%s\noff: ...%s", i, got[from:min(len(got), i+150)], want[from:min(len(want), i+150)])
}

// editSession opens a main configuration and a site file it includes,
// edits both in ways that move, add and remove findings (with non-ASCII
// text, line breaks and CRLF), then closes the site. After each step it
// waits for the diagnostics of both files and keeps the notifications as
// sent, by URI.
func editSession(t *testing.T, dir, noIncremental, encoding string) []map[string]string {
	t.Setenv(noIncrementalEnv, noIncremental)
	main := filepath.Join(dir, "nginx.conf")
	site := filepath.Join(dir, "sites", "app.conf")
	mainText := "events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.2;\n    include sites/*.conf;\n}\n"
	gen := string(synthtest.GenerateTLSConfig(60))
	siteText := strings.TrimSuffix(gen[strings.Index(gen, "server {"):], "}\n") // the servers alone
	// A configuration in one file: its findings have no related places
	// ("included here"), and are the ones copied from edit to edit.
	alone := filepath.Join(dir, "alone", "nginx.conf")
	aloneText := string(synthtest.GenerateTLSConfig(40))
	for p, text := range map[string]string{main: mainText, site: siteText, alone: aloneText} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	w := startWire(t, nil)
	w.initialize(map[string]any{"general": map[string]any{"positionEncodings": []string{encoding}}},
		map[string]any{"maxDiagnostics": 150})
	m, s, a := fileURI(main), fileURI(site), fileURI(alone)
	texts := map[string]string{m: mainText, s: siteText, a: aloneText}
	versions := map[string]int{}
	var steps []map[string]string
	// settled waits for the publish of each file at its version (none:
	// closed) after from, and keeps them.
	settled := func(from int, uris ...string) {
		t.Helper()
		step := map[string]string{}
		for _, u := range uris {
			msg, _ := w.wait(from, fmt.Sprintf("diagnostics for %s v%d", u, versions[u]), func(msg map[string]any) bool {
				if msg["method"] != "textDocument/publishDiagnostics" {
					return false
				}
				p := msg["params"].(map[string]any)
				v, versioned := p["version"].(float64)
				return p["uri"] == u && (versions[u] == 0 && !versioned || int(v) == versions[u])
			})
			step[u] = msg["_raw"].(string)
		}
		steps = append(steps, step)
	}
	from := w.mark()
	w.open(m, mainText)
	w.open(s, siteText)
	w.open(a, aloneText)
	versions[m], versions[s], versions[a] = 1, 1, 1
	settled(from, m, s, a)
	// edit replaces old, the n-th occurrence of it, by new.
	edit := func(u, old string, n int, new string) {
		t.Helper()
		text := texts[u]
		at := -1
		for range n {
			i := strings.Index(text[at+1:], old)
			if i < 0 {
				t.Fatalf("%q occurs fewer than %d times", old, n)
			}
			at += 1 + i
		}
		start, end := position(text[:at], encoding), position(text[:at+len(old)], encoding)
		texts[u] = text[:at] + new + text[at+len(old):]
		versions[u]++
		from := w.mark()
		w.notify("textDocument/didChange", map[string]any{
			"textDocument": map[string]any{"uri": u, "version": versions[u]},
			"contentChanges": []any{map[string]any{"range": map[string]any{
				"start": map[string]any{"line": start[0], "character": start[1]},
				"end":   map[string]any{"line": end[0], "character": end[1]}}, "text": new}},
		})
		if u == a {
			settled(from, a)
		} else {
			settled(from, m, s)
		}
	}
	edit(s, "server_name s30.", 1, "server_name xs30.")                           // a character typed
	edit(s, "server_name xs30.", 1, "server_name s30.")                           // and deleted
	edit(s, "    listen 443 ssl;\n", 20, "\n    listen 443 ssl;\n")               // a line break: later findings move
	edit(s, "server_name s40.", 1, "server_name é😀s40.")                          // characters of two and four bytes
	edit(s, "    ssl_ciphers", 25, "    ssl_protocols SSLv3;\r\n    ssl_ciphers") // a finding added, CRLF
	edit(s, "ssl_protocols TLSv1 TLSv1.1 TLSv1.2;", 3, "ssl_protocols TLSv1.2;")  // findings removed
	edit(s, "server {", 10, "}\nserver {")                                        // a block closed early: errors after
	edit(s, "}\nserver {", 10, "server {")                                        // and mended
	edit(a, "server_name s20.", 1, "server_name s20x.")
	edit(a, "    listen 443 ssl;\n", 21, "\n\n    listen 443 ssl;\n") // two lines: findings after move
	edit(a, "server_name s30.", 1, "server_name s😀30.")
	edit(a, "\n\n    listen 443 ssl;\n", 1, "    listen 443 ssl;\n") // and back
	edit(a, "    location /", 33, "    ssl_protocols TLSv1;\n    location /")
	edit(m, "TLSv1 TLSv1.2", 1, "TLSv1.2 TLSv1.3") // what every server inherits changes
	edit(m, "TLSv1.2 TLSv1.3", 1, "SSLv3")
	edit(s, "\n", 1, "")                                // two lines joined at the top
	edit(s, "server_name s59.", 1, "server_name s59x.") // the last server

	// Closed, the site is read from the disk, as it was.
	from = w.mark()
	w.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": s}})
	versions[s] = 0
	settled(from, m, s)
	if code := w.shutdownExit(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	return steps
}

// position is the protocol position at the end of text.
func position(text, encoding string) [2]int {
	line := strings.Count(text, "\n") // the session's line breaks all end in LF
	col := text[strings.LastIndexByte(text, '\n')+1:]
	n := len(col)
	if encoding == "utf-16" {
		n = 0
		for _, r := range col {
			n++
			if r >= 0x10000 {
				n++
			}
		}
	}
	return [2]int{line, n}
}
