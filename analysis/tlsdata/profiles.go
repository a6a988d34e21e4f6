package tlsdata

import (
	"fmt"
	"strings"
)

// Profile is one configuration of Mozilla's Server Side TLS guidelines, as
// the guideline JSON files describe it. Field names follow the JSON keys.
//
// The values below are data copied from Mozilla's guideline files
// `src/static/guidelines/5.7.json` and `6.0.json` of
// github.com/mozilla/ssl-config-generator (Mozilla Public License 2.0; the
// same values are published at https://ssl-config.mozilla.org/guidelines/).
// 5.7 is the version the Server Side TLS wiki page documents and the last
// one with the "old" profile; 6.0 is the current one.
type Profile struct {
	Name    string // "modern", "intermediate" or "old"
	Version string // guideline version: "5.7" or "6.0"

	Protocols    []string // tls_versions, as ssl_protocols spells them
	Ciphers      []string // ciphers.openssl (TLS 1.2 and older), in order; empty for modern
	Ciphersuites []string // TLS 1.3 suites
	Curves       []string // tls_curves, in order of preference

	DHParamSize          int  // dh_param_size; 0 when the profile has no DHE
	ECDHParamSize        int  // ecdh_param_size
	ServerPreferredOrder bool // server_preferred_order → ssl_prefer_server_ciphers
	HSTSMinAge           int  // hsts_min_age, in seconds
	OCSPStaple           bool // ocsp_staple

	CertificateTypes      []string // "ecdsa", "rsa"
	CertificateCurves     []string
	CertificateSignatures []string
	RSAKeySize            int // rsa_key_size; 0: RSA certificates are not part of the profile
	MaxCertLifespan       int // maximum_certificate_lifespan, in days
	RecommendedLifespan   int // recommended_certificate_lifespan, in days
	OldestClients         []string
}

// ID is how settings and messages name the profile: "intermediate (Mozilla 6.0)".
func (p *Profile) ID() string { return p.Name + "-" + p.Version }

func (p *Profile) String() string {
	return fmt.Sprintf("Mozilla %s (guidelines %s)", p.Name, p.Version)
}

// HasProtocol reports whether the profile enables a protocol version.
func (p *Profile) HasProtocol(name string) bool {
	for _, v := range p.Protocols {
		if v == name {
			return true
		}
	}
	return false
}

// NginxCurves is the ssl_ecdh_curve value for a target OpenSSL profile:
// Mozilla's generator leaves out groups the OpenSSL build does not know
// (X25519MLKEM768 before 3.5), since one unknown name makes nginx fail.
func (p *Profile) NginxCurves(openssl string) string {
	var keep []string
	for _, c := range p.Curves {
		if LookupGroup(c, openssl).Supported {
			keep = append(keep, c)
		}
	}
	return strings.Join(keep, ":")
}

