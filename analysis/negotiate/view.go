package negotiate

import "github.com/nginxls/nginxls/analysis/openssl"

// VersionView is what a server negotiates with one protocol version, for
// people to read (`nginxls ciphers --server`, hover).
type VersionView struct {
	VersionState
	// Suites are the suites some client gets at this version, in the
	// server's list order (which is the order it picks them in when
	// ServerOrder is set; else the client's order decides).
	Suites []*openssl.Suite
	// Groups are the key exchange groups usable at this version, in the
	// server's order.
	Groups []string
}

// View lists, for every version the model knows (SSLv3 to TLS 1.3), what a
// client gets. A suite counts when a client offering only it completes a
// handshake at that version.
func (e *Endpoint) View() []VersionView {
	var out []VersionView
	prof := openssl.Canonical(e.Target.OpenSSL)
	for _, vs := range e.Versions {
		vv := VersionView{VersionState: vs}
		if e.Start != nil || !vs.Negotiable {
			out = append(out, vv)
			continue
		}
		list := e.Suites
		if vs.Version == openssl.TLS13 {
			list = e.Suites13
		}
		c := EveryClient(prof, vs.Version)
		for _, st := range list {
			if st.Why != "" || st.Suite.Min > vs.Version {
				continue
			}
			c.Suites = []*openssl.Suite{st.Suite}
			if e.Handshake(c).OK {
				vv.Suites = append(vv.Suites, st.Suite)
			}
		}
		for _, g := range e.Groups {
			if vs.Version == openssl.TLS13 && g.TLS13 || vs.Version < openssl.TLS13 && g.TLS12 {
				vv.Groups = append(vv.Groups, g.Name)
			}
		}
		out = append(out, vv)
	}
	return out
}
