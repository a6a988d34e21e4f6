package lsp

import (
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/nginxls/nginxls/analysis"
)

// defaultMaxDiagnostics is how many diagnostics a file gets at most when
// the maxDiagnostics setting is not given. Editors choke on a large
// generated configuration's thousands of findings: VS Code keeps a
// thousand per file, eglot took most of a minute to show sixteen thousand.
const defaultMaxDiagnostics = 500

// limitDiagnostics picks what a file's diagnostics are shown as: errors
// first, then warnings, information and hints, each in document order, at
// most limit of them (0: all). When some are left out, notice says how
// many; it goes first, at the top of the file. Pushed and pulled
// diagnostics both go through it, so the two agree. It picks before the
// findings are translated to the protocol: a large file's thousands are
// translated only as far as they are shown.
//
// The order is the same whether or not the limit is reached: an edit that
// crosses it reorders nothing.
func limitDiagnostics[T any](ds []T, limit int, severity func(*T) protocol.DiagnosticSeverity) (kept []T, notice *protocol.Diagnostic) {
	var count [5]int // by severity; 0 (none given) is taken as an error
	sorted := true
	for i := range ds {
		count[rank(severity(&ds[i]))]++
		sorted = sorted && (i == 0 || rank(severity(&ds[i-1])) <= rank(severity(&ds[i])))
	}
	if sorted && (limit <= 0 || len(ds) <= limit) {
		return ds, nil
	}
	// How many of each severity are kept, and where they go.
	var take, at, left [5]int
	room := len(ds)
	if limit > 0 {
		room = min(room, limit)
	}
	next := 0
	for sev := 1; sev <= 4; sev++ {
		take[sev] = min(count[sev], room)
		room -= take[sev]
		left[sev] = count[sev] - take[sev]
		at[sev] = next
		next += take[sev]
	}
	kept = make([]T, next)
	for i := range ds {
		if sev := rank(severity(&ds[i])); take[sev] > 0 {
			kept[at[sev]] = ds[i]
			at[sev]++
			take[sev]--
		}
	}
	if next < len(ds) {
		n := limitNotice(left, limit)
		notice = &n
	}
	return kept, notice
}

// rank is a severity's place in the order, errors first.
func rank(s protocol.DiagnosticSeverity) int {
	if s < protocol.DiagnosticSeverityError || s > protocol.DiagnosticSeverityHint {
		return int(protocol.DiagnosticSeverityError)
	}
	return int(s)
}

// limitNotice is the diagnostic that stands for the findings left out:
// information, at the start of the file.
func limitNotice(left [5]int, limit int) protocol.Diagnostic {
	total := 0
	var parts []string
	for sev := 1; sev <= 4; sev++ {
		n := left[sev]
		if n == 0 {
			continue
		}
		total += n
		name := analysis.Severity(sev).String()
		if n > 1 && analysis.Severity(sev) != analysis.Info {
			name += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, name))
	}
	what := "findings"
	if total == 1 {
		what = "finding"
	}
	return protocol.Diagnostic{
		Severity: protocol.DiagnosticSeverityInformation,
		Source:   protocol.NewOptional("nginxls"),
		Message: protocol.String(fmt.Sprintf("%d more %s not shown (%s): the maxDiagnostics setting is %d; `nginxls check` lists them all",
			total, what, strings.Join(parts, ", "), limit)),
	}
}
