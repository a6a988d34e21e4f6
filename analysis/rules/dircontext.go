package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var DirectiveContext = &analysis.Analyzer{
	ID:       "nginx-directive-context",
	Title:    "Directive not allowed here",
	Severity: analysis.Error,
	Doc: `nginx refuses to start when a directive stands where no module accepts it ("\"listen\"
directive is not allowed here"): ` + "`listen`" + ` in http instead of a server, ` + "`proxy_pass`" + ` in a server
instead of a location, ` + "`ssl_protocols`" + ` at the top level, a stream directive in an http server.
The places each directive is accepted in come from nginx's own command tables.

Only what sits in a context known for certain is checked: the main configuration (the file
with the events or http block) and the files that declare theirs with a
` + "`# nginxls: context http`" + ` comment (or server, location, ...). A snippet on its own may be
included in several kinds of blocks. Directives nginx does not know (third-party modules) and
those of NGINX Plus are left alone.`,
	Refs: []string{"https://nginx.org/en/docs/beginners_guide.html#conf_structure", "https://nginx.org/en/docs/dirindex.html"},
	Run: func(p *analysis.Pass) {
		// The directives inside servers are the per-server check's.
		inServer := func(d *syntax.Directive) bool {
			s := p.Config.ServerOf(d)
			return s != nil && s.Block == d
		}
		for _, l := range p.Config.KnownLevels() {
			config.WalkContexts(l.Directives, l.Context, inServer, func(d *syntax.Directive, ctx directives.Context) {
				checkDirectiveContext(p, d, ctx)
			})
		}
	},
	RunServer: func(p *analysis.Pass, s *config.Server) {
		ctx, ok := p.Config.KnownContextOf(s.Block)
		if !ok {
			return
		}
		if inner := directives.BlockContext(s.Block.Name.Value, ctx); inner != 0 && s.Block.Block != nil {
			config.WalkContexts(s.Block.Block.Directives, inner, nil, func(d *syntax.Directive, ctx directives.Context) {
				checkDirectiveContext(p, d, ctx)
			})
		}
	},
}

func checkDirectiveContext(p *analysis.Pass, d *syntax.Directive, ctx directives.Context) {
	name := d.Name.Value
	vs := directives.Variants(name)
	if len(vs) == 0 || directives.Allowed(name, ctx) {
		return // unknown to nginx (a third-party module, or a typo nginx reports as such)
	}
	var where directives.Context
	for _, v := range vs {
		if v.Plus {
			return // NGINX Plus builds accept some in more places than documented
		}
		where |= v.Contexts
	}
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(d), Span: d.Name.Span,
		Message: fmt.Sprintf("%q directive is not allowed here: nginx refuses to start; it is accepted in %s, and this is %s",
			name, contextNames(where), contextNames(ctx))})
}

// contextNames says where a set of contexts is, in words.
func contextNames(c directives.Context) string {
	if c == directives.Any {
		return "any context"
	}
	words := map[string]string{
		"main": "the main context", "events": "the events block", "http": "the http block",
		"server": "a server", "location": "a location", "lif": "an if block in a location",
		"sif": "an if block in a server", "limit_except": "a limit_except block", "upstream": "an upstream",
		"stream": "the stream block", "stream_server": "a stream server", "stream_upstream": "a stream upstream",
		"mail": "the mail block", "mail_server": "a mail server",
	}
	var out []string
	for _, n := range strings.Split(c.String(), "|") {
		out = append(out, words[n])
	}
	if len(out) > 1 {
		return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
	}
	return out[0]
}
