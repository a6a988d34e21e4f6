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
follow is reported here, on the include's argument. An absolute path outside the configuration's
folders that does not exist on the checking machine (` + "`/etc/letsencrypt/options-ssl-nginx.conf`" + `
in a repository) is a warning, not an error: map its folder to a copy with ` + "`[paths]`" + ` in
` + "`.nginxls.toml`" + ` or ` + "`--path /etc/letsencrypt=DIR`" + `. Until then, findings that assert what a
block lacks or inherits (no certificate, nginx's default ciphers, no HSTS header) are held back
for the blocks that hold or inherit such an include, since it may set what they say is missing.
The same holds, as warnings, for the includes of a file no main configuration includes, whose
folder nginx resolves them against is not known, and, as information, for the files nginx's
packages install beside ` + "`nginx.conf`" + ` (` + "`mime.types`" + `, ` + "`fastcgi_params`" + `, ...), which a repository
usually leaves out and every nginx installation has.

Severity: error where nginx itself would fail (the tree's own file is missing, or an include
loops). A warning where the file is only absent from the checking machine, or where the folder
an include is resolved against is not known: nginx may find the file where it runs, and does not
start if it does not. Information for nginx's packaged files, which every installation has.`,
	Refs: []string{"https://nginx.org/en/docs/ngx_core_module.html#include"},
	Run:  runInclude,
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
