package lsp

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/nginxls/nginxls/analysis/syntax/synthtest"
)

// diagsAt makes a list of diagnostics with the given severities, one a
// line, in that order.
func diagsAt(sevs ...protocol.DiagnosticSeverity) []protocol.Diagnostic {
	out := make([]protocol.Diagnostic, len(sevs))
	for i, s := range sevs {
		out[i] = protocol.Diagnostic{Range: protocol.Range{Start: protocol.Position{Line: uint32(i)}, End: protocol.Position{Line: uint32(i), Character: 1}},
			Severity: s, Message: protocol.String(fmt.Sprint(i))}
	}
	return out
}

// limited is a list as limitDiagnostics shows it: the notice, if any, then
// the items kept.
func limited(ds []protocol.Diagnostic, limit int) []protocol.Diagnostic {
	kept, notice := limitDiagnostics(ds, limit, func(d *protocol.Diagnostic) protocol.DiagnosticSeverity { return d.Severity })
	if notice != nil {
		return append([]protocol.Diagnostic{*notice}, kept...)
	}
	return kept
}

func TestLimitDiagnostics(t *testing.T) {
	const E, W, I, H = protocol.DiagnosticSeverityError, protocol.DiagnosticSeverityWarning, protocol.DiagnosticSeverityInformation, protocol.DiagnosticSeverityHint
	ds := diagsAt(H, W, E, I, W, E, H, W, E, I) // lines 0..9
	lines := func(ds []protocol.Diagnostic) string {
		var b strings.Builder
		for _, d := range ds {
			fmt.Fprintf(&b, "%d ", d.Range.Start.Line)
		}
		return strings.TrimSpace(b.String())
	}
	// Within the limit (or none): all, errors first, document order
	// within a severity, and no notice.
	for _, limit := range []int{0, 10, 11} {
		if got := lines(limited(ds, limit)); got != "2 5 8 1 4 7 3 9 0 6" {
			t.Errorf("limit %d: lines %s", limit, got)
		}
	}
	// Over it: the notice first, then the first of the order.
	got := limited(ds, 4)
	if len(got) != 5 {
		t.Fatalf("limit 4: %d diagnostics", len(got))
	}
	n := got[0]
	if n.Range != (protocol.Range{}) || n.Severity != I || n.Code != nil {
		t.Errorf("notice: %+v", n)
	}
	want := "6 more findings not shown (2 warnings, 2 info, 2 hints): the maxDiagnostics setting is 4; `nginxls check` lists them all"
	if n.Message != protocol.String(want) {
		t.Errorf("notice %q, want %q", n.Message, want)
	}
	if l := lines(got[1:]); l != "2 5 8 1" {
		t.Errorf("limit 4: lines %s", l)
	}
	if m := limited(ds, 9)[0].Message; m != protocol.String("1 more finding not shown (1 hint): the maxDiagnostics setting is 9; `nginxls check` lists them all") {
		t.Errorf("one left out: %q", m)
	}
	if m := limited(ds, 2)[0].Message; !strings.HasPrefix(string(m.(protocol.String)), "8 more findings not shown (1 error, 3 warnings, 2 info, 2 hints)") {
		t.Errorf("errors left out: %q", m)
	}
	// The input is not reordered in place (it may be what a unit said).
	if lines(ds) != "0 1 2 3 4 5 6 7 8 9" {
		t.Errorf("input reordered: %s", lines(ds))
	}
	if got := limited(nil, 5); len(got) != 0 {
		t.Errorf("none: %v", got)
	}
}

