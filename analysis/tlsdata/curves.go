package tlsdata

import (
	"slices"
	"strings"
)

// Group is a key exchange group (an elliptic curve or a finite-field group)
// as ssl_ecdh_curve and `ssl_conf_command Groups` name it.
type Group struct {
	Name  string   // OpenSSL 3 TLS name
	Names []string // every name OpenSSL 3.0 accepts for it (case-sensitive)
	// Legacy are the names OpenSSL 1.0.2 and 1.1.1 accept (object short
	// names and NIST names: "secp256r1" is not one of them).
	Legacy []string
	Bits   int    // size of the field (≈ twice the security level for EC)
	Since  string // first OpenSSL profile that offers it for TLS
	Status Status
	Note   string
}

// Groups are the TLS groups OpenSSL knows. Names were checked against
// OpenSSL 3.0 (`openssl s_client -groups NAME` accepts exactly these).
var Groups = []*Group{
	{"secp160k1", []string{"secp160k1"}, []string{"secp160k1"}, 160, "1.0.2", Weak, ""},
	{"secp160r1", []string{"secp160r1"}, []string{"secp160r1"}, 160, "1.0.2", Weak, ""},
	{"secp160r2", []string{"secp160r2"}, []string{"secp160r2"}, 160, "1.0.2", Weak, ""},
	{"secp192k1", []string{"secp192k1"}, []string{"secp192k1"}, 192, "1.0.2", Weak, ""},
	{"secp192r1", []string{"secp192r1", "prime192v1", "P-192"}, []string{"prime192v1", "P-192"}, 192, "1.0.2", Weak, ""},
	{"secp224k1", []string{"secp224k1"}, []string{"secp224k1"}, 224, "1.0.2", Legacy, ""},
	{"secp224r1", []string{"secp224r1", "P-224"}, []string{"secp224r1", "P-224"}, 224, "1.0.2", Legacy, ""},
	{"secp256k1", []string{"secp256k1"}, []string{"secp256k1"}, 256, "1.0.2", Good, "not offered by browsers"},
	{"secp256r1", []string{"secp256r1", "prime256v1", "P-256"}, []string{"prime256v1", "P-256"}, 256, "1.0.2", Good, ""},
	{"secp384r1", []string{"secp384r1", "P-384"}, []string{"secp384r1", "P-384"}, 384, "1.0.2", Good, ""},
	{"secp521r1", []string{"secp521r1", "P-521"}, []string{"secp521r1", "P-521"}, 521, "1.0.2", Good, ""},
	{"sect163k1", []string{"sect163k1", "K-163"}, []string{"sect163k1", "K-163"}, 163, "1.0.2", Weak, ""},
	{"sect163r1", []string{"sect163r1"}, []string{"sect163r1"}, 163, "1.0.2", Weak, ""},
	{"sect163r2", []string{"sect163r2", "B-163"}, []string{"sect163r2", "B-163"}, 163, "1.0.2", Weak, ""},
	{"sect193r1", []string{"sect193r1"}, []string{"sect193r1"}, 193, "1.0.2", Weak, ""},
	{"sect193r2", []string{"sect193r2"}, []string{"sect193r2"}, 193, "1.0.2", Weak, ""},
	{"sect233k1", []string{"sect233k1", "K-233"}, []string{"sect233k1", "K-233"}, 233, "1.0.2", Legacy, ""},
	{"sect233r1", []string{"sect233r1", "B-233"}, []string{"sect233r1", "B-233"}, 233, "1.0.2", Legacy, ""},
	{"sect239k1", []string{"sect239k1"}, []string{"sect239k1"}, 239, "1.0.2", Legacy, ""},
	{"sect283k1", []string{"sect283k1", "K-283"}, []string{"sect283k1", "K-283"}, 283, "1.0.2", Good, "binary curves are deprecated for TLS (RFC 8422) and not offered by browsers"},
	{"sect283r1", []string{"sect283r1", "B-283"}, []string{"sect283r1", "B-283"}, 283, "1.0.2", Good, "binary curves are deprecated for TLS (RFC 8422) and not offered by browsers"},
	{"sect409k1", []string{"sect409k1", "K-409"}, []string{"sect409k1", "K-409"}, 409, "1.0.2", Good, "binary curves are deprecated for TLS (RFC 8422) and not offered by browsers"},
	{"sect409r1", []string{"sect409r1", "B-409"}, []string{"sect409r1", "B-409"}, 409, "1.0.2", Good, "binary curves are deprecated for TLS (RFC 8422) and not offered by browsers"},
	{"sect571k1", []string{"sect571k1", "K-571"}, []string{"sect571k1", "K-571"}, 571, "1.0.2", Good, "binary curves are deprecated for TLS (RFC 8422) and not offered by browsers"},
	{"sect571r1", []string{"sect571r1", "B-571"}, []string{"sect571r1", "B-571"}, 571, "1.0.2", Good, "binary curves are deprecated for TLS (RFC 8422) and not offered by browsers"},
	{"brainpoolP256r1", []string{"brainpoolP256r1"}, []string{"brainpoolP256r1"}, 256, "1.0.2", Good, "not offered by browsers and not in Mozilla's recommendations"},
	{"brainpoolP384r1", []string{"brainpoolP384r1"}, []string{"brainpoolP384r1"}, 384, "1.0.2", Good, "not offered by browsers and not in Mozilla's recommendations"},
	{"brainpoolP512r1", []string{"brainpoolP512r1"}, []string{"brainpoolP512r1"}, 512, "1.0.2", Good, "not offered by browsers and not in Mozilla's recommendations"},
	{"x25519", []string{"x25519", "X25519"}, []string{"X25519"}, 255, "1.1.1", Good, ""},
	{"x448", []string{"x448", "X448"}, []string{"X448"}, 448, "1.1.1", Good, ""},
	{"ffdhe2048", []string{"ffdhe2048"}, nil, 2048, "3.0", Good, ""},
	{"ffdhe3072", []string{"ffdhe3072"}, nil, 3072, "3.0", Good, ""},
	{"ffdhe4096", []string{"ffdhe4096"}, nil, 4096, "3.0", Good, ""},
	{"ffdhe6144", []string{"ffdhe6144"}, nil, 6144, "3.0", Good, ""},
	{"ffdhe8192", []string{"ffdhe8192"}, nil, 8192, "3.0", Good, ""},
	{"X25519MLKEM768", []string{"X25519MLKEM768"}, nil, 255, "3.5", Good, "post-quantum hybrid"},
	{"SecP256r1MLKEM768", []string{"SecP256r1MLKEM768"}, nil, 256, "3.5", Good, "post-quantum hybrid"},
	{"SecP384r1MLKEM1024", []string{"SecP384r1MLKEM1024"}, nil, 384, "3.5", Good, "post-quantum hybrid"},
}

