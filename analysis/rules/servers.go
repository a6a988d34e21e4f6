package rules

import (
	"net"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Which servers a rule judges: those that terminate TLS, serve HTTPS, only
// redirect or close connections, and the names they answer to.

// rejectsHandshake reports `ssl_reject_handshake on`: such a server never
// completes a handshake, so it needs no certificate, header or redirect.
func rejectsHandshake(p *analysis.Pass, s *config.Server) bool {
	d := p.Config.Effective(s.Block, "ssl_reject_handshake")
	return d != nil && len(d.Args) == 1 && d.Args[0].Value == "on"
}

// httpsServers are the http servers that terminate TLS and answer requests.
func httpsServers(p *analysis.Pass) []*config.Server {
	return analysis.Shared(p, httpsServersKey{}, func() []*config.Server {
		var out []*config.Server
		for _, s := range p.Config.Servers {
			if isHTTPS(p, s) {
				out = append(out, s)
			}
		}
		return out
	})
}

// loopbackOnly reports a server that listens on loopback addresses only:
// nothing between a browser and it can strip TLS.
func loopbackOnly(s *config.Server) bool {
	if len(s.Listens) == 0 {
		return false
	}
	for _, l := range s.Listens {
		if len(l.Args) == 0 {
			return false
		}
		host, _, ok := strings.Cut(l.Args[0].Value, "]")
		if ok {
			host = strings.TrimPrefix(host, "[")
		} else {
			host, _, _ = strings.Cut(l.Args[0].Value, ":")
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			if host != "localhost" {
				return false
			}
		}
	}
	return true
}

// serverReturn is the code of the return that ends every request at the
// server's own level: a server-level return runs before any location is
// chosen. A rewrite, if or break before it may send requests elsewhere,
// and then there is none ("").
func serverReturn(s *config.Server) string {
	for _, d := range s.Block.Block.Directives {
		switch d.Name.Value {
		case "return":
			if len(d.Args) == 0 {
				return ""
			}
			return d.Args[0].Value
		case "rewrite", "if", "break":
			return ""
		}
	}
	return ""
}

// onlyRedirects reports a server that answers every request with a 30x.
func onlyRedirects(s *config.Server) bool {
	switch serverReturn(s) {
	case "301", "302", "303", "307", "308":
		return true
	}
	return false
}

// closesConnections reports a server whose every request ends in
// `return 444`: nginx closes the connection and sends no response, so
// there is no header to add.
func closesConnections(s *config.Server) bool {
	return serverReturn(s) == "444"
}

// isHTTPS reports an http server that terminates TLS and answers requests.
func isHTTPS(p *analysis.Pass, s *config.Server) bool {
	return s.Module == config.HTTP && p.Config.IsTLS(s) && !rejectsHandshake(p, s)
}

// tlsServers are the servers of any module that terminate TLS.
func tlsServers(p *analysis.Pass) []*config.Server {
	return analysis.Shared(p, tlsServersKey{}, func() []*config.Server {
		var out []*config.Server
		for _, s := range p.Config.Servers {
			if p.Config.IsTLS(s) && !rejectsHandshake(p, s) {
				out = append(out, s)
			}
		}
		return out
	})
}

// serverBlocks are a server and the blocks nested in it that can hold
// request-level directives (locations, ifs, limit_except).
func serverBlocks(s *config.Server) []*syntax.Directive {
	return append([]*syntax.Directive{s.Block}, config.Descendants(s.Block)...)
}

// inServer reports a directive inside one of the configuration's servers
// (a server block misplaced elsewhere is not one: no per-server check sees
// it, so the whole-configuration checks must).
func inServer(p *analysis.Pass, d *syntax.Directive) bool { return p.Config.ServerOf(d) != nil }

// literalNames are a server's server_name values that name one host (no
// regex, no catch-all "_" or empty name).
func literalNames(p *analysis.Pass, s *config.Server) []*syntax.Word {
	var out []*syntax.Word
	for _, d := range kidsNamed(s.Block, "server_name") {
		for _, a := range d.Args {
			v := a.Value
			if v == "" || v == "_" || strings.HasPrefix(v, "~") || hasVar(v) || strings.ContainsAny(v, " /") {
				continue
			}
			out = append(out, a)
		}
	}
	return out
}
