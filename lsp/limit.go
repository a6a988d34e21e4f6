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

// limitDiagnostics is what a file's diagnostics are shown as: errors first,
// then warnings, information and hints, each in document order, at most
// limit of them (0: all). When some are left out, a notice at the top of
// the file says how many, and comes first. Pushed and pulled diagnostics
// both go through it, so the two agree.
//
// The order is the same whether or not the limit is reached: an edit that
// crosses it reorders nothing.
func limitDiagnostics(ds []protocol.Diagnostic, limit int) []protocol.Diagnostic {
	var count [5]int // by severity; 0 (none given) is taken as an error
	for i := range ds {
		count[rank(&ds[i])]++
	}
	sorted := true
	for i := 1; i < len(ds) && sorted; i++ {
		sorted = rank(&ds[i-1]) <= rank(&ds[i])
	}
	if sorted && (limit <= 0 || len(ds) <= limit) {
		return ds
	}
	// How many of each severity are kept, and where they go.
	var take, at, left [5]int
	room := len(ds)
	if limit > 0 {
		room = min(room, limit)
	}
	notice := 0
	if room < len(ds) {
		notice = 1
	}
	next := notice
	for sev := 1; sev <= 4; sev++ {
		take[sev] = min(count[sev], room)
		room -= take[sev]
		left[sev] = count[sev] - take[sev]
		at[sev] = next
		next += take[sev]
	}
	out := make([]protocol.Diagnostic, next)
	for i := range ds {
		if sev := rank(&ds[i]); take[sev] > 0 {
			out[at[sev]] = ds[i]
			at[sev]++
			take[sev]--
		}
	}
	if notice > 0 {
		out[0] = limitNotice(left, limit)
	}
	return out
}

// rank is a diagnostic's place in the order: its severity, errors first.
func rank(d *protocol.Diagnostic) int {
	if d.Severity < protocol.DiagnosticSeverityError || d.Severity > protocol.DiagnosticSeverityHint {
		return int(protocol.DiagnosticSeverityError)
	}
	return int(d.Severity)
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
