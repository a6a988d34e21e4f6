package negotiate

import (
	"strconv"
	"strings"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// ForServer gathers a server's effective TLS settings for Evaluate: its
// own directives, else the enclosing levels', else nginx's defaults for
// the target version. Certificates and DH parameters are read through the
// configuration (the editor's buffers, or the disk). ok is false when a
// variable or an unreadable include makes a setting unknown.
func ForServer(c *config.Config, s *config.Server, nginx config.Version) (in Input, ok bool) {
	if c.Incomplete(s.Block) {
		return in, false
	}
	in.Dirs = map[string]*syntax.Directive{}
	value := func(name string) ([]string, bool) {
		d := c.Effective(s.Block, name)
		if d == nil {
			def, _ := config.Default(name, nginx)
			return def, true
		}
		in.Dirs[name] = d
		for _, a := range d.Args {
			if strings.Contains(a.Value, "$") {
				return nil, false
			}
		}
		return d.ArgValues(), true
	}
	ok = true
	var good bool
	if in.Protocols, good = value("ssl_protocols"); !good {
		ok = false
	}
	ciphers, good := value("ssl_ciphers")
	if !good || len(ciphers) != 1 {
		ok = false
	} else {
		in.Ciphers = ciphers[0]
	}
	if v, _ := value("ssl_prefer_server_ciphers"); len(v) == 1 {
		in.PreferServer = v[0] == "on"
	}
	curves, good := value("ssl_ecdh_curve")
	if !good || len(curves) != 1 {
		ok = false
	} else {
		in.Curves = curves[0]
	}
	if v, _ := value("ssl_early_data"); len(v) == 1 {
		in.EarlyData = v[0] == "on"
	}
	if v, _ := value("ssl_session_tickets"); len(v) == 1 {
		in.Tickets = v[0] == "on"
	}
	if v, _ := value("ssl_session_cache"); len(v) > 0 {
		for _, a := range v {
			if strings.HasPrefix(a, "builtin") || strings.HasPrefix(a, "shared:") {
				in.Cache = true
			}
		}
	}
	for _, d := range c.EffectiveAll(s.Block, "ssl_conf_command") {
		if len(d.Args) != 2 {
			continue
		}
		if strings.Contains(d.Args[0].Value, "$") || strings.Contains(d.Args[1].Value, "$") {
			ok = false
		}
		in.Commands = append(in.Commands, Command{Name: d.Args[0].Value, Value: d.Args[1].Value, Dir: d})
	}

	in.readFiles(c, s)
	return in, ok
}

// readFiles reads what the server's DH parameters and certificates are,
// through the configuration's files (unknown when unreadable here).
func (in *Input) readFiles(c *config.Config, s *config.Server) {
	if d := c.Effective(s.Block, "ssl_dhparam"); d != nil && len(d.Args) == 1 {
		in.Dirs["ssl_dhparam"] = d
		in.DHBits = -1
		if data, err := c.ReadFile(d.Args[0].Value); err == nil && !strings.Contains(d.Args[0].Value, "$") {
			if bits, err := tlsdata.DHParams(data); err == nil {
				in.DHBits = bits
			}
		}
	}
	in.KeysKnown = true
	certs := c.EffectiveAll(s.Block, "ssl_certificate")
	if len(certs) == 0 {
		in.KeysKnown = false
	}
	for _, d := range certs {
		k, known := readKey(c, d)
		if !known {
			in.KeysKnown = false
			continue
		}
		in.Keys = append(in.Keys, k)
	}
}

func readKey(c *config.Config, d *syntax.Directive) (Key, bool) {
	if len(d.Args) != 1 || strings.Contains(d.Args[0].Value, "$") || strings.HasPrefix(d.Args[0].Value, "data:") {
		return Key{}, false
	}
	data, err := c.ReadFile(d.Args[0].Value)
	if err != nil {
		return Key{}, false
	}
	b := tlsdata.ParsePEM(data)
	if len(b.Certs) == 0 {
		return Key{}, false
	}
	alg, bits := tlsdata.KeyInfo(b.Certs[0].PublicKey)
	if alg == "unknown" {
		return Key{}, false
	}
	k := Key{Alg: alg, Bits: bits, Dir: d}
	if curve := tlsdata.CurveName(b.Certs[0].PublicKey); curve != "" {
		if info := tlsdata.LookupGroup(curve, "3.0"); info.Group != nil {
			k.Curve = info.Group.Name
		}
	}
	return k, true
}

// String is a key as messages name it: "RSA-2048", "ECDSA P-256".
func (k Key) String() string {
	if k.Alg == "ECDSA" {
		return "ECDSA-" + strconv.Itoa(k.Bits)
	}
	return k.Alg + "-" + strconv.Itoa(k.Bits)
}

// Model is the endpoint of a server on a target, made as the rules make
// it; e is nil, and why says so, where the model does not apply: not a TLS
// server, a setting unknown here (a variable, an include
// that cannot be read), OpenSSL 1.0.2 (whose version negotiation the model
// does not know), or an ssl_conf_command whose effect it does not know.
func Model(c *config.Config, s *config.Server, nginx config.Version, t Target) (e *Endpoint, in Input, why string) {
	switch {
	case !c.IsTLS(s):
		return nil, in, "not a TLS server"
	case openssl.Canonical(t.OpenSSL) == openssl.LegacyProfile:
		return nil, in, "OpenSSL " + t.OpenSSL + "'s version negotiation is not modelled"
	}
	in, ok := ForServer(c, s, nginx)
	if !ok {
		return nil, in, "a setting is unknown here (a variable, or an include that cannot be read)"
	}
	e = Evaluate(in, t)
	if len(e.Unmodelled) > 0 {
		return nil, in, "the model does not know what ssl_conf_command " + e.Unmodelled[0].Name + " does"
	}
	return e, in, ""
}
