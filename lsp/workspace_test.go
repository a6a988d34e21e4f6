package lsp

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/internal/testenv"
)

// copyTree copies testdata/trees/debian into a temporary directory and
// returns its path.
func copyTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(testenv.RepoRoot(t), "testdata", "trees", "debian"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func fileURI(p string) string { return string(uri.File(p)) }

func codes(ds []any) string {
	var out []string
	for _, d := range ds {
		sl, sc, _, _ := rng(d)
		out = append(out, codeOf(d)+"@"+strconv.Itoa(sl)+":"+strconv.Itoa(sc))
	}
	return strings.Join(out, " ")
}

// Opening a file of a configuration analyses the whole configuration: the
// weak value in nginx.conf (not open) is reported there, and the open
// server file says what it inherits.
func TestWorkspaceTree(t *testing.T) {
	dir := copyTree(t)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	app := filepath.Join(dir, "sites-enabled", "app.conf")
	text, _ := os.ReadFile(app)
	w.open(fileURI(app), string(text))

	appDiags := w.diagnostics(fileURI(app), 1)
	if got := codes(appDiags); !strings.Contains(got, "tls-protocol-legacy-tls@7:4") {
		t.Errorf("app.conf diagnostics: %s", got)
	}
	main := filepath.Join(dir, "nginx.conf")
	mainDiags := w.diagnostics(fileURI(main), -1)
	if got := codes(mainDiags); !strings.Contains(got, "tls-protocol-legacy-tls@14:18") || !strings.Contains(got, "tls-curve-weak@15:19") {
		t.Errorf("nginx.conf diagnostics: %s", got)
	}
	// The http-level finding points at TLSv1.1 beside TLSv1, then at the
	// servers that inherit it.
	for _, d := range mainDiags {
		if codeOf(d) == "tls-protocol-legacy-tls" {
			rel, _ := d.(map[string]any)["relatedInformation"].([]any)
			if len(rel) != 3 || !strings.HasPrefix(rel[0].(map[string]any)["message"].(string), "TLSv1.1 is enabled") {
				t.Errorf("related information: %v", rel)
			}
			break
		}
	}
	snippet := filepath.Join(dir, "snippets", "ssl-params.conf")
	if got := codes(w.diagnostics(fileURI(snippet), -1)); got != "tls-early-data@2:15" {
		t.Errorf("snippet diagnostics: %s", got)
	}

	// Go to definition on the include opens the snippet.
	locs := w.result(w.call("textDocument/definition", map[string]any{
		"textDocument": map[string]any{"uri": fileURI(app)},
		"position":     map[string]any{"line": 11, "character": 14},
	})).([]any)
	if len(locs) != 1 || locs[0].(map[string]any)["uri"] != fileURI(snippet) {
		t.Errorf("definition of the include: %v", locs)
	}
	// Document links: the include and the certificate paths.
	links := w.result(w.call("textDocument/documentLink", map[string]any{"textDocument": map[string]any{"uri": fileURI(app)}})).([]any)
	var targets []string
	for _, l := range links {
		targets = append(targets, strings.TrimPrefix(l.(map[string]any)["target"].(string), "file://"))
	}
	if got := strings.Join(targets, " "); got != "/etc/ssl/certs/app.pem /etc/ssl/private/app.key "+filepath.Join(dir, "snippets", "ssl-params.conf") {
		t.Errorf("links: %s", got)
	}

	// Fixing nginx.conf in the editor (unsaved) clears the inherited finding
	// in app.conf.
	mtext, _ := os.ReadFile(main)
	w.open(fileURI(main), string(mtext))
	from := w.mark()
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(main), "version": 2},
		"contentChanges": []any{map[string]any{"text": strings.Replace(string(mtext), "TLSv1 TLSv1.1 TLSv1.2", "TLSv1.2 TLSv1.3", 1)}},
	})
	// Publishes of the text before the edit may still arrive; wait for the
	// one that reflects it.
	w.wait(from, "app.conf re-published without the inherited finding", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		if m["method"] != "textDocument/publishDiagnostics" || p["uri"] != fileURI(app) {
			return false
		}
		return !strings.Contains(codes(p["diagnostics"].([]any)), "tls-protocol-legacy-tls")
	})
}