// limitCheck checks a published list against the limit: exactly limit
// items and the notice when there are more than limit findings (total),
// errors before warnings before information before hints, and the notice
// counting the rest exactly.
func limitCheck(t *testing.T, ds []any, limit, total int) {
	t.Helper()
	shown := len(ds)
	if total > limit && limit > 0 {
		if shown != limit+1 {
			t.Fatalf("%d findings, limit %d: %d published, want %d", total, limit, shown, limit+1)
		}
		n := ds[0].(map[string]any)
		if sl, sc, el, ec := rng(n); sl+sc+el+ec != 0 || n["severity"] != float64(protocol.DiagnosticSeverityInformation) {
			t.Errorf("notice: %v", n)
		}
		m := regexp.MustCompile(`^(\d+) more findings not shown \(.*\): the maxDiagnostics setting is (\d+);`).FindStringSubmatch(n["message"].(string))
		if m == nil {
			t.Fatalf("notice message %q", n["message"])
		}
		if left, _ := strconv.Atoi(m[1]); left != total-limit || m[2] != strconv.Itoa(limit) {
			t.Errorf("notice %q: want %d left out of %d", n["message"], total-limit, total)
		}
		ds = ds[1:]
	} else if shown != total {
		t.Fatalf("%d findings, limit %d: %d published", total, limit, shown)
	}
	last := 0.0
	for i, d := range ds {
		sev := d.(map[string]any)["severity"].(float64)
		if sev < last {
			t.Fatalf("item %d (severity %v) after one of severity %v: %v", i, sev, last, d)
		}
		if strings.Contains(d.(map[string]any)["message"].(string), " not shown (") {
			t.Fatalf("a notice where findings should be: %v", d)
		}
		last = sev
	}
}

// severities counts a list's items by severity.
func severities(ds []any) map[float64]int {
	out := map[float64]int{}
	for _, d := range ds {
		out[d.(map[string]any)["severity"].(float64)]++
	}
	return out
}

// A configuration with more findings than the limit, of every severity it
// has: the published list is the limit and a notice; the setting changed
// republishes; maxDiagnostics 0 publishes everything.
func TestMaxDiagnosticsPush(t *testing.T) {
	text := string(synthtest.GenerateTLSConfig(22))
	const u = "file:///big/limit.conf"

	all := startWire(t, nil)
	all.initialize(map[string]any{}, map[string]any{"maxDiagnostics": 0})
	all.open(u, text)
	full := all.diagnostics(u, 1)
	sev := severities(full)
	if len(full) < 60 || sev[1] == 0 || sev[2] == 0 {
		t.Fatalf("the configuration should have errors and warnings, more than 60 findings: %v", sev)
	}
	limitCheck(t, full, 0, len(full))

	w := startWire(t, nil)
	w.initialize(map[string]any{}, map[string]any{"nginxls": map[string]any{"maxDiagnostics": 40}})
	w.open(u, text)
	ds := w.diagnostics(u, 1)
	limitCheck(t, ds, 40, len(full))
	// The kept are the first of the full list in the order: every error,
	// then the first warnings.
	if d := firstDifference(t, ds[1:], full[:40]); d != "" {
		t.Errorf("the kept are not the first of the order: %s", d)
	}

	// No limit now: the whole list, as the other server published it.
	from := w.mark()
	w.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"nginxls": map[string]any{"maxDiagnostics": 0}}})
	m, _ := w.wait(from, "republished diagnostics", func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" })
	got := m["params"].(map[string]any)["diagnostics"].([]any)
	if d := firstDifference(t, got, full); d != "" {
		t.Errorf("maxDiagnostics 0: not the full list: %s", d)
	}
	// Back to the default, which this file is under.
	from = w.mark()
	w.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{}})
	m, _ = w.wait(from, "republished diagnostics", func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" })
	if got := m["params"].(map[string]any)["diagnostics"].([]any); len(got) != len(full) {
		t.Errorf("default limit: %d published, want %d", len(got), len(full))
	}
	// A small one.
	from = w.mark()
	w.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"maxDiagnostics": 3}})
	m, _ = w.wait(from, "republished diagnostics", func(m map[string]any) bool { return m["method"] == "textDocument/publishDiagnostics" })
	limitCheck(t, m["params"].(map[string]any)["diagnostics"].([]any), 3, len(full))
}

