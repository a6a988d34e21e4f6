package rules

import (
	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
)

// The rules that say what a client gets read the negotiation model: what a
// server's endpoint accepts on the target OpenSSL and platform.

type endpointKey struct{ s *config.Server }

type modelled struct {
	in negotiate.Input
	e  *negotiate.Endpoint
}

// target is the TLS library the settings describe.
func target(p *analysis.Pass) negotiate.Target {
	return p.Settings.Target()
}

// endpoint is the model of a TLS server, made once per analysis; nil when
// the model does not apply: not a TLS server, an include that could not be
// read, a variable in a setting, OpenSSL 1.0.2 (whose version negotiation
// the model does not know), or an ssl_conf_command whose effect it does
// not know.
func endpoint(p *analysis.Pass, s *config.Server) (*negotiate.Endpoint, negotiate.Input) {
	m := analysis.Shared(p, endpointKey{s}, func() *modelled {
		if !p.Settings.OpenSSLAtLeast("1.1.1") {
			return nil
		}
		e, in, _ := negotiate.Model(p.Config, s, p.Settings.Nginx, target(p))
		if e == nil {
			return nil
		}
		return &modelled{in, e}
	})
	if m == nil {
		return nil, negotiate.Input{}
	}
	return m.e, m.in
}