// A file no configuration includes is analysed alone.
func TestWorkspaceStandalone(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "lonely.conf")
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open(fileURI(p), "ssl_protocols SSLv3;\n")
	if got := codes(w.diagnostics(fileURI(p), 1)); !strings.Contains(got, "tls-protocol-sslv3@0:14") {
		t.Errorf("diagnostics: %s", got)
	}
}

// A file changed on disk, outside the editor, is picked up through
// workspace/didChangeWatchedFiles, for which the server registers.
func TestWorkspaceWatchedFiles(t *testing.T) {
	dir := copyTree(t)
	w := startWire(t, nil)
	w.initialize(map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}}, nil)
	m, _ := w.wait(0, "the watcher registration", func(m map[string]any) bool { return m["method"] == "client/registerCapability" })
	if !strings.Contains(m["_raw"].(string), "workspace/didChangeWatchedFiles") || !strings.Contains(m["_raw"].(string), "**/*.conf") {
		t.Errorf("registration: %s", m["_raw"])
	}
	app := filepath.Join(dir, "sites-enabled", "app.conf")
	text, _ := os.ReadFile(app)
	w.open(fileURI(app), string(text))
	if got := codes(w.diagnostics(fileURI(app), 1)); !strings.Contains(got, "tls-protocol-legacy-tls") {
		t.Fatalf("app.conf: %s", got)
	}
	main := filepath.Join(dir, "nginx.conf")
	mtext, _ := os.ReadFile(main)
	if err := os.WriteFile(main, []byte(strings.Replace(string(mtext), "TLSv1 TLSv1.1 TLSv1.2", "TLSv1.2 TLSv1.3", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	from := w.mark()
	w.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(main), "type": 2}}})
	w.wait(from, "app.conf re-published after the change on disk", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == fileURI(app) &&
			!strings.Contains(codes(p["diagnostics"].([]any)), "tls-protocol-legacy-tls")
	})
}

// Two configurations share a snippet: when one stops including it, the
// other's finding on it stays.
func TestWorkspaceSharedSnippet(t *testing.T) {
	dir := t.TempDir()
	common := filepath.Join(dir, "common", "tls.conf")
	os.MkdirAll(filepath.Dir(common), 0o755)
	os.WriteFile(common, []byte("ssl_protocols SSLv3 TLSv1.2;\n"), 0o644)
	conf := func(name string) (string, string) {
		p := filepath.Join(dir, name, "nginx.conf")
		os.MkdirAll(filepath.Dir(p), 0o755)
		text := "events {}\nhttp {\n    include " + common + ";\n}\n"
		os.WriteFile(p, []byte(text), 0o644)
		return p, text
	}
	prod, ptext := conf("prod")
	staging, stext := conf("staging")
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open(fileURI(prod), ptext)
	w.open(fileURI(staging), stext)
	hasSSLv3 := func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == fileURI(common) &&
			strings.Contains(codes(p["diagnostics"].([]any)), "tls-protocol-sslv3")
	}
	// Both configurations have been analysed once.
	w.diagnostics(fileURI(prod), 1)
	w.diagnostics(fileURI(staging), 1)
	w.wait(0, "the snippet's finding", hasSSLv3)
	from := w.mark()
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": fileURI(staging), "version": 2},
		"contentChanges": []any{map[string]any{"text": "events {}\nhttp {\n}\n"}},
	})
	m, _ := w.wait(from, "the snippet re-published", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == fileURI(common)
	})
	if !hasSSLv3(m) {
		t.Errorf("staging's change cleared prod's finding on the shared snippet: %v", m["params"])
	}
}

// Closing a file analysed alone clears its diagnostics, and nothing
// published afterwards brings them back.
func TestWorkspaceCloseClears(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lonely.conf")
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	for i := 0; i < 5; i++ {
		w.open(fileURI(p), "ssl_protocols SSLv3;\n")
		w.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": fileURI(p), "version": 2},
			"contentChanges": []any{map[string]any{"text": "ssl_protocols SSLv3 TLSv1;\n"}},
		})
		w.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": fileURI(p)}})
		// A request answered after the close orders what came before it.
		w.result(w.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": fileURI(p)}}))
		time.Sleep(50 * time.Millisecond)
		w.mu.Lock()
		var last map[string]any
		for _, m := range w.messages {
			if pp, _ := m["params"].(map[string]any); m["method"] == "textDocument/publishDiagnostics" && pp["uri"] == fileURI(p) {
				last = pp
			}
		}
		w.mu.Unlock()
		// Nothing at all was published when the close came first.
		if last != nil && len(last["diagnostics"].([]any)) != 0 {
			t.Fatalf("round %d: after close the file still shows %v", i, last)
		}
	}
}

