package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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

func TestSitesAvailableOverlay(t *testing.T) {
	dir := certbotTree(t)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	app := filepath.Join(dir, "sites-available", "app")
	text, _ := os.ReadFile(app)
	w.open(fileURI(app), string(text))
	w.diagnostics(fileURI(app), 1)
	edited := strings.Replace(string(text), "server_name app.example.com;\n    root", "server_name app.example.com;\n    ssl_protocols SSLv3 TLSv1.2;\n    root", 1)
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(app), "version": 2},
		"contentChanges": []any{map[string]any{"text": edited}},
	})
	if got := codes(w.diagnostics(fileURI(app), 2)); !strings.Contains(got, "tls-protocol-sslv3") {
		t.Errorf("the unsaved edit of sites-available/app, which nginx.conf reads through sites-enabled/app, is not seen: %s", got)
	}
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
	if got := codes(w.diagnostics(fileURI(app), 2)); !strings.Contains(got, "sslv3") {
		t.Errorf("the unsaved edit of sites-available/app is not analysed after closing sites-enabled/app: %s", got)
	}
	res := w.result(w.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": fileURI(app)}}))
	if got := codes(res.(map[string]any)["items"].([]any)); !strings.Contains(got, "sslv3") {
		t.Errorf("pulled: %s", got)
	}
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
	w.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": fileURI(link)}})
	// A request answered after the close sees what the close left.
	res := w.result(w.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": fileURI(app)}}))
	if got := codes(res.(map[string]any)["items"].([]any)); !strings.Contains(got, "sslv3") {
		t.Errorf("after closing sites-enabled/app, the open sites-available/app's unsaved text is ignored")
	}
}

// A file edited from a main configuration into a fragment, or back, is
// judged as what it is now: "server" at the top of a main configuration
// is misplaced (nginx-directive-context), in a fragment it is not.
func TestEditedBetweenMainAndFragment(t *testing.T) {
	const main, fragment = "events {}\nserver {\n    listen 80;\n}\n", "server {\n    listen 80;\n}\n"
	for _, tc := range []struct {
		name, before, after string
	}{
		{"main into fragment", main, fragment},
		{"fragment into main", fragment, main},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
			f := filepath.Join(dir, "site.conf")
			os.WriteFile(f, []byte(tc.before), 0o644)
			w := startWire(t, nil)
			w.initialize(map[string]any{}, nil)
			w.open(fileURI(f), tc.before)
			misplaced := func(version int) bool {
				return strings.Contains(codes(w.diagnostics(fileURI(f), version)), "nginx-directive-context")
			}
			if misplaced(1) != (tc.before == main) {
				t.Errorf("before the edit, judged as the other kind")
			}
			w.notify("textDocument/didChange", map[string]any{
				"textDocument":   map[string]any{"uri": fileURI(f), "version": 2},
				"contentChanges": []any{map[string]any{"text": tc.after}},
			})
			if misplaced(2) != (tc.after == main) {
				t.Errorf("after the edit, still judged as before")
			}
		})
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
