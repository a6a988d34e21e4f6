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
	Run:      runKeyFilePermissions,
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