// A file outside the workspace folder, included by the folder's nginx.conf,
// is analysed with it.
func TestWorkspaceFolderMain(t *testing.T) {
	ws, elsewhere := t.TempDir(), t.TempDir()
	snippet := filepath.Join(elsewhere, "tls.conf")
	os.WriteFile(snippet, []byte("ssl_protocols TLSv1.2;\n"), 0o644)
	main := filepath.Join(ws, "nginx.conf")
	os.WriteFile(main, []byte("events {}\nhttp {\n    include "+snippet+";\n    server {\n        listen 443 ssl;\n    }\n}\n"), 0o644)
	w := startWire(t, nil)
	params := map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{},
		"workspaceFolders": []any{map[string]any{"uri": fileURI(ws), "name": "ws"}}}
	w.result(w.call("initialize", params))
	w.notify("initialized", map[string]any{})
	w.open(fileURI(snippet), "ssl_protocols TLSv1.2;\n")
	ds := w.diagnostics(fileURI(snippet), 1)
	for _, d := range ds {
		if codeOf(d) == "tls-protocol-no-tls13" {
			rel, _ := d.(map[string]any)["relatedInformation"].([]any)
			for _, r := range rel {
				if strings.Contains(r.(map[string]any)["message"].(string), "included here") {
					return // analysed as part of the folder's configuration
				}
			}
			t.Fatalf("the snippet was analysed alone: %v", d)
		}
	}
	t.Fatalf("diagnostics: %s", codes(ds))
}

// A snippet two configurations include is judged in both: pulled
// diagnostics say what each configuration says of it.
func TestPullInSeveralConfigurations(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".nginxls.toml"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "a.conf"), []byte("events {}\nhttp {\n    ssl_protocols TLSv1 TLSv1.2;\n    include site.inc;\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.conf"), []byte("events {}\nhttp {\n    ssl_ecdh_curve secp192r1:X25519;\n    include site.inc;\n}\n"), 0o644)
	site := filepath.Join(dir, "site.inc")
	text := "server {\n    listen 443 ssl;\n    ssl_certificate c.pem;\n    ssl_certificate_key k.pem;\n}\n"
	os.WriteFile(site, []byte(text), 0o644)
	w := startWire(t, nil)
	w.initialize(map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{}}}, nil)
	w.open(fileURI(site), text)
	rep := w.result(w.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": fileURI(site)}})).(map[string]any)
	var msgs []string
	for _, d := range rep["items"].([]any) {
		msgs = append(msgs, codeOf(d)+": "+d.(map[string]any)["message"].(string))
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "TLSv1") || !strings.Contains(all, "secp192r1") {
		t.Errorf("the snippet's diagnostics miss one configuration's inheritance:\n%s", all)
	}
}

// A project file with an error is said in a message and a diagnostic on
// its line; once fixed on disk, the diagnostic is cleared.
func TestProjectFileError(t *testing.T) {
	dir := t.TempDir()
	toml := filepath.Join(dir, ".nginxls.toml")
	os.WriteFile(toml, []byte("profile = \"intermediate\"\nnginx_version = \"1.24.0\"\n"), 0o644)
	conf := filepath.Join(dir, "site.conf")
	os.WriteFile(conf, []byte("ssl_protocols TLSv1.2;\n"), 0o644)
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	w.open(fileURI(conf), "ssl_protocols TLSv1.2;\n")
	w.wait(0, "a message about the project file", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		msg, _ := p["message"].(string)
		return m["method"] == "window/showMessage" && strings.Contains(msg, "nginx_version")
	})
	ds := w.diagnostics(fileURI(toml), -1)
	if len(ds) != 1 {
		t.Fatalf("project file diagnostics: %v", ds)
	}
	if sl, _, _, _ := rng(ds[0]); sl != 1 {
		t.Errorf("the diagnostic is on line %d, want 1 (0-based)", sl)
	}
	from := w.mark()
	os.WriteFile(toml, []byte("profile = \"intermediate\"\nnginx-version = \"1.24.0\"\n"), 0o644)
	w.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(toml), "type": 2}}})
	w.wait(from, "the project file's diagnostic cleared", func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == fileURI(toml) && len(p["diagnostics"].([]any)) == 0
	})
}
