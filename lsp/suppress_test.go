package lsp

import (
	"strings"
	"testing"
)

// The quick fixes of a finding end with one that inserts a suppression
// comment above its line; once applied, the finding is gone and the
// missing reason is reported instead.
func TestSuppressAction(t *testing.T) {
	w := startWire(t, nil)
	w.initialize(map[string]any{}, map[string]any{"rules": onlyRules("tls-early-data", "nginxls-ignore")})
	text := "http {\n    server {\n        ssl_early_data on;\n    }\n}\n"
	w.open("file:///s.conf", text)
	if ds := w.diagnostics("file:///s.conf", 1); len(ds) != 1 || codeOf(ds[0]) != "tls-early-data" {
		t.Fatalf("diagnostics = %v", ds)
	}
	actions := w.result(w.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": "file:///s.conf"},
		"range":        map[string]any{"start": map[string]any{"line": 2, "character": 24}, "end": map[string]any{"line": 2, "character": 24}},
		"context":      map[string]any{"diagnostics": []any{}},
	})).([]any)
	var suppress map[string]any
	for _, a := range actions {
		if a := a.(map[string]any); strings.Contains(a["title"].(string), "nginxls:ignore") {
			suppress = a
		}
	}
	if suppress == nil || suppress["kind"] != "quickfix" || suppress["isPreferred"] == true {
		t.Fatalf("no suppression action among %v", actions)
	}
	last := actions[len(actions)-1].(map[string]any)
	if last["title"] != suppress["title"] {
		t.Errorf("the suppression is not the last action: %v", actions)
	}
	edits := suppress["edit"].(map[string]any)["changes"].(map[string]any)["file:///s.conf"].([]any)
	e := edits[0].(map[string]any)
	if sl, sc, el, ec := rng(e); sl != 2 || sc != 0 || el != 2 || ec != 0 || e["newText"] != "        # nginxls:ignore tls-early-data\n" {
		t.Fatalf("edit = %v", e)
	}
	fixed := "http {\n    server {\n        # nginxls:ignore tls-early-data\n        ssl_early_data on;\n    }\n}\n"
	w.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": "file:///s.conf", "version": 2},
		"contentChanges": []any{map[string]any{"text": fixed}},
	})
	ds := w.diagnostics("file:///s.conf", 2)
	if len(ds) != 1 || codeOf(ds[0]) != "nginxls-ignore" {
		t.Errorf("after the suppression: %v", ds)
	}
}
