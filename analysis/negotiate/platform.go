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
	OpenSSL  string // the profile modelling its libssl (openssl.Profiles)
	SecLevel int
	// OSID and OSVersion are /etc/os-release's ID and VERSION_ID on the
	// platform, which detection matches; "" for one it cannot tell apart
	// (the nginx image is a Debian 12 to os-release).
	OSID, OSVersion string
	// Source says where each fact comes from, and which were not checked
	// on the platform itself.
	Source string
}

// Platforms are the targets people run. The security level is what an
// SSL_CTX starts with on the platform: compiled into libssl, or set by
// the system configuration that nginx reads when it starts.
//
// Only debian-12 was measured on the platform; the others name their
// sources and say "unverified" for what nobody ran there. The model's
// OpenSSL profile is "3.0" for every 3.x: what changed after 3.0 that
// matters here is the default level (2 from OpenSSL 3.2 on).
var Platforms = []Platform{
	{"debian-12", "1.22.1", "3.0", 2, "debian", "12",
		"measured on Debian 12: apt-cache policy gives nginx 1.22.1-9+deb12u12 and openssl/libssl3 3.0.22-1~deb12u2 " +
			"(bookworm-security); `openssl version -a` shows -DOPENSSL_TLS_SECURITY_LEVEL=2 and /etc/ssl/openssl.cnf " +
			"sets no system_default section"},
	{"ubuntu-22.04", "1.18.0", "3.0", 2, "ubuntu", "22.04",
		"unverified, from the jammy archive as remembered: nginx 1.18.0, openssl 3.0.2; level 2 is Ubuntu's patched " +
			"default since 20.04 (which also refuses TLS below 1.2 at level 2, a patch the model does not know)"},
	{"ubuntu-24.04", "1.24.0", "3.0", 2, "ubuntu", "24.04",
		"unverified, from the noble archive as remembered: nginx 1.24.0, openssl 3.0.13; level 2 as ubuntu-22.04"},
	{"rhel-9", "1.20.1", "3.0", 2, "rhel", "9",
		"unverified, from Red Hat's documentation as remembered: nginx 1.20.1 (AppStream, the default stream), " +
			"openssl 3.0.7; the DEFAULT crypto policy's /etc/crypto-policies/back-ends/opensslcnf.config sets " +
			"CipherString = @SECLEVEL=2:... (and MinProtocol TLSv1.2, which nginx's ssl_protocols resets)"},
	{"alpine-3.20", "1.26.2", "3.0", 2, "alpine", "3.20",
		"unverified versions, from the v3.20 package index as remembered: nginx 1.26.x, openssl 3.3.x; level 2 is " +
			"OpenSSL's own default from 3.2 on (OpenSSL 3.2 changelog), Alpine patches no other"},
	{"nginx-docker", "1.28.0", "3.0", 2, "", "",
		"unverified: the official image's stable tag (nginx:stable, Debian 12 base) runs nginx.org's nginx 1.28.0 " +
			"linked to Debian's libssl3, hence level 2 as debian-12; its os-release says debian 12"},
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

// PlatformForOS is the platform /etc/os-release's ID and VERSION_ID name:
// VERSION_ID is the table's or a point release of it ("9.4" is rhel 9,
// "3.20.3" alpine 3.20).
func PlatformForOS(id, versionID string) (Platform, bool) {
	for _, p := range Platforms {
		if p.OSID == "" || p.OSID != id {
			continue
		}
		if versionID == p.OSVersion || strings.HasPrefix(versionID, p.OSVersion+".") {
			return p, true
		}
	}
	return Platform{}, false
}