// weakBrainpool are brainpool curves below 256 bits: OpenSSL never offers
// them for TLS, but people write them.
var weakBrainpool = map[string]int{
	"brainpoolP160r1": 160, "brainpoolP160t1": 160, "brainpoolP192r1": 192, "brainpoolP192t1": 192,
	"brainpoolP224r1": 224, "brainpoolP224t1": 224,
}

// GroupInfo is what nginxls knows of one name in a group list.
type GroupInfo struct {
	Group *Group // nil when the name denotes no group OpenSSL knows
	Bits  int    // also set for known-but-unsupported weak names
	// Supported is false when the target OpenSSL rejects the name, which
	// makes nginx refuse to start.
	Supported bool
	Status    Status
}

// LookupGroup classifies a group name for an OpenSSL profile ("3.0",
// "1.1.1", "1.0.2").
func LookupGroup(name, openssl string) GroupInfo {
	legacy := openssl == "1.0.2" || openssl == "1.1.1"
	for _, g := range Groups {
		names := g.Names
		if legacy {
			names = g.Legacy
		}
		for _, n := range names {
			if n == name {
				ok := profileAtLeast(openssl, g.Since)
				return GroupInfo{Group: g, Bits: g.Bits, Supported: ok, Status: g.Status}
			}
		}
		// A name of the group that this profile spells differently.
		if slices.Contains(g.Names, name) || slices.Contains(g.Legacy, name) {
			return GroupInfo{Group: g, Bits: g.Bits, Supported: false, Status: g.Status}
		}
	}
	if bits, ok := weakBrainpool[name]; ok {
		return GroupInfo{Bits: bits, Status: Weak}
	}
	return GroupInfo{}
}

// SupportedSpelling returns the name the target OpenSSL accepts for the
// group a name denotes, matching case-insensitively (OpenSSL does not), or ""
// when the name denotes no group that profile offers.
func SupportedSpelling(name, openssl string) string {
	for _, g := range Groups {
		for _, n := range append(append([]string{}, g.Names...), g.Legacy...) {
			if !strings.EqualFold(n, name) {
				continue
			}
			if LookupGroup(n, openssl).Supported {
				return n
			}
			for _, alt := range append(append([]string{}, g.Names...), g.Legacy...) {
				if LookupGroup(alt, openssl).Supported {
					return alt
				}
			}
		}
	}
	return ""
}

// profileAtLeast compares OpenSSL profile names such as "1.1.1" and "3.0".
func profileAtLeast(have, want string) bool {
	h, w := strings.Split(have, "."), strings.Split(want, ".")
	for i := 0; i < 3; i++ {
		a, b := 0, 0
		if i < len(h) {
			a = atoi(h[i])
		}
		if i < len(w) {
			b = atoi(w[i])
		}
		if a != b {
			return a > b
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// RecommendedGroups is Mozilla's intermediate list for OpenSSL before 3.5;
// RecommendedGroups102 the same without X25519, which OpenSSL 1.0.2 lacks.
const (
	RecommendedGroups    = "X25519:prime256v1:secp384r1"
	RecommendedGroups102 = "prime256v1:secp384r1"
)

// GroupNotes explains the classes used by the curve rules.
const (
	WeakGroupWhy   = "a group below 224 bits gives less than 112 bits of security, the floor set by NIST SP 800-57 and RFC 9325; a network attacker who breaks it reads the traffic"
	LegacyGroupWhy = "224- to 239-bit groups give about 112 bits of security, the bare minimum; no browser offers them and Mozilla recommends X25519, P-256 and P-384"
)
