package rules

import (
	"github.com/nginxls/nginxls/analysis"
)

var Include = &analysis.Analyzer{
	ID:       "nginx-include",
	Title:    "An include cannot be followed",
	Severity: analysis.Error,
	Run:      runInclude,
}

// runInclude reports what the loader could not follow. The same file
// included from several places is one finding, on the first include, with
// the others related: one file to create or map, not one per include.
func runInclude(p *analysis.Pass) {
	first := map[string]int{}
	var out []analysis.Diagnostic
	for _, pr := range p.Config.Problems {
		if i, ok := first[pr.Msg]; ok {
			out[i].Related = append(out[i].Related, analysis.Related{File: pr.File, Span: pr.Span, Message: "included here too"})
			continue
		}
		d := analysis.Diagnostic{File: pr.File, Span: pr.Span, Message: pr.Msg}
		switch {
		case pr.NotRead:
			// nginxls's own limit, not nginx's.
			d.Severity = analysis.Info
		case pr.Packaged:
			// nginx's own file, there wherever nginx is installed.
			d.Severity = analysis.Info
		case pr.Outside:
			// Absent from this machine, not necessarily from the server.
			d.Severity = analysis.Warning
		}
		first[pr.Msg] = len(out)
		out = append(out, d)
	}
	for _, d := range out {
		p.Report(d)
	}
}
