package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var ConfCommand = &analysis.Analyzer{
	ID:       "tls-conf-command-override",
	Title:    "ssl_conf_command overrides a TLS directive, or drops inherited commands",
	Severity: analysis.Hint,
	Run:      runConfCommand,
}

var confCommandSince = config.MustVersion("1.19.4")

// confCommandOverrides say what an OpenSSL command does to the setting of
// an nginx directive of the same family (ssl_, proxy_ssl_, ...).
var confCommandOverrides = map[string]struct{ directive, does string }{
	"cipherstring": {"ciphers", "replaces the list %s sets"},
	"protocol":     {"protocols", "switches on or off only the versions it names, over what %s enables"},
	"minprotocol":  {"protocols", "can only narrow the protocols %s enables"},
	"maxprotocol":  {"protocols", "can only narrow the protocols %s enables"},
	"groups":       {"ecdh_curve", "replaces the groups %s sets"},
	"curves":       {"ecdh_curve", "replaces the groups %s sets"},
}

// confCommandOptions are the Options flags that do what a directive does.
var confCommandOptions = map[string]string{"sessionticket": "session_tickets", "serverpreference": "prefer_server_ciphers"}

func runConfCommand(p *analysis.Pass) {
	type level struct {
		block *syntax.Directive
		name  string
	}
	seen := map[level]bool{} // a level's commands are judged once for dropping
	for _, l := range p.Config.Named(confCommandDirectives...) {
		f, d := l.File, l.Dir
		family := strings.TrimSuffix(d.Name.Value, "conf_command") // "ssl_", "proxy_ssl_", ...
		if !p.Settings.Nginx.AtLeast(confCommandSince) {
			continue // the directive does not exist there: nginx-directive-version says so
		}
		if len(d.Args) == 2 {
			reportOverride(p, f, d, family)
		}
		if d.Parent != nil && !seen[level{d.Parent, d.Name.Value}] {
			seen[level{d.Parent, d.Name.Value}] = true
			reportDroppedCommands(p, d.Parent, d.Name.Value)
		}
	}
}

// reportOverride points a command at the directive whose setting it
// overrides, when that directive exists in the family.
func reportOverride(p *analysis.Pass, f *syntax.File, d *syntax.Directive, family string) {
	cmd, value := strings.ToLower(d.Args[0].Value), d.Args[1].Value
	var target, does string
	if o, ok := confCommandOverrides[cmd]; ok {
		target, does = family+o.directive, o.does
	} else if cmd == "options" {
		for _, flag := range strings.FieldsFunc(strings.ToLower(value), func(r rune) bool { return r == ',' || r == ' ' }) {
			if name, ok := confCommandOptions[strings.TrimLeft(flag, "-+")]; ok {
				target, does = family+name, "overrides what %s sets"
			}
		}
	}
	if target == "" || !directives.Known(target) {
		return // no such directive in this family (proxy_ssl_ecdh_curve): the command is the only way
	}
	what := d.Args[0].Value
	if len(value) <= 30 { // a cipher string is in the range already
		what += " " + value
	}
	msg := fmt.Sprintf("OpenSSL applies %s after nginx's own settings: it %s", what, fmt.Sprintf(does, target))
	var rel []analysis.Related
	if d.Parent != nil {
		if o := p.Config.Effective(d.Parent, target); o != nil {
			rel = []analysis.Related{{File: p.Config.FileOf(o), Span: directiveSpan(o), Message: "overridden by " + d.Name.Value + " " + d.Args[0].Value}}
		}
	}
	p.Report(analysis.Diagnostic{File: f, Span: valueSpan(d), Message: msg, Related: rel})
}

// commandKey is what makes a command of a level replace an inherited one:
// its name, and for the commands whose values add up (Options, Protocol)
// its value too.
func commandKey(d *syntax.Directive) string {
	if len(d.Args) == 0 {
		return ""
	}
	k := strings.ToLower(d.Args[0].Value)
	if (k == "options" || k == "protocol") && len(d.Args) > 1 {
		k += " " + d.Args[1].Value
	}
	return k
}

// reportDroppedCommands tells a block with commands of its own which
// commands of the enclosing levels it no longer inherits.
func reportDroppedCommands(p *analysis.Pass, level *syntax.Directive, name string) {
	own, lost := droppedInherited(p, level, name, commandKey)
	// An include that could not be read, in the level or above it, may
	// repeat the commands or change what is inherited.
	if len(lost) == 0 || p.Config.Incomplete(level) {
		return
	}
	var dropped, names []string
	var rel []analysis.Related
	for _, c := range lost {
		dropped = append(dropped, wordsText(c))
		cmd := strings.Join(c.ArgValues(), " ")
		if len(cmd) > 40 && len(c.Args) > 0 { // a cipher string: its name is enough
			cmd = c.Args[0].Value
		}
		names = append(names, cmd)
		rel = append(rel, analysis.Related{File: p.Config.FileOf(c), Span: directiveSpan(c), Message: "no longer inherited"})
	}
	first, last := own[0], own[len(own)-1]
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(first), Span: first.Name.Span, Related: rel,
		Message: fmt.Sprintf("this %s's own %s drops the inherited %s",
			level.Name.Value, name, capList(names, 1, "commands")),
		Fixes: []analysis.SuggestedFix{{Title: "Repeat the inherited commands here",
			Edits: []analysis.TextEdit{insertLinesAfter(p.Config.FileOf(last), last, dropped...)}}}})
}

// wordsText is a simple directive rebuilt from its words, comments and line
// breaks left out.
func wordsText(d *syntax.Directive) string {
	words := []string{d.Name.Raw}
	for _, a := range d.Args {
		words = append(words, a.Raw)
	}
	return strings.Join(words, " ") + ";"
}
