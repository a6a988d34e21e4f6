package negotiate

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis/openssl"
)

// Platform is a system people run nginx on: the nginx and OpenSSL its
// packages install, and the security level its libssl starts at.
type Platform struct {
	Name     string
	Nginx    string // the nginx package's version
	OpenSSL  string // the libssl package's version
	SecLevel int
	// Source says where each fact comes from.
	Source string
}

// Platforms are the targets people run. The security level is what an
// SSL_CTX starts with on the platform: compiled into libssl, or set by
// the system configuration that nginx reads when it starts.
var Platforms = []Platform{
	{"debian-12", "1.22.1", "3.0", 2, "Debian 12 packages nginx 1.22.1-9 and openssl 3.0; its libssl3 is built with " +
		"-DOPENSSL_TLS_SECURITY_LEVEL=2 (`openssl version -a`) and /etc/ssl/openssl.cnf sets no system_default"},
	{"ubuntu-22.04", "1.18.0", "3.0", 2, "Ubuntu 22.04 packages nginx 1.18.0 and openssl 3.0.2, built with " +
		"-DOPENSSL_TLS_SECURITY_LEVEL=2 as Debian's"},
	{"ubuntu-24.04", "1.24.0", "3.0", 2, "Ubuntu 24.04 packages nginx 1.24.0 and openssl 3.0.13, built with " +
		"-DOPENSSL_TLS_SECURITY_LEVEL=2 as Debian's"},
	{"rhel-9", "1.20.1", "3.0", 2, "RHEL 9 packages nginx 1.20.1 (AppStream) and openssl 3.0.7; the DEFAULT crypto " +
		"policy's /etc/crypto-policies/back-ends/opensslcnf.config sets CipherString = @SECLEVEL=2:... (and MinProtocol " +
		"TLSv1.2, which nginx resets)"},
	{"alpine-3.20", "1.26.2", "3.0", 1, "Alpine 3.20 packages nginx 1.26 and openssl 3.3 with OpenSSL's own default level 1 " +
		"(the model's OpenSSL 3.0 rules)"},
	{"nginx-docker", "1.27.4", "3.0", 2, "the official nginx image (nginx:1.27, Debian 12 base) links Debian's libssl3: " +
		"security level 2 as debian-12"},
}

// LookupPlatform finds a platform by name, ignoring case.
func LookupPlatform(name string) (Platform, bool) {
	for _, p := range Platforms {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return Platform{}, false
}

// PlatformNames lists the names LookupPlatform knows.
func PlatformNames() []string {
	var out []string
	for _, p := range Platforms {
		out = append(out, p.Name)
	}
	return out
}

// TargetFor is the target of an OpenSSL profile on a platform ("" for
// OpenSSL as its authors build it: security level 1 from 1.1.0 on, none
// before).
func TargetFor(profile, platform string) Target {
	prof := openssl.Canonical(profile)
	if p, ok := LookupPlatform(platform); ok {
		return Target{OpenSSL: prof, SecLevel: p.SecLevel, SecLevelFrom: fmt.Sprintf("%s's default", p.Name)}
	}
	if prof == openssl.LegacyProfile {
		return Target{OpenSSL: prof, SecLevel: 0, SecLevelFrom: "OpenSSL 1.0.2 has no security levels"}
	}
	return Target{OpenSSL: prof, SecLevel: 1, SecLevelFrom: "OpenSSL's default"}
}
