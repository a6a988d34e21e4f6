package rules

import (
	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Where findings about a server sit, and the other servers a finding made
// for several points at.

func serverLabel(s *config.Server) string {
	for _, c := range s.Block.Children() {
		if c.Name.Value == "server_name" && len(c.Args) > 0 {
			return " (" + c.Args[0].Value + ")"
		}
	}
	return ""
}

// alsoServers are the related places of a finding made for several
// servers: the others' TLS listen lines.
func alsoServers(p *analysis.Pass, servers []*config.Server, msg string) []analysis.Related {
	var rel []analysis.Related
	for _, o := range servers {
		a := tlsAnchor(p, o)
		rel = append(rel, analysis.Related{File: p.Config.FileOf(a), Span: anchorSpan(a), Message: msg})
	}
	return rel
}

// tlsAnchor is where a finding about a server's TLS defaults sits: its
// `listen ... ssl`, else its own `ssl on`, else the server block's name;
// always in the server's file.
func tlsAnchor(p *analysis.Pass, s *config.Server) *syntax.Directive {
	if l := s.TLSListen(); l != nil {
		return l
	}
	for _, d := range s.Block.Children() {
		if d.Name.Value == "ssl" {
			return d
		}
	}
	return s.Block
}

func anchorSpan(d *syntax.Directive) syntax.Span {
	if d.Block != nil {
		return d.Name.Span
	}
	return directiveSpan(d)
}
