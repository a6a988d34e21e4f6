package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nginxls/nginxls/internal/testenv"
)

func certbotTree(t *testing.T) string {
	dir := t.TempDir()
	src := filepath.Join(testenv.RepoRoot(t), "testdata", "trees", "debian-certbot")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "sites-enabled", "app"))
	if err := os.Symlink("../sites-available/app", filepath.Join(dir, "sites-enabled", "app")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func lastPub(w *wire, u string) map[string]any {
	w.mu.Lock()
	defer w.mu.Unlock()
	var last map[string]any
	for _, m := range w.messages {
		if pp, _ := m["params"].(map[string]any); m["method"] == "textDocument/publishDiagnostics" && pp["uri"] == u {
			last = pp
		}
	}
	return last
}

func TestSitesAvailableOverlay(t *testing.T) {
	dir := certbotTree(t)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	app := filepath.Join(dir, "sites-available", "app")
	text, _ := os.ReadFile(app)
	w.open(fileURI(app), string(text))
	t.Logf("v1: %s", codes(w.diagnostics(fileURI(app), 1)))
	edited := strings.Replace(string(text), "server_name app.example.com;\n    root", "server_name app.example.com;\n    ssl_protocols SSLv3 TLSv1.2;\n    root", 1)
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(app), "version": 2},
		"contentChanges": []any{map[string]any{"text": edited}},
	})
	got := codes(w.diagnostics(fileURI(app), 2))
	t.Logf("v2: %s", got)
	if !strings.Contains(got, "tls-protocol-sslv3") {
		t.Errorf("unsaved edit not seen: %s", got)
	}
	time.Sleep(300 * time.Millisecond)
	w.mu.Lock()
	for _, m := range w.messages {
		if m["method"] == "textDocument/publishDiagnostics" {
			p := m["params"].(map[string]any)
			t.Logf("pub %v v%v %s", p["uri"], p["version"], codes(p["diagnostics"].([]any)))
		}
	}
	w.mu.Unlock()
}

func TestTwoNamesCloseOne(t *testing.T) {
	dir := certbotTree(t)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	app := filepath.Join(dir, "sites-available", "app")
	link := filepath.Join(dir, "sites-enabled", "app")
	text, _ := os.ReadFile(app)
	w.open(fileURI(app), string(text))
	w.diagnostics(fileURI(app), 1)
	w.open(fileURI(link), string(text))
	w.diagnostics(fileURI(link), 1)
	w.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": fileURI(link)}})
	edited := strings.Replace(string(text), "server_name app.example.com;\n    root", "server_name app.example.com;\n    ssl_protocols SSLv3 TLSv1.2;\n    root", 1)
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(app), "version": 2},
		"contentChanges": []any{map[string]any{"text": edited}},
	})
	time.Sleep(500 * time.Millisecond)
	last := lastPub(w, fileURI(app))
	t.Logf("app last: v%v %s", last["version"], codes(last["diagnostics"].([]any)))
	if l := lastPub(w, fileURI(link)); l != nil {
		t.Logf("link last: v%v %s", l["version"], codes(l["diagnostics"].([]any)))
	}
	if last["version"] != float64(2) || !strings.Contains(codes(last["diagnostics"].([]any)), "sslv3") {
		t.Errorf("the unsaved edit of sites-available/app is not analysed after closing sites-enabled/app")
	}
	// pull
	res := w.result(w.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": fileURI(app)}}))
	t.Logf("pull: %s", codes(res.(map[string]any)["items"].([]any)))
}

func TestTwoNamesCloseOneAfterEdit(t *testing.T) {
	dir := certbotTree(t)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	app := filepath.Join(dir, "sites-available", "app")
	link := filepath.Join(dir, "sites-enabled", "app")
	text, _ := os.ReadFile(app)
	w.open(fileURI(app), string(text))
	w.diagnostics(fileURI(app), 1)
	edited := strings.Replace(string(text), "server_name app.example.com;\n    root", "server_name app.example.com;\n    ssl_protocols SSLv3 TLSv1.2;\n    root", 1)
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(app), "version": 2},
		"contentChanges": []any{map[string]any{"text": edited}},
	})
	w.diagnostics(fileURI(app), 2)
	w.open(fileURI(link), string(text)) // disk text
	w.diagnostics(fileURI(link), 1)
	from := w.mark()
	w.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": fileURI(link)}})
	time.Sleep(500 * time.Millisecond)
	w.mu.Lock()
	for _, m := range w.messages[from:] {
		if m["method"] == "textDocument/publishDiagnostics" {
			p := m["params"].(map[string]any)
			t.Logf("pub %v v%v %s", p["uri"], p["version"], codes(p["diagnostics"].([]any)))
		}
	}
	w.mu.Unlock()
	last := lastPub(w, fileURI(app))
	t.Logf("app last: v%v %s", last["version"], codes(last["diagnostics"].([]any)))
	res := w.result(w.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": fileURI(app)}}))
	got := codes(res.(map[string]any)["items"].([]any))
	t.Logf("pull: %s", got)
	if !strings.Contains(got, "sslv3") {
		t.Errorf("after closing sites-enabled/app, the open sites-available/app's unsaved text is ignored")
	}
}

