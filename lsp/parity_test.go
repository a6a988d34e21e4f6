package lsp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/workspace"
	"github.com/nginxls/nginxls/internal/testenv"
)

// The command line (the workspace's Check, which nginxls check prints)
// and the language server must say the same of every file: for each file
// of the trees in testdata/trees and the corpus's layouts, the findings
// nginxls check gives for that file alone equal the diagnostics the
// server publishes when the file is opened (line, column, rule, message).
func TestCheckMatchesServer(t *testing.T) {
	root := testenv.RepoRoot(t)
	trees := []string{
		filepath.Join(root, "testdata", "trees", "debian"),
		filepath.Join(root, "testdata", "trees", "debian-certbot"),
	}
	corpus := testenv.Corpus(t)
	for _, d := range []string{"h5bp", "certbot/testdata/etc_nginx", "debian-nginx-common"} {
		trees = append(trees, filepath.Join(corpus, d))
	}
	compared := 0
	defer func() {
		// A comparison of empty lists proves nothing.
		if !t.Failed() && compared < 50 {
			t.Errorf("only %d findings compared", compared)
		}
	}()
	for _, tree := range trees {
		ws := workspace.New(workspace.Options{Analyzers: rules.All})
		files, errs := ws.FilesIn(tree)
		if len(errs) > 0 {
			t.Fatalf("%s: %v", tree, errs)
		}
		if len(files) == 0 {
			t.Fatalf("%s: no files", tree)
		}
		for _, f := range files {
			f := workspace.Abs(f)
			t.Run(strings.TrimPrefix(f, filepath.Dir(tree)), func(t *testing.T) {
				cli := cliFindings(t, f)
				srv := serverFindings(t, f)
				compared += len(cli)
				if strings.Join(cli, "\n") != strings.Join(srv, "\n") {
					t.Errorf("check and the server disagree on %s\ncheck:\n%s\nserver:\n%s", f, strings.Join(cli, "\n"), strings.Join(srv, "\n"))
				}
			})
		}
	}
}

// cliFindings are what nginxls check reports in file, its columns turned
// into UTF-16 code units as the protocol counts them.
func cliFindings(t *testing.T, file string) []string {
	ws := workspace.New(workspace.Options{Analyzers: rules.All})
	rep := ws.Check(context.Background(), []string{file})
	var out []string
	for _, d := range rep.Diagnostics {
		if d.File.Name != file {
			continue
		}
		line, col := utf16Pos(d.File.Src, d.Span.Start)
		out = append(out, fmt.Sprintf("%d:%d %s %s", line, col, d.Rule, d.Message))
	}
	sort.Strings(out)
	return out
}

func utf16Pos(src []byte, off int) (line, col int) {
	start := 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	for _, r := range string(src[start:off]) {
		if r >= 0x10000 {
			col += 2
		} else if r != utf8.RuneError {
			col++
		} else {
			col++
		}
	}
	return line, col
}

// serverFindings opens the file in a fresh server and takes what it
// publishes for it once the analyses have settled. The command line prints
// every finding, so the server is asked for all of them (maxDiagnostics 0);
// TestMaxDiagnosticsPush checks that a limited list is the first of them.
func serverFindings(t *testing.T, file string) []string {
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	w := startWire(t, nil)
	w.initialize(map[string]any{}, map[string]any{"maxDiagnostics": 0})
	u := fileURI(file)
	w.open(u, string(text))
	w.diagnostics(u, 1)
	// Every configuration the file is in publishes; a request answered
	// after them all orders what came before, then the last list counts.
	time.Sleep(100 * time.Millisecond)
	w.result(w.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": u}}))
	w.mu.Lock()
	var last []any
	for _, m := range w.messages {
		if p, _ := m["params"].(map[string]any); m["method"] == "textDocument/publishDiagnostics" && p["uri"] == u {
			last = p["diagnostics"].([]any)
		}
	}
	w.mu.Unlock()
	var out []string
	for _, d := range last {
		sl, sc, _, _ := rng(d)
		msg, _ := d.(map[string]any)["message"].(string)
		out = append(out, fmt.Sprintf("%d:%d %s %s", sl, sc, codeOf(d), msg))
	}
	sort.Strings(out)
	return out
}
