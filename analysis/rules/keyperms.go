package rules

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/nginxls/nginxls/analysis"
)

var KeyFilePermissions = &analysis.Analyzer{
	ID:       "tls-key-file-permissions",
	Title:    "Private key file readable or writable by every user",
	Severity: analysis.Warning,
	Doc: `A private key that every account on the machine can read is as good as published: any local
user, or any compromised service running under its own account, can copy it and impersonate
the server, or decrypt recorded sessions that used RSA key exchange. A key file that every
account can write can be replaced. The same goes for ` + "`ssl_password_file`" + `, which holds the
passphrases of encrypted keys.

nginx reads keys as root, before dropping privileges, so the files need no permissions beyond
their owner's. A key readable by its group is left alone: Debian and Ubuntu give their
` + "`ssl-cert`" + ` group read access on purpose. So is a key that others cannot reach because a
directory on its way (links resolved) keeps them out, as Let's Encrypt's ` + "`archive/`" + ` does.

The rule looks at files on the disk, when they are there to look at (not in an ` + "`nginx -T`" + `
dump), and not on Windows.

Severity: warning. Copying or replacing the key takes an account or a compromised service on the
same machine: a real weakness, not one exploitable from the network.

Fix: ` + "`chmod 600`" + ` the file (or ` + "`640`" + ` with a dedicated group), owned by root.`,
	Refs: []string{"https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_certificate_key", "https://www.openssl.org/docs/manmaster/man1/openssl-genpkey.html"},
	Run:  runKeyFilePermissions,
}

// keyFileDirectives name private keys and their passphrases.
var keyFileDirectives = []string{
	"ssl_certificate_key", "proxy_ssl_certificate_key", "grpc_ssl_certificate_key", "uwsgi_ssl_certificate_key",
	"ssl_password_file", "proxy_ssl_password_file", "grpc_ssl_password_file", "uwsgi_ssl_password_file",
}

// The rule reads the disk, so it is a whole-configuration check: a
// server's cached findings would not notice a chmod.
func runKeyFilePermissions(p *analysis.Pass) {
	if runtime.GOOS == "windows" {
		return // modes mean nothing there
	}
	for _, l := range p.Config.Named(keyFileDirectives...) {
		if len(l.Dir.Args) != 1 {
			continue
		}
		w := l.Dir.Args[0]
		if unreadable(w.Value, true) != "" {
			continue // not a file: variables, data:, engine:, store:
		}
		fi, err := p.Config.Stat(w.Value)
		if err != nil || !fi.Mode().IsRegular() {
			continue // missing files are tls-cert-config's
		}
		if !othersReach(p, w.Value) {
			continue // a directory on the way keeps them out (Let's Encrypt's archive/, Debian's private/)
		}
		perm := fi.Mode().Perm()
		what := "the private key"
		if strings.HasSuffix(l.Dir.Name.Value, "_password_file") {
			what = "the passphrase file"
		}
		var who string
		switch {
		case perm&0o002 != 0:
			who = "written (replaced) by every user of this machine"
		case perm&0o004 != 0:
			who = "read by every user of this machine"
		default:
			continue
		}
		p.Report(analysis.Diagnostic{File: l.File, Span: w.Span,
			Message: fmt.Sprintf("%s %s can be %s (mode %04o): chmod 600, owned by root", what, p.Config.Resolve(w.Value), who, perm)})
	}
}

// othersReach reports whether users other than the owner and group can get
// to a file: every directory on its real path (links resolved) must be
// searchable by them.
func othersReach(p *analysis.Pass, path string) bool {
	real, err := p.Config.RealPath(path)
	if err != nil {
		return false
	}
	for dir := filepath.Dir(real); ; dir = filepath.Dir(dir) {
		fi, err := p.Config.Stat(dir)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		if dir == filepath.Dir(dir) {
			return true
		}
	}
}
