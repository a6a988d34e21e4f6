package openssl

import "strings"

// The algorithm fields of a suite, one bit per algorithm, as OpenSSL's
// cipher-string engine sees them: an alias is a mask per field, and a suite
// matches when every non-zero mask shares a bit with it. The bit values are
// this package's own.

// Kx is a key exchange algorithm.
type Kx uint32

const (
	KxRSA Kx = 1 << iota
	KxDHE
	KxECDHE
	KxPSK
	KxRSAPSK
	KxECDHEPSK
	KxDHEPSK
	KxSRP
	KxGOST
	KxGOST18
	// Static (EC)DH with a DH/ECDH certificate: OpenSSL 1.0.2 only.
	KxDHr
	KxDHd
	KxECDHr
	KxECDHe
)

// Auth is a server authentication algorithm.
type Auth uint32

const (
	AuthRSA Auth = 1 << iota
	AuthDSS
	AuthNULL // anonymous: no authentication at all
	AuthECDSA
	AuthPSK
	AuthSRP
	AuthGOST01
	AuthGOST12
	// The certificate of a static (EC)DH suite: OpenSSL 1.0.2 only.
	AuthDH
	AuthECDH
)

// Enc is a bulk encryption algorithm.
type Enc uint32

const (
	EncDES Enc = 1 << iota
	Enc3DES
	EncRC4
	EncRC2
	EncIDEA
	EncNULL
	EncAES128
	EncAES256
	EncCAMELLIA128
	EncCAMELLIA256
	EncGOST89
	EncSEED
	EncAES128GCM
	EncAES256GCM
	EncAES128CCM
	EncAES256CCM
	EncAES128CCM8
	EncAES256CCM8
	EncGOST8912
	EncCHACHA20POLY1305
	EncARIA128GCM
	EncARIA256GCM
	EncMAGMA
	EncKUZNYECHIK
)

// Groups of encryption algorithms that aliases and classifications use.
const (
	EncAESGCM   = EncAES128GCM | EncAES256GCM
	EncAESCCM   = EncAES128CCM | EncAES256CCM | EncAES128CCM8 | EncAES256CCM8
	EncAESCCM8  = EncAES128CCM8 | EncAES256CCM8
	EncAES      = EncAES128 | EncAES256 | EncAESGCM | EncAESCCM
	EncCAMELLIA = EncCAMELLIA128 | EncCAMELLIA256
	EncARIA     = EncARIA128GCM | EncARIA256GCM
	// EncCBC are the block ciphers used in CBC mode with a separate MAC.
	EncCBC = EncDES | Enc3DES | EncRC2 | EncIDEA | EncAES128 | EncAES256 | EncCAMELLIA | EncSEED
	// EncAEAD are the authenticated encryption modes.
	EncAEAD = EncAESGCM | EncAESCCM | EncCHACHA20POLY1305 | EncARIA
)

// MAC is a message authentication algorithm (AEAD for the AEAD modes).
type MAC uint32

const (
	MACMD5 MAC = 1 << iota
	MACSHA1
	MACGOST94
	MACGOST89MAC
	MACSHA256
	MACSHA384
	MACAEAD
	MACGOST12_256
	MACGOST89MAC12
	MACGOST12_512
	MACMAGMAOMAC
	MACKUZNYECHIKOMAC
)

// Strength is a suite's classification flags: its strength class (one of
// StrongNone, Low, Medium, High), FIPS approval, and NotDefault (left out of
// DEFAULT). OpenSSL 1.0.2 also marked every suite export or not.
type Strength uint32

const (
	StrongNone Strength = 1 << iota
	Low
	Medium
	High
	FIPS
	NotDefault
	NotExport // OpenSSL 1.0.2
	Export    // OpenSSL 1.0.2: 40- or 56-bit export grade
	Export40  // OpenSSL 1.0.2
	Export56  // OpenSSL 1.0.2
)

// The masks OpenSSL compares separately: an item's class must share a bit
// with the suite's class, and its default flag with the suite's.
const (
	strongMask    = StrongNone | Low | Medium | High | FIPS
	defaultMask   = NotDefault
	strongMask102 = StrongNone | Export40 | Export56 | Low | Medium | High | FIPS
	expMask102    = NotExport | Export
)

// Class names the strength class: "HIGH", "MEDIUM", "LOW", "EXPORT" or "NONE".
func (s Strength) Class() string {
	switch {
	case s&Export != 0:
		return "EXPORT"
	case s&High != 0:
		return "HIGH"
	case s&Medium != 0:
		return "MEDIUM"
	case s&Low != 0:
		return "LOW"
	}
	return "NONE"
}

func (s Strength) String() string {
	var parts []string
	for _, f := range []struct {
		bit  Strength
		name string
	}{{StrongNone, "STRONG_NONE"}, {Low, "LOW"}, {Medium, "MEDIUM"}, {High, "HIGH"}, {FIPS, "FIPS"},
		{NotDefault, "NOT_DEFAULT"}, {NotExport, "NOT_EXP"}, {Export, "EXPORT"}, {Export40, "EXP40"}, {Export56, "EXP56"}} {
		if s&f.bit != 0 {
			parts = append(parts, f.name)
		}
	}
	return strings.Join(parts, "|")
}

// Version is a protocol version by its wire value.
type Version uint16

const (
	SSLv3 Version = 0x0300
	TLS10 Version = 0x0301
	TLS11 Version = 0x0302
	TLS12 Version = 0x0303
	TLS13 Version = 0x0304
)

// String is OpenSSL's spelling, as in `openssl ciphers -v`.
func (v Version) String() string {
	switch v {
	case SSLv3:
		return "SSLv3"
	case TLS10:
		return "TLSv1"
	case TLS11:
		return "TLSv1.1"
	case TLS12:
		return "TLSv1.2"
	case TLS13:
		return "TLSv1.3"
	}
	return "unknown"
}

// The descriptions below are OpenSSL's, as `openssl ciphers -v` prints them.

func (k Kx) String() string {
	return bitName(uint32(k), []string{"RSA", "DH", "ECDH", "PSK", "RSAPSK", "ECDHEPSK", "DHEPSK", "SRP", "GOST", "GOST18",
		"DH/RSA", "DH/DSS", "ECDH/RSA", "ECDH/ECDSA"})
}

func (a Auth) String() string {
	if a == AuthGOST01|AuthGOST12 {
		return "GOST12"
	}
	return bitName(uint32(a), []string{"RSA", "DSS", "None", "ECDSA", "PSK", "SRP", "GOST01", "GOST12", "DH", "ECDH"})
}

func (e Enc) String() string {
	return bitName(uint32(e), []string{"DES(56)", "3DES(168)", "RC4(128)", "RC2(128)", "IDEA(128)", "None",
		"AES(128)", "AES(256)", "Camellia(128)", "Camellia(256)", "GOST89(256)", "SEED(128)",
		"AESGCM(128)", "AESGCM(256)", "AESCCM(128)", "AESCCM(256)", "AESCCM8(128)", "AESCCM8(256)",
		"GOST89(256)", "CHACHA20/POLY1305(256)", "ARIAGCM(128)", "ARIAGCM(256)", "MAGMA", "KUZNYECHIK"})
}

func (m MAC) String() string {
	return bitName(uint32(m), []string{"MD5", "SHA1", "GOST94", "GOST89", "SHA256", "SHA384", "AEAD",
		"GOST2012", "GOST89", "GOST2012", "MAGMAOMAC", "KUZNYECHIKOMAC"})
}

func bitName(v uint32, names []string) string {
	for i, n := range names {
		if v == 1<<i {
			return n
		}
	}
	return "unknown"
}
