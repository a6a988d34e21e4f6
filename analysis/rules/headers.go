package rules

import (
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Response headers as nginx inherits them: add_header's all-or-nothing
// inheritance (add_header_inherit since 1.29.3), headers-more's
// more_set_headers, and where Strict-Transport-Security is sent.

var addHeaderInheritSince = config.MustVersion("1.29.3")

// addHeaderInherit is the effective add_header_inherit mode of a block:
// "on" (nginx's all-or-nothing inheritance), "off" or "merge".
func addHeaderInherit(p *analysis.Pass, block *syntax.Directive) string {
	if !p.Settings.Nginx.AtLeast(addHeaderInheritSince) {
		return "on"
	}
	if d := p.Config.Effective(block, "add_header_inherit"); d != nil && len(d.Args) == 1 {
		return d.Args[0].Value
	}
	return "on"
}

// effectiveHeaders returns the add_header directives that apply to a
// block: its own, else the nearest level's, and with `add_header_inherit
// merge` its own followed by its parent's.
func effectiveHeaders(p *analysis.Pass, block *syntax.Directive) []*syntax.Directive {
	// Without add_header_inherit anywhere, nginx's all-or-nothing rule is
	// the configuration's indexed lookup (an http block of 3,000 servers
	// is not scanned once per server).
	if !p.Settings.Nginx.AtLeast(addHeaderInheritSince) || len(p.Config.Named("add_header_inherit")) == 0 {
		return p.Config.EffectiveAll(block, "add_header")
	}
	own := kidsNamed(block, "add_header")
	switch addHeaderInherit(p, block) {
	case "off":
		return own
	case "merge":
		return append(own, inheritedHeaders(p, block)...)
	}
	if len(own) > 0 {
		return own
	}
	return inheritedHeaders(p, block)
}

// inheritedHeaders are the add_header directives in effect one level above.
func inheritedHeaders(p *analysis.Pass, block *syntax.Directive) []*syntax.Directive {
	if block.Parent != nil && (!p.Settings.Nginx.AtLeast(addHeaderInheritSince) || len(p.Config.Named("add_header_inherit")) == 0) {
		return p.Config.EffectiveAll(block.Parent, "add_header")
	}
	if block.Parent == nil {
		return topNamed(p, block, "add_header")
	}
	return effectiveHeaders(p, block.Parent)
}

// headerName returns the header an add_header or more_set_headers argument
// sets, and its value.
func headerName(d *syntax.Directive) []headerArg {
	switch d.Name.Value {
	case "add_header":
		if len(d.Args) >= 2 {
			return []headerArg{{d.Args[0].Value, d.Args[1].Value, d.Args[1]}}
		}
	case "more_set_headers":
		// more_set_headers [-s STATUS] [-t TYPE] "Name: value" ...
		var out []headerArg
		for i := 0; i < len(d.Args); i++ {
			a := d.Args[i]
			if a.Value == "-s" || a.Value == "-t" {
				i++
				continue
			}
			name, value, _ := strings.Cut(a.Value, ":")
			out = append(out, headerArg{strings.TrimSpace(name), strings.TrimSpace(value), a})
		}
		return out
	}
	return nil
}

type headerArg struct {
	name, value string
	word        *syntax.Word
}

const stsHeader = "Strict-Transport-Security"

// stsIn returns the first directive of ds that sets Strict-Transport-Security.
func stsIn(ds []*syntax.Directive) *syntax.Directive {
	for _, d := range ds {
		for _, h := range headerName(d) {
			if strings.EqualFold(h.name, stsHeader) {
				return d
			}
		}
	}
	return nil
}

// moreSetSTS returns a more_set_headers that sets HSTS for a block: those
// directives (headers-more module) accumulate across levels.
func moreSetSTS(p *analysis.Pass, block *syntax.Directive) *syntax.Directive {
	if len(p.Config.Named("more_set_headers")) == 0 {
		return nil
	}
	for b := block; b != nil; b = b.Parent {
		if d := stsIn(kidsNamed(b, "more_set_headers")); d != nil {
			return d
		}
		if b.Parent == nil {
			return stsIn(topNamed(p, b, "more_set_headers"))
		}
	}
	return nil
}

// hasSTS reports whether responses of a block carry HSTS.
func hasSTS(p *analysis.Pass, block *syntax.Directive) bool {
	return stsIn(effectiveHeaders(p, block)) != nil || moreSetSTS(p, block) != nil
}
