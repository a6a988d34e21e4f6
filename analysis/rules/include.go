package rules

import (
	"github.com/nginxls/nginxls/analysis"
)

var Include = &analysis.Analyzer{
	ID:       "nginx-include",
	Title:    "An include cannot be followed",
	Severity: analysis.Error,
	Doc: `nginx reads included files at start-up: a missing file (a path that is not a glob) stops it
with "open() failed", and an include that leads back to a file already being read never ends.
A glob that matches nothing is fine for nginx. Relative paths are resolved against the directory
of the main configuration (nginx's prefix), not against the including file, a frequent surprise
with snippets.

nginxls follows includes to analyse the configuration as nginx loads it; what it could not
follow is reported here, on the include's argument.`,
	Refs: []string{"https://nginx.org/en/docs/ngx_core_module.html#include"},
	Run: func(p *analysis.Pass) {
		for _, pr := range p.Config.Problems {
			p.Reportf(pr.File, pr.Span, "%s", pr.Msg)
		}
	},
}
