package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var ConfCommand = &analysis.Analyzer{
	ID:       "tls-conf-command-override",
	Title:    "ssl_conf_command overrides a TLS directive, or drops inherited commands",
	Severity: analysis.Hint,
	Doc: "`ssl_conf_command` (nginx 1.19.4, OpenSSL 1.0.2 or newer) hands a setting straight to OpenSSL's\n" +
		"`SSL_CONF_cmd`, after nginx has applied its own directives: `CipherString` wins over\n" +
		"`ssl_ciphers`, `MinProtocol`/`MaxProtocol` over `ssl_protocols`, `Groups`/`Curves` over\n" +
		"`ssl_ecdh_curve`, `Options -SessionTicket` over `ssl_session_tickets`. Whoever reads only the\n" +
		"nginx directive is misled; the finding points at the directive it overrides. (The cipher rules\n" +
		"judge a `CipherString` as the list in force.)\n\n" +
		"Like `add_header`, the commands are inherited all or none: a server with one command of its own\n" +
		"loses every command of the http level. Before nginx 1.19.4 the directive does not exist, and\n" +
		"nginx refuses to start.",
	Refs: []string{"https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_conf_command", "https://docs.openssl.org/master/man3/SSL_CONF_cmd/"},
	Run:  runConfCommand,
}

var confCommandSince = config.MustVersion("1.19.4")

// confCommandOverrides are the OpenSSL commands that set what an nginx
// directive of the same block sets, by prefix of the directive family.
var confCommandOverrides = map[string]string{
	"cipherstring": "ciphers", "minprotocol": "protocols", "maxprotocol": "protocols", "protocol": "protocols",
	"groups": "ecdh_curve", "curves": "ecdh_curve",
}

func runConfCommand(p *analysis.Pass) {
	seen := map[*syntax.Directive]bool{} // a level's commands are judged once for dropping
	for _, l := range p.Config.Named(confCommandDirectives...) {
		f, d := l.File, l.Dir
		prefix := strings.TrimSuffix(d.Name.Value, "conf_command") // "ssl_", "proxy_ssl_", ...
		if !p.Settings.Nginx.AtLeast(confCommandSince) {
			p.Report(analysis.Diagnostic{File: f, Span: d.Name.Span, Severity: analysis.Error,
				Message: fmt.Sprintf("%s appeared in nginx 1.19.4: nginx %s refuses to start (unknown directive %q)", d.Name.Value, p.Settings.Nginx, d.Name.Value)})
			continue
		}
		if len(d.Args) == 2 {
			cmd := strings.ToLower(d.Args[0].Value)
			if name, ok := confCommandOverrides[cmd]; ok {
				target := prefix + name
				msg := fmt.Sprintf("OpenSSL applies %s %s after nginx's own settings: it overrides what %s sets", d.Args[0].Value, d.Args[1].Value, target)
				var rel []analysis.Related
				if d.Parent != nil {
					if o := p.Config.Effective(d.Parent, target); o != nil {
						rel = []analysis.Related{{File: p.Config.FileOf(o), Span: directiveSpan(o), Message: "overridden by " + d.Name.Value + " " + d.Args[0].Value}}
					}
				}
				p.Report(analysis.Diagnostic{File: f, Span: valueSpan(d), Message: msg, Related: rel})
			}
		}
		if level := d.Parent; level != nil && !seen[level] {
			seen[level] = true
			reportDroppedCommands(p, level, d.Name.Value)
		}
	}
}

// reportDroppedCommands tells a block with commands of its own which
// commands of the enclosing levels it no longer inherits.
func reportDroppedCommands(p *analysis.Pass, level *syntax.Directive, name string) {
	var inherited []*syntax.Directive
	if level.Parent == nil {
		inherited = topNamed(p, level, name)
	} else {
		inherited = p.Config.EffectiveAll(level.Parent, name)
	}
	if len(inherited) == 0 {
		return
	}
	own := kidsNamed(level, name)
	have := map[string]bool{}
	for _, c := range own {
		if len(c.Args) > 0 {
			have[strings.ToLower(c.Args[0].Value)] = true
		}
	}
	var dropped []string
	var rel []analysis.Related
	for _, c := range inherited {
		if len(c.Args) > 0 && !have[strings.ToLower(c.Args[0].Value)] {
			cf := p.Config.FileOf(c)
			dropped = append(dropped, directiveText(cf, c))
			rel = append(rel, analysis.Related{File: cf, Span: directiveSpan(c), Message: "no longer inherited"})
		}
	}
	if len(dropped) == 0 {
		return
	}
	first := own[0]
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(first), Span: first.Name.Span, Related: rel,
		Message: fmt.Sprintf("this %s's own %s drops the inherited %s: nginx inherits the commands all or none",
			level.Name.Value, name, strings.Join(dropped, " ")),
		Fixes: []analysis.SuggestedFix{{Title: "Repeat the inherited commands here",
			Edits: []analysis.TextEdit{insertLinesAfter(p.Config.FileOf(first), own[len(own)-1], dropped...)}}}})
}
