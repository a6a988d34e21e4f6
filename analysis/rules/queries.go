package rules

import (
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// Lookups of directives and settings that many rules share, and the keys of
// the values computed once per analysis (analysis.Shared).

// profile is the Mozilla profile the settings select.
func profile(p *analysis.Pass) *tlsdata.Profile {
	if pr := tlsdata.LookupProfile(p.Settings.Profile); pr != nil {
		return pr
	}
	return tlsdata.LookupProfile("intermediate")
}

// Keys of the values shared by the rules of one analysis.
type (
	httpsServersKey struct{}
	tlsServersKey   struct{}
	httpsNamesKey   struct{}
)

// kidsNamed returns the directives named name among a block's children.
func kidsNamed(block *syntax.Directive, name string) []*syntax.Directive {
	if block == nil {
		return nil // the top level of a file: no block to look in
	}
	var out []*syntax.Directive
	for _, d := range block.Children() {
		if d.Name.Value == name {
			out = append(out, d)
		}
	}
	return out
}

// topNamed returns the directives named name at the top level above d (the
// http context of a fragment).
func topNamed(p *analysis.Pass, d *syntax.Directive, name string) []*syntax.Directive {
	for d.Parent != nil {
		d = d.Parent
	}
	f := p.Config.FileOf(d)
	var out []*syntax.Directive
	for _, l := range p.Config.Named(name) {
		if l.Dir.Parent == nil && l.File == f {
			out = append(out, l.Dir)
		}
	}
	return out
}

// hasVar reports a value nginx expands at run time.
func hasVar(v string) bool { return strings.Contains(v, "$") }

func hasArg(d *syntax.Directive, v string) bool {
	for _, a := range d.Args {
		if a.Value == v {
			return true
		}
	}
	return false
}

func hasVariable(d *syntax.Directive) bool {
	for _, a := range d.Args {
		if strings.Contains(a.Value, "$") {
			return true
		}
	}
	return false
}
