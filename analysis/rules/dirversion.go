package rules

import (
	"fmt"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var DirectiveVersion = &analysis.Analyzer{
	ID:        "nginx-directive-version",
	Title:     "Directive newer than the target nginx",
	Severity:  analysis.Error,
	Run:       directiveVersion.Run,
	RunServer: directiveVersion.RunServer,
}

var directiveVersion = eachPlaced(checkDirectiveVersion)

func checkDirectiveVersion(p *analysis.Pass, d *syntax.Directive, ctx directives.Context) {
	var oldest config.Version
	found := false
	for _, v := range directives.Variants(d.Name.Value) {
		if !v.AllowedIn(ctx) {
			continue
		}
		if v.Plus || v.ThirdParty || strings.Contains(v.Module, "_js_") {
			return
		}
		since, ok := sinceOf(v)
		if !ok {
			return // no version documented: as old as nginx, as far as we know
		}
		if !found || !since.AtLeast(oldest) {
			oldest, found = since, true
		}
	}
	if !found || p.Settings.Nginx.AtLeast(oldest) {
		return
	}
	msg := fmt.Sprintf("%q appeared in nginx %s: nginx %s refuses to start (unknown directive)", d.Name.Value, oldest, p.Settings.Nginx)
	if bornElsewhereEarlier(d.Name.Value, ctx, p.Settings.Nginx) {
		msg = fmt.Sprintf("%q is accepted here since nginx %s: nginx %s refuses to start (not allowed here)", d.Name.Value, oldest, p.Settings.Nginx)
	}
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(d), Span: d.Name.Span, Message: msg})
}

// bornElsewhereEarlier reports a directive the target version knows in
// other places (server_name in http, before it came to stream).
func bornElsewhereEarlier(name string, ctx directives.Context, target config.Version) bool {
	for _, v := range directives.Variants(name) {
		if v.AllowedIn(ctx) {
			continue
		}
		if since, ok := sinceOf(v); !ok || target.AtLeast(since) {
			return true
		}
	}
	return false
}

// sinces holds the parsed version of each directive of the table: the rule
// asks for thousands of directives on every edit.
var sinces sync.Map // *directives.Directive -> sinceVersion

type sinceVersion struct {
	v  config.Version
	ok bool
}

func sinceOf(d *directives.Directive) (config.Version, bool) {
	if s, ok := sinces.Load(d); ok {
		return s.(sinceVersion).v, s.(sinceVersion).ok
	}
	v, err := config.ParseVersion(d.Since)
	sinces.Store(d, sinceVersion{v, err == nil})
	return v, err == nil
}