func TestMainEditedIntoFragment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	f := filepath.Join(dir, "site.conf")
	text := "events {}\nserver {\n    listen 80;\n}\n"
	os.WriteFile(f, []byte(text), 0o644)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open(fileURI(f), text)
	t.Logf("v1: %s", codes(w.diagnostics(fileURI(f), 1)))
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(f), "version": 2},
		"contentChanges": []any{map[string]any{"text": "server {\n    listen 80;\n}\n"}},
	})
	got := codes(w.diagnostics(fileURI(f), 2))
	t.Logf("v2: %s", got)
	if strings.Contains(got, "nginx-directive-context") {
		t.Errorf("fragment still judged as a main configuration")
	}
}

func TestFragmentEditedIntoMain(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	f := filepath.Join(dir, "site.conf")
	text := "server {\n    listen 80;\n}\n"
	os.WriteFile(f, []byte(text), 0o644)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open(fileURI(f), text)
	t.Logf("v1: %s", codes(w.diagnostics(fileURI(f), 1)))
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(f), "version": 2},
		"contentChanges": []any{map[string]any{"text": "events {}\nhttp {\n    worker_processes 2;\n}\nlisten 80;\n"}},
	})
	got := codes(w.diagnostics(fileURI(f), 2))
	t.Logf("v2: %s", got)
	if !strings.Contains(got, "nginx-directive-context") {
		t.Errorf("the file is still judged as a fragment: CLI reports nginx-directive-context twice")
	}
}

func TestSecondFolderMain(t *testing.T) {
	first, ws, elsewhere := t.TempDir(), t.TempDir(), t.TempDir()
	snippet := filepath.Join(elsewhere, "tls.conf")
	os.WriteFile(snippet, []byte("ssl_protocols TLSv1.2;\n"), 0o644)
	main := filepath.Join(ws, "nginx.conf")
	os.WriteFile(main, []byte("events {}\nhttp {\n    include "+snippet+";\n    server {\n        listen 443 ssl;\n    }\n}\n"), 0o644)
	w := startWire(t, nil)
	params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{},
		"workspaceFolders": []any{map[string]any{"uri": fileURI(first), "name": "a"}, map[string]any{"uri": fileURI(ws), "name": "ws"}}}
	w.result(w.call("initialize", params))
	w.notify("initialized", map[string]any{})
	w.open(fileURI(snippet), "ssl_protocols TLSv1.2;\n")
	ds := w.diagnostics(fileURI(snippet), 1)
	for _, d := range ds {
		rel, _ := d.(map[string]any)["relatedInformation"].([]any)
		for _, r := range rel {
			if strings.Contains(r.(map[string]any)["message"].(string), "included here") {
				return
			}
		}
	}
	t.Fatalf("snippet included by the second workspace folder's nginx.conf analysed alone: %s", codes(ds))
}

func TestReopenFragment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	os.MkdirAll(filepath.Join(dir, "sites-available"), 0o755)
	os.MkdirAll(filepath.Join(dir, "snippets"), 0o755)
	os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte("events {}\nhttp {\n    server_tokens off;\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "snippets", "x.conf"), []byte("add_header X 1;\n"), 0o644)
	site := filepath.Join(dir, "sites-available", "site")
	text := "server {\n    listen 80;\n    include snippets/x.conf;\n}\n"
	os.WriteFile(site, []byte(text), 0o644)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open(fileURI(site), text)
	first := codes(w.diagnostics(fileURI(site), 1))
	t.Logf("first open: %q", first)
	w.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": fileURI(site)}})
	w.result(w.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": fileURI(site)}}))
	time.Sleep(100 * time.Millisecond)
	from := w.mark()
	w.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": fileURI(site), "languageId": "nginx", "version": 3, "text": text}})
	m, _ := w.wait(from, "diagnostics after reopen", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == fileURI(site) && p["version"] == float64(3)
	})
	second := codes(m["params"].(map[string]any)["diagnostics"].([]any))
	t.Logf("reopened: %q", second)
	if first != second {
		t.Errorf("the same text gives other findings after close and reopen")
	}
}
