// Package explain writes the explanations shown on hover: what a finding
// means, what a directive does and its default for the target nginx, and
// what a protocol or curve name stands for. The texts come from the
// knowledge packages and the rules' documentation, never from here twice.
package explain

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// At explains what is at byte offset off of f: the word under it first
// (the suite, the protocol, the directive), then, briefly, the findings
// that cover it, each with a link to its rule's documentation (the editor
// shows the findings themselves already). ok is false when there is
// nothing to say.
func At(cfg *config.Config, f *syntax.File, off int, s analysis.Settings, diags []analysis.Diagnostic) (md string, span syntax.Span, ok bool) {
	var parts []string
	if dir, w := wordAt(f, off); w != nil {
		// In a configuration loaded with its includes, the model holds
		// copies of the file's directives (one per inclusion): ask about
		// the first, which knows its parents.
		if cfg != nil {
			if inst := cfg.Instances(dir); len(inst) > 0 {
				dir = inst[0]
			}
		}
		if text, wspan := word(cfg, dir, w, off, s); text != "" {
			parts = append(parts, text)
			span, ok = wspan, true
		}
	}
	var found []string
	seen := map[string]bool{}
	for _, d := range diags {
		if d.File == f && d.Span.Start <= off && off <= d.Span.End {
			if line := finding(d); !seen[line] {
				seen[line] = true
				found = append(found, line)
			}
			if !ok {
				span, ok = d.Span, true
			}
		}
	}
	if len(found) > 0 {
		parts = append(parts, strings.Join(found, "\n"))
	}
	return strings.Join(parts, "\n\n---\n\n"), span, ok
}

// finding is one line: the severity, the rule with a link to its
// documentation, the message.
func finding(d analysis.Diagnostic) string {
	rule := "`" + d.Rule + "`"
	if a := rules.Lookup(d.Rule); a != nil {
		rule = fmt.Sprintf("[`%s`](%s)", d.Rule, a.URL())
	}
	return fmt.Sprintf("- **%s** %s: %s", d.Severity, rule, d.Message)
}

// wordAt finds the directive and the word (name or argument) under off.
func wordAt(f *syntax.File, off int) (*syntax.Directive, *syntax.Word) {
	var dir *syntax.Directive
	var word *syntax.Word
	syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
		if off < d.Start() || off > d.End() {
			return false
		}
		for _, w := range append([]*syntax.Word{d.Name}, d.Args...) {
			if w.Start <= off && off <= w.End {
				dir, word = d, w
			}
		}
		return true
	})
	return dir, word
}

func word(cfg *config.Config, d *syntax.Directive, w *syntax.Word, off int, s analysis.Settings) (string, syntax.Span) {
	name := d.Name.Value
	if w == d.Name {
		if d.InEntryBlock() {
			return "", syntax.Span{}
		}
		return directive(cfg, d, s), w.Span
	}
	switch {
	case name == "ssl_protocols" || strings.HasSuffix(name, "_ssl_protocols"):
		if p := tlsdata.LookupProtocol(w.Value); p != nil {
			return protocol(p), w.Span
		}
	case name == "ssl_ecdh_curve" || name == "ssl_conf_command" && len(d.Args) == 2 && w == d.Args[1] &&
		(strings.EqualFold(d.Args[0].Value, "Groups") || strings.EqualFold(d.Args[0].Value, "Curves")):
		return group(w, off, s)
	case isCipherValue(d, w) && !strings.Contains(w.Value, "$"):
		return cipher(w, off, s)
	case name == "listen" && w.Value == "ssl":
		return negotiationHover(cfg, d, s), w.Span
	case name == "ssl_early_data" && w.Value == "on":
		return rules.EarlyData.Doc, w.Span
	}
	return "", syntax.Span{}
}