// firstDifference describes where two lists of diagnostics first differ,
// or is "".
func firstDifference(t *testing.T, a, b []any) string {
	t.Helper()
	for i := range min(len(a), len(b)) {
		if x, y := mustJSON(t, a[i]), mustJSON(t, b[i]); x != y {
			return fmt.Sprintf("item %d of %d/%d: %s, want %s", i, len(a), len(b), x, y)
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("%d items, want %d", len(a), len(b))
	}
	return ""
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Pushed diagnostics, published edit after edit,
// equal the pulled ones of the same text, over the limit, under it and
// crossing it both ways.
func TestMaxDiagnosticsPushMatchesPull(t *testing.T) {
	const u = "file:///big/edits.conf"
	const limit = 40
	opts := map[string]any{"maxDiagnostics": limit}
	push := startWire(t, nil)
	push.initialize(map[string]any{}, opts)
	pull := startWire(t, nil)
	pull.initialize(map[string]any{"textDocument": map[string]any{"diagnostic": map[string]any{}}}, opts)

	big := string(synthtest.GenerateTLSConfig(22))
	weak := strings.Index(big, "TLSv1 TLSv1.1") // in the seventh server
	texts := []string{
		big,
		big[:weak] + big[weak+len("TLSv1 TLSv1.1 "):], // fewer errors, still over
		string(synthtest.GenerateTLSConfig(3)),        // under
		string(synthtest.GenerateTLSConfig(14)),       // over again
		big,
	}
	totals := map[int]bool{}
	for i, text := range texts {
		v := i + 1
		if i == 0 {
			push.open(u, text)
			pull.open(u, text)
		} else {
			for _, w := range []*wire{push, pull} {
				w.notify("textDocument/didChange", map[string]any{
					"textDocument":   map[string]any{"uri": u, "version": v},
					"contentChanges": []any{map[string]any{"text": text}},
				})
			}
		}
		pushed := push.diagnostics(u, v)
		rep := pull.result(pull.call("textDocument/diagnostic", map[string]any{"textDocument": map[string]any{"uri": u}})).(map[string]any)
		pulled := rep["items"].([]any)
		if d := firstDifference(t, pushed, pulled); d != "" {
			t.Errorf("version %d: pushed and pulled differ: %s", v, d)
		}
		total := len(pushed)
		if len(pushed) > 0 && strings.Contains(pushed[0].(map[string]any)["message"].(string), "more findings not shown") {
			var left int
			fmt.Sscan(pushed[0].(map[string]any)["message"].(string), &left)
			total = limit + left
		}
		limitCheck(t, pushed, limit, total)
		totals[total] = total > limit
	}
	over, under := 0, 0
	for _, o := range totals {
		if o {
			over++
		} else {
			under++
		}
	}
	if over < 2 || under < 1 {
		t.Errorf("the edits should cross the limit both ways: %v", totals)
	}
}

func TestParseMaxDiagnostics(t *testing.T) {
	for raw, want := range map[string]int{
		`{}`:                                    defaultMaxDiagnostics,
		`{"maxDiagnostics":0}`:                  0,
		`{"maxDiagnostics":20}`:                 20,
		`{"nginxls":{"maxDiagnostics":7}}`:      7,
		`{"maxDiagnostics":-1}`:                 defaultMaxDiagnostics,
		`{"maxDiagnostics":"lots"}`:             defaultMaxDiagnostics,
		`{"nginxls":{"nginxVersion":"1.24.0"}}`: defaultMaxDiagnostics,
	} {
		if es, _ := parseSettings([]byte(raw)); es.maxDiags != want {
			t.Errorf("%s: %d, want %d", raw, es.maxDiags, want)
		}
	}
	if _, err := parseSettings([]byte(`{"maxDiagnostics":-1}`)); err == nil || !strings.Contains(err.Error(), "maxDiagnostics") {
		t.Errorf("a negative maxDiagnostics is not reported: %v", err)
	}
	if _, err := parseSettings([]byte(`{"maxDiagnostics":0}`)); err != nil {
		t.Errorf("maxDiagnostics 0: %v", err)
	}
}
