package negotiate

import (
	"strconv"

	"github.com/nginxls/nginxls/analysis/openssl"
)

// OpenSSL 3.0's rules, each as the library states it (ssl/t1_lib.c,
// ssl/ssl_cert.c, ssl/statem, providers/common/capabilities.c), and held to
// live handshakes by the live test.

// minBits is the security a security level demands, in bits
// (ssl_security_default_callback): level 1 80, 2 112, 3 128, 4 192, 5 256.
func minBits(level int) int {
	switch {
	case level <= 0:
		return 0
	case level == 1:
		return 80
	case level == 2:
		return 112
	case level == 3:
		return 128
	case level == 4:
		return 192
	}
	return 256
}

// securityBits is BN_security_bits for a finite-field or RSA modulus of
// L bits (NIST SP 800-57 part 1).
func securityBits(l int) int {
	switch {
	case l >= 15360:
		return 256
	case l >= 7680:
		return 192
	case l >= 3072:
		return 128
	case l >= 2048:
		return 112
	case l >= 1024:
		return 80
	}
	return 0
}

// ecSecurityBits is the security of an elliptic curve of the given field
// size: half of it, as OpenSSL rounds it for its named curves.
func ecSecurityBits(bits int) int {
	switch {
	case bits >= 512:
		return 256
	case bits >= 384:
		return 192
	case bits >= 256:
		return 128
	case bits >= 224:
		return 112
	case bits >= 160:
		return 80
	}
	return 0
}

// groupFacts is what capabilities.c says of a TLS group: its security bits
// and the protocol versions it can be used with.
type groupFacts struct {
	secBits        int
	minTLS, maxTLS openssl.Version // maxTLS 0: no upper bound
}

// groups30 are OpenSSL 3.0's TLS groups by their TLS name
// (tlsdata.Group.Name). Only the five groups of the default list and the
// finite-field ones work with TLS 1.3; the finite-field groups work with TLS
// 1.3 only (TLS 1.2 DHE takes its group from ssl_dhparam).
var groups30 = map[string]groupFacts{
	"sect163k1": {80, openssl.TLS10, openssl.TLS12}, "sect163r1": {80, openssl.TLS10, openssl.TLS12},
	"sect163r2": {80, openssl.TLS10, openssl.TLS12}, "sect193r1": {80, openssl.TLS10, openssl.TLS12},
	"sect193r2": {80, openssl.TLS10, openssl.TLS12}, "sect233k1": {112, openssl.TLS10, openssl.TLS12},
	"sect233r1": {112, openssl.TLS10, openssl.TLS12}, "sect239k1": {112, openssl.TLS10, openssl.TLS12},
	"sect283k1": {128, openssl.TLS10, openssl.TLS12}, "sect283r1": {128, openssl.TLS10, openssl.TLS12},
	"sect409k1": {192, openssl.TLS10, openssl.TLS12}, "sect409r1": {192, openssl.TLS10, openssl.TLS12},
	"sect571k1": {256, openssl.TLS10, openssl.TLS12}, "sect571r1": {256, openssl.TLS10, openssl.TLS12},
	"secp160k1": {80, openssl.TLS10, openssl.TLS12}, "secp160r1": {80, openssl.TLS10, openssl.TLS12},
	"secp160r2": {80, openssl.TLS10, openssl.TLS12}, "secp192k1": {80, openssl.TLS10, openssl.TLS12},
	"secp192r1": {80, openssl.TLS10, openssl.TLS12}, "secp224k1": {112, openssl.TLS10, openssl.TLS12},
	"secp224r1": {112, openssl.TLS10, openssl.TLS12}, "secp256k1": {128, openssl.TLS10, openssl.TLS12},
	"secp256r1": {128, openssl.TLS10, 0}, "secp384r1": {192, openssl.TLS10, 0}, "secp521r1": {256, openssl.TLS10, 0},
	"brainpoolP256r1": {128, openssl.TLS10, openssl.TLS12}, "brainpoolP384r1": {192, openssl.TLS10, openssl.TLS12},
	"brainpoolP512r1": {256, openssl.TLS10, openssl.TLS12},
	"x25519":          {128, openssl.TLS10, 0}, "x448": {224, openssl.TLS10, 0},
	"ffdhe2048": {112, openssl.TLS13, 0}, "ffdhe3072": {128, openssl.TLS13, 0}, "ffdhe4096": {128, openssl.TLS13, 0},
	"ffdhe6144": {128, openssl.TLS13, 0}, "ffdhe8192": {192, openssl.TLS13, 0},
}

// defaultGroups30 is the group list of an OpenSSL 3.0 server that sets
// none (ssl_ecdh_curve auto), in its order.
var defaultGroups30 = []string{"x25519", "secp256r1", "x448", "secp521r1", "secp384r1",
	"ffdhe2048", "ffdhe3072", "ffdhe4096", "ffdhe6144", "ffdhe8192"}

// defaultTLS13Suites are OpenSSL's TLS 1.3 suites when Ciphersuites is not
// set, in order.
const defaultTLS13Suites = "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"

// versionAllowed is the SSL_SECOP_VERSION part of the default security
// callback: SSLv3 goes at level 2, TLS 1.0 at 3, TLS 1.1 at 4.
func versionAllowed(v openssl.Version, level int) bool {
	switch {
	case v <= openssl.SSLv3 && level >= 2:
		return false
	case v <= openssl.TLS10 && level >= 3:
		return false
	case v <= openssl.TLS11 && level >= 4:
		return false
	}
	return true
}

// suiteRefusal is the SSL_SECOP_CIPHER_SHARED part of the default
// security callback: why the level refuses a suite, or "".
func suiteRefusal(s *openssl.Suite, level int) string {
	if level <= 0 {
		return ""
	}
	mb := minBits(level)
	switch {
	case s.Bits < mb:
		if s.Enc == openssl.EncNULL {
			return "it encrypts nothing"
		}
		return "its cipher has " + strconv.Itoa(s.Bits) + " bits of security"
	case s.Auth&openssl.AuthNULL != 0 && s.Min != openssl.TLS13:
		return "it is anonymous"
	case s.MAC&openssl.MACMD5 != 0:
		return "its MAC is MD5"
	case mb > 160 && s.MAC&openssl.MACSHA1 != 0:
		return "its MAC is SHA-1"
	case level >= 3 && s.Min != openssl.TLS13 && s.Kx&(openssl.KxDHE|openssl.KxECDHE) == 0:
		return "it has no forward secrecy"
	}
	return ""
}
