package lsp

import (
	"encoding/json"
	"strings"
	"testing"
)

// A client that shows hovers only as plain text (eglot 1.9 without
// markdown-mode) must not get Markdown markup labelled plaintext.
func TestPlainTextHover(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{"textDocument": map[string]any{"hover": map[string]any{"contentFormat": []string{"plaintext"}}}}, nil)
	w.open("file:///h.conf", weakConf)
	w.diagnostics("file:///h.conf", 1)
	hover := w.result(w.call("textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": "file:///h.conf"},
		"position":     map[string]any{"line": 4, "character": 26},
	})).(map[string]any)
	c := hover["contents"].(map[string]any)
	text := c["value"].(string)
	if c["kind"] != "plaintext" || !strings.Contains(text, "tls-protocol-legacy-tls") {
		t.Fatalf("hover = %v %q", c["kind"], text)
	}
	if strings.ContainsAny(text, "*`<") {
		t.Errorf("plain-text hover has Markdown markup: %q", text)
	}
}

func TestPlainText(t *testing.T) {
	md := "**ssl_protocols** · `x`\n\n```nginx\nssl_protocols **a** `b`;\n```\n\nSee <https://nginx.org/a#b>, RFC 8996."
	want := "ssl_protocols · x\n\nssl_protocols **a** `b`;\n\nSee https://nginx.org/a#b, RFC 8996."
	if got := plainText(md); got != want {
		t.Errorf("plainText = %q, want %q", got, want)
	}
}

// Two findings fixed by the same edit (TLSv1 and TLSv1.1 of one
// ssl_protocols) offer that fix once, for both.
func TestCodeActionsOfferedOnce(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	text := "server {\n    listen 443 ssl;\n    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;\n}\n"
	w.open("file:///once.conf", text)
	w.diagnostics("file:///once.conf", 1)
	actions := codeActions(w, "file:///once.conf", 2, 0, 2, 40)
	titles := map[string]int{}
	for _, a := range actions {
		am := a.(map[string]any)
		title := am["title"].(string)
		titles[title]++
		if strings.HasPrefix(title, "Set ssl_protocols") && len(am["diagnostics"].([]any)) < 2 {
			t.Errorf("%q lists %d findings, want both", title, len(am["diagnostics"].([]any)))
		}
	}
	set := 0
	for title, n := range titles {
		if n > 1 {
			t.Errorf("%q offered %d times", title, n)
		}
		if strings.HasPrefix(title, "Set ssl_protocols") {
			set++
		}
	}
	if set != 1 {
		t.Errorf("actions: %v", titles)
	}
}

// Fixing all applies safe fixes only; an unsafe quick fix is offered but
// never preferred.
func TestFixAllSafeOnly(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, nil)
	text := "server {\n    listen 443 ssl;\n    ssl_certificate c.pem;\n    ssl_certificate_key k.pem;\n    ssl_protocols TLSv1 TLSv1.2;\n}\n"
	w.open("file:///safe.conf", text)
	w.diagnostics("file:///safe.conf", 1)
	all := codeActions(w, "file:///safe.conf", 0, 0, 0, 0, "source.fixAll.nginxls")
	if len(all) != 1 {
		t.Fatalf("fix-all actions: %v", all)
	}
	if b, _ := json.Marshal(all[0]); strings.Contains(string(b), "Strict-Transport-Security") || !strings.Contains(string(b), "TLSv1.2 TLSv1.3") {
		t.Errorf("fix all: %s", b)
	}
	quick := codeActions(w, "file:///safe.conf", 0, 0, 6, 0)
	hsts := false
	for _, a := range quick {
		am := a.(map[string]any)
		if strings.Contains(am["title"].(string), "Strict-Transport-Security") {
			hsts = true
			if am["isPreferred"] == true {
				t.Errorf("the unsafe HSTS fix is preferred: %v", am)
			}
		}
	}
	if !hsts {
		t.Errorf("the HSTS fix is not offered at all")
	}
}

// codeActions asks for the code actions of a range, of the given kinds
// (all when none).
func codeActions(w *wire, uri string, sl, sc, el, ec int, only ...string) []any {
	ctx := map[string]any{"diagnostics": []any{}}
	if len(only) > 0 {
		ctx["only"] = only
	}
	return w.result(w.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        map[string]any{"start": map[string]any{"line": sl, "character": sc}, "end": map[string]any{"line": el, "character": ec}},
		"context":      ctx,
	})).([]any)
}