var (
	mozTLS13Suites = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}
	mozECDHEAEAD   = []string{
		"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
		"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
		"ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
	}
	mozDHEAEAD = []string{"DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-CHACHA20-POLY1305"}
	mozOldCBC  = []string{
		"ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
		"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES256-SHA",
		"DHE-RSA-AES128-SHA256", "DHE-RSA-AES256-SHA256",
		"AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA256", "AES256-SHA256", "AES128-SHA", "AES256-SHA",
		"DES-CBC3-SHA",
	}
	ecdsaSigs = []string{"ecdsa-with-SHA256", "ecdsa-with-SHA384", "ecdsa-with-SHA512"}
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Profiles are the vendored guideline configurations, newest first.
var Profiles = []*Profile{
	{
		Name: "modern", Version: "6.0",
		Protocols: []string{"TLSv1.3"}, Ciphersuites: mozTLS13Suites,
		Curves:        []string{"X25519MLKEM768", "X25519", "prime256v1", "secp384r1"},
		ECDHParamSize: 256, HSTSMinAge: 63072000, OCSPStaple: true,
		CertificateTypes: []string{"ecdsa"}, CertificateCurves: []string{"prime256v1", "secp384r1"},
		CertificateSignatures: ecdsaSigs, MaxCertLifespan: 90, RecommendedLifespan: 90,
		OldestClients: []string{"Firefox 63", "Android 10.0", "Chrome 70", "Edge 75", "Java 11", "OpenSSL 1.1.1", "Opera 57", "Safari 12.1"},
	},
	{
		Name: "intermediate", Version: "6.0",
		Protocols: []string{"TLSv1.2", "TLSv1.3"}, Ciphers: mozECDHEAEAD, Ciphersuites: mozTLS13Suites,
		Curves:      []string{"X25519MLKEM768", "X25519", "prime256v1", "secp384r1"},
		DHParamSize: 2048, ECDHParamSize: 256, HSTSMinAge: 63072000, OCSPStaple: true,
		CertificateTypes: []string{"ecdsa", "rsa"}, CertificateCurves: []string{"prime256v1", "secp384r1"},
		CertificateSignatures: concat([]string{"sha256WithRSAEncryption"}, ecdsaSigs),
		RSAKeySize:            2048, MaxCertLifespan: 366, RecommendedLifespan: 90,
		OldestClients: []string{"Firefox 31.3.0", "Android 4.4.2", "Chrome 49", "Edge 15 on Windows 10", "IE 11 on Windows 10", "Java 8u161", "OpenSSL 1.0.1l", "Opera 20", "Safari 9"},
	},
	{
		Name: "modern", Version: "5.7",
		Protocols: []string{"TLSv1.3"}, Ciphersuites: mozTLS13Suites,
		Curves:        []string{"X25519", "prime256v1", "secp384r1"},
		ECDHParamSize: 256, HSTSMinAge: 63072000, OCSPStaple: true,
		CertificateTypes: []string{"ecdsa"}, CertificateCurves: []string{"prime256v1", "secp384r1"},
		CertificateSignatures: ecdsaSigs, MaxCertLifespan: 90, RecommendedLifespan: 90,
		OldestClients: []string{"Firefox 63", "Android 10.0", "Chrome 70", "Edge 75", "Java 11", "OpenSSL 1.1.1", "Opera 57", "Safari 12.1"},
	},
	{
		Name: "intermediate", Version: "5.7",
		Protocols: []string{"TLSv1.2", "TLSv1.3"}, Ciphers: concat(mozECDHEAEAD, mozDHEAEAD), Ciphersuites: mozTLS13Suites,
		Curves:      []string{"X25519", "prime256v1", "secp384r1"},
		DHParamSize: 2048, ECDHParamSize: 256, HSTSMinAge: 63072000, OCSPStaple: true,
		CertificateTypes: []string{"ecdsa", "rsa"}, CertificateCurves: []string{"prime256v1", "secp384r1"},
		CertificateSignatures: concat([]string{"sha256WithRSAEncryption"}, ecdsaSigs),
		RSAKeySize:            2048, MaxCertLifespan: 366, RecommendedLifespan: 90,
		OldestClients: []string{"Firefox 27", "Android 4.4.2", "Chrome 31", "Edge", "IE 11 on Windows 7", "Java 8u31", "OpenSSL 1.0.1", "Opera 20", "Safari 9"},
	},
	{
		Name: "old", Version: "5.7",
		Protocols: []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}, Ciphers: concat(mozECDHEAEAD, mozDHEAEAD, mozOldCBC),
		Ciphersuites: mozTLS13Suites, Curves: []string{"X25519", "prime256v1", "secp384r1"},
		DHParamSize: 1024, ECDHParamSize: 256, ServerPreferredOrder: true, HSTSMinAge: 63072000, OCSPStaple: true,
		CertificateTypes: []string{"rsa"}, CertificateCurves: []string{"prime256v1", "secp384r1"},
		CertificateSignatures: []string{"sha256WithRSAEncryption"},
		RSAKeySize:            2048, MaxCertLifespan: 366, RecommendedLifespan: 90,
		OldestClients: []string{"Firefox 1", "Android 2.3", "Chrome 1", "Edge 12", "IE8 on Windows XP", "Java 6", "OpenSSL 0.9.8", "Opera 5", "Safari 1"},
	},
}

// The lists the rules recommend, from Mozilla's current intermediate
// profile: forward-secret AEAD suites only, as ssl_ciphers and
// `ssl_conf_command Ciphersuites` take them.
var (
	MozillaIntermediate = strings.Join(LookupProfile("intermediate").Ciphers, ":")
	MozillaCiphersuites = strings.Join(LookupProfile("intermediate").Ciphersuites, ":")
)

// ProfileNames are the names settings accept, default first.
var ProfileNames = []string{"intermediate", "modern", "old"}

// LookupProfile finds a profile by name: "intermediate", "modern" or "old"
// take the newest guidelines that have it (6.0, and 5.7 for old); a
// version can be pinned as "intermediate-5.7". The empty name is
// intermediate. It returns nil for an unknown name.
func LookupProfile(name string) *Profile {
	if name == "" {
		name = "intermediate"
	}
	n, v, _ := strings.Cut(strings.ToLower(name), "-")
	for _, p := range Profiles {
		if p.Name == n && (v == "" || v == p.Version) {
			return p
		}
	}
	return nil
}