// directive explains a directive name: nginx's facts from the directive
// table, the default for the target version, what it does and Mozilla's
// recommendation for TLS directives, and the value in effect here.
func directive(cfg *config.Config, d *syntax.Directive, s analysis.Settings) string {
	name := d.Name.Value
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", name)
	info := directiveInfo(cfg, d)
	if info != nil {
		if len(info.Syntax) > 0 {
			b.WriteString("\n\n```nginx\n" + strings.Join(info.Syntax, "\n") + "\n```")
		}
	}
	if n, ok := tlsdata.DirectiveNotes[name]; ok {
		b.WriteString("\n\n" + n.What)
	}
	if def, ok := config.Default(name, s.Nginx); ok {
		fmt.Fprintf(&b, "\n\nDefault on nginx %s: `%s %s;`", s.Nginx, name, strings.Join(def, " "))
	} else if info != nil && info.Default != "" {
		fmt.Fprintf(&b, "\n\nDefault: `%s %s;`", name, info.Default)
	}
	if n, ok := tlsdata.DirectiveNotes[name]; ok && n.Recommend != "" {
		b.WriteString("\n\nRecommended (Mozilla intermediate): " + n.Recommend)
	}
	if cfg != nil && d.Block == nil {
		if eff := effectiveHere(cfg, d); eff != "" {
			b.WriteString("\n\n" + eff)
		}
	}
	if name == "ssl_protocols" || name == "ssl_ciphers" || name == "listen" && listensTLS(d) {
		if n := negotiationHover(cfg, d, s); n != "" {
			b.WriteString("\n\n" + n)
		}
	}
	if info != nil {
		if info.Since != "" {
			fmt.Fprintf(&b, "\n\nSince nginx %s. ", info.Since)
		} else {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "Allowed in %s. <%s>", info.Contexts.Words(), info.URL)
	}
	return b.String()
}

// directiveInfo finds the table entry for a directive where it stands.
func directiveInfo(cfg *config.Config, d *syntax.Directive) *directives.Directive {
	if cfg != nil {
		if info, ok := directives.LookupIn(d.Name.Value, cfg.ContextOf(d)); ok {
			return info
		}
	}
	if info, ok := directives.Lookup(d.Name.Value); ok {
		return info
	}
	return nil
}

// effectiveHere says whether this occurrence is the one in effect for its
// block, or which one overrides it.
func effectiveHere(cfg *config.Config, d *syntax.Directive) string {
	if d.Parent == nil {
		return ""
	}
	if eff := cfg.Effective(d.Parent, d.Name.Value); eff != nil && eff != d {
		f := cfg.FileOf(eff)
		if f == nil {
			return ""
		}
		line, _ := f.Position(eff.Start())
		return fmt.Sprintf("Not in effect: the later `%s` on line %d wins.", eff.Name.Value, line)
	}
	return ""
}

func protocol(p *tlsdata.Protocol) string {
	status := map[tlsdata.Status]string{tlsdata.Good: "recommended", tlsdata.Legacy: "deprecated",
		tlsdata.Weak: "insecure", tlsdata.Prohibited: "prohibited"}[p.Status]
	return fmt.Sprintf("**%s** (%s)\n\n%s\n\nReferences: %s", p.Name, status, p.Summary, strings.Join(p.Refs, ", "))
}

// group explains the group name under the cursor inside a `a:b:c` list.
func group(w *syntax.Word, off int, s analysis.Settings) (string, syntax.Span) {
	start := w.Start
	body := w.Raw
	if w.Quote != 0 {
		start++
		body = strings.Trim(body, string(w.Quote))
	}
	pos := 0
	for _, name := range strings.Split(body, ":") {
		span := syntax.Span{Start: start + pos, End: start + pos + len(name)}
		pos += len(name) + 1
		if off < span.Start || off > span.End || name == "" {
			continue
		}
		info := tlsdata.LookupGroup(name, s.OpenSSL)
		var b strings.Builder
		fmt.Fprintf(&b, "**%s**", name)
		switch {
		case info.Group == nil && info.Bits == 0:
			fmt.Fprintf(&b, "\n\nOpenSSL %s does not know this group: nginx would refuse to start.", s.OpenSSL)
		default:
			fmt.Fprintf(&b, " · %d-bit group", info.Bits)
			if g := info.Group; g != nil && g.Name != name {
				fmt.Fprintf(&b, " (also known as %s)", g.Name)
			}
			switch info.Status {
			case tlsdata.Weak:
				b.WriteString("\n\nWeak: " + tlsdata.WeakGroupWhy + ".")
			case tlsdata.Legacy:
				b.WriteString("\n\nLegacy: " + tlsdata.LegacyGroupWhy + ".")
			default:
				if info.Group != nil && info.Group.Note != "" {
					b.WriteString("\n\n" + info.Group.Note + ".")
				}
			}
			if !info.Supported {
				fmt.Fprintf(&b, "\n\nOpenSSL %s does not accept this name: nginx would refuse to start.", s.OpenSSL)
			}
		}
		return b.String(), span
	}
	return "", syntax.Span{}
}

// listensTLS reports a listen with the ssl parameter.
func listensTLS(d *syntax.Directive) bool {
	for _, a := range d.Args {
		if a.Value == "ssl" {
			return true
		}
	}
	return false
}
