package lsp

import (
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
