package openssl

// Alias is a word of a cipher string that stands for a group of suites: a
// mask per algorithm field (zero: any), a protocol, and class flags. A suite
// matches when it shares a bit with every non-zero mask.
type Alias struct {
	Name     string
	Kx       Kx
	Auth     Auth
	Enc      Enc
	MAC      MAC
	Min      Version  // OpenSSL 1.1.0+: the suites introduced by exactly this protocol
	ssl      sslBits  // OpenSSL 1.0.2: protocol bits
	Strength Strength // class flags, matched as OpenSSL does (see pattern)
	Doc      string   // what the alias selects, in a few words
}

// sslBits are OpenSSL 1.0.2's protocol masks, where SSLv3 and TLSv1 share a
// bit (TLS 1.0 introduced no suites of its own) and TLS 1.1 has none.
type sslBits uint8

const (
	sslV2  sslBits = 1
	sslV3  sslBits = 2
	sslV12 sslBits = 4
	// notSSLv2 is 1.0.2's COMPLEMENTOFDEFAULT protocol mask.
	notSSLv2 = ^sslV2
)

const (
	anyButNULL = ^EncNULL
	anyButAnon = ^AuthNULL
	kxPSKAll   = KxPSK | KxRSAPSK | KxECDHEPSK | KxDHEPSK
)

// aliases30 is OpenSSL 3.0's alias table (cipher_aliases[] of ssl_ciph.c;
// 1.1.1's is the same for every suite it builds). A build leaves out the
// aliases whose algorithms it lacks, so on a stock 3.0 RC4, RC2, IDEA, SEED
// and the GOST aliases are unknown words, while 3DES, LOW and MEDIUM are
// known but select nothing.
var aliases30 = []Alias{
	{Name: "ALL", Enc: anyButNULL, Doc: "every suite except those without encryption (eNULL)"},
	{Name: "COMPLEMENTOFALL", Enc: EncNULL, Doc: "the suites ALL leaves out: no encryption (eNULL)"},
	{Name: "COMPLEMENTOFDEFAULT", Strength: NotDefault, Doc: "the suites DEFAULT leaves out (anonymous, DSS, CAMELLIA, ARIA, CCM, PSK and SRP suites, ...)"},

	{Name: "kRSA", Kx: KxRSA, Doc: "static RSA key exchange (no forward secrecy)"},
	{Name: "kEDH", Kx: KxDHE, Doc: "ephemeral finite-field Diffie-Hellman, anonymous included"},
	{Name: "kDHE", Kx: KxDHE, Doc: "ephemeral finite-field Diffie-Hellman, anonymous included"},
	{Name: "DH", Kx: KxDHE, Doc: "ephemeral finite-field Diffie-Hellman, anonymous included"},
	{Name: "kEECDH", Kx: KxECDHE, Doc: "ephemeral elliptic-curve Diffie-Hellman, anonymous included"},
	{Name: "kECDHE", Kx: KxECDHE, Doc: "ephemeral elliptic-curve Diffie-Hellman, anonymous included"},
	{Name: "ECDH", Kx: KxECDHE, Doc: "ephemeral elliptic-curve Diffie-Hellman, anonymous included"},
	{Name: "kPSK", Kx: KxPSK, Doc: "pre-shared key only"},
	{Name: "kRSAPSK", Kx: KxRSAPSK, Doc: "pre-shared key with RSA"},
	{Name: "kECDHEPSK", Kx: KxECDHEPSK, Doc: "pre-shared key with ECDHE"},
	{Name: "kDHEPSK", Kx: KxDHEPSK, Doc: "pre-shared key with DHE"},
	{Name: "kSRP", Kx: KxSRP, Doc: "SRP key exchange"},
	{Name: "kGOST", Kx: KxGOST, Doc: "GOST key exchange (needs a GOST engine)"},
	{Name: "kGOST18", Kx: KxGOST18, Doc: "GOST 2018 key exchange (needs a GOST engine)"},

	{Name: "aRSA", Auth: AuthRSA, Doc: "RSA certificates"},
	{Name: "aDSS", Auth: AuthDSS, Doc: "DSA certificates"},
	{Name: "DSS", Auth: AuthDSS, Doc: "DSA certificates"},
	{Name: "aNULL", Auth: AuthNULL, Doc: "no authentication (anonymous)"},
	{Name: "aECDSA", Auth: AuthECDSA, Doc: "ECDSA certificates"},
	{Name: "ECDSA", Auth: AuthECDSA, Doc: "ECDSA certificates"},
	{Name: "aPSK", Auth: AuthPSK, Doc: "authentication by pre-shared key"},
	{Name: "aGOST01", Auth: AuthGOST01, Doc: "GOST R 34.10-2001 certificates"},
	{Name: "aGOST12", Auth: AuthGOST12, Doc: "GOST R 34.10-2012 certificates"},
	{Name: "aGOST", Auth: AuthGOST01 | AuthGOST12, Doc: "GOST certificates"},
	{Name: "aSRP", Auth: AuthSRP, Doc: "authentication by SRP"},

	{Name: "EDH", Kx: KxDHE, Auth: anyButAnon, Doc: "ephemeral DH, authenticated"},
	{Name: "DHE", Kx: KxDHE, Auth: anyButAnon, Doc: "ephemeral DH, authenticated"},
	{Name: "EECDH", Kx: KxECDHE, Auth: anyButAnon, Doc: "ephemeral ECDH, authenticated"},
	{Name: "ECDHE", Kx: KxECDHE, Auth: anyButAnon, Doc: "ephemeral ECDH, authenticated"},
	{Name: "NULL", Enc: EncNULL, Doc: "no encryption"},
	{Name: "RSA", Kx: KxRSA, Auth: AuthRSA, Doc: "static RSA key exchange with RSA certificates"},
	{Name: "ADH", Kx: KxDHE, Auth: AuthNULL, Doc: "anonymous DH"},
	{Name: "AECDH", Kx: KxECDHE, Auth: AuthNULL, Doc: "anonymous ECDH"},
	{Name: "PSK", Kx: kxPSKAll, Doc: "every pre-shared key suite"},
	{Name: "SRP", Kx: KxSRP, Doc: "SRP suites"},

	{Name: "3DES", Enc: Enc3DES, Doc: "triple DES"},
	{Name: "RC4", Enc: EncRC4, Doc: "RC4"},
	{Name: "RC2", Enc: EncRC2, Doc: "RC2"},
	{Name: "IDEA", Enc: EncIDEA, Doc: "IDEA"},
	{Name: "SEED", Enc: EncSEED, Doc: "SEED"},
	{Name: "eNULL", Enc: EncNULL, Doc: "no encryption"},
	{Name: "GOST", Enc: EncGOST89 | EncGOST8912 | EncMAGMA | EncKUZNYECHIK, Doc: "GOST ciphers"},
	{Name: "AES128", Enc: EncAES128 | EncAES128GCM | EncAES128CCM | EncAES128CCM8, Doc: "128-bit AES in any mode"},
	{Name: "AES256", Enc: EncAES256 | EncAES256GCM | EncAES256CCM | EncAES256CCM8, Doc: "256-bit AES in any mode"},
	{Name: "AES", Enc: EncAES, Doc: "AES in any mode"},
	{Name: "AESGCM", Enc: EncAESGCM, Doc: "AES-GCM"},
	{Name: "AESCCM", Enc: EncAESCCM, Doc: "AES-CCM, 8-byte tags included"},
	{Name: "AESCCM8", Enc: EncAESCCM8, Doc: "AES-CCM with 8-byte tags"},
	{Name: "CAMELLIA128", Enc: EncCAMELLIA128, Doc: "128-bit Camellia"},
	{Name: "CAMELLIA256", Enc: EncCAMELLIA256, Doc: "256-bit Camellia"},
	{Name: "CAMELLIA", Enc: EncCAMELLIA, Doc: "Camellia"},
	{Name: "CHACHA20", Enc: EncCHACHA20POLY1305, Doc: "ChaCha20-Poly1305"},
	{Name: "GOST2012-GOST8912-GOST8912", Enc: EncGOST8912, Doc: "GOST 28147-89 with 2012 parameters"},
	{Name: "ARIA", Enc: EncARIA, Doc: "ARIA-GCM"},
	{Name: "ARIAGCM", Enc: EncARIA, Doc: "ARIA-GCM"},
	{Name: "ARIA128", Enc: EncARIA128GCM, Doc: "128-bit ARIA-GCM"},
	{Name: "ARIA256", Enc: EncARIA256GCM, Doc: "256-bit ARIA-GCM"},
	{Name: "CBC", Enc: EncCBC, Doc: "block ciphers in CBC mode"},

	{Name: "MD5", MAC: MACMD5, Doc: "HMAC-MD5 record MAC"},
	{Name: "SHA1", MAC: MACSHA1, Doc: "HMAC-SHA1 record MAC"},
	{Name: "SHA", MAC: MACSHA1, Doc: "HMAC-SHA1 record MAC"},
	{Name: "GOST94", MAC: MACGOST94, Doc: "GOST R 34.11-94 MAC"},
	{Name: "GOST89MAC", MAC: MACGOST89MAC | MACGOST89MAC12, Doc: "GOST 28147-89 MAC"},
	{Name: "SHA256", MAC: MACSHA256, Doc: "HMAC-SHA256 record MAC"},
	{Name: "SHA384", MAC: MACSHA384, Doc: "HMAC-SHA384 record MAC"},
	{Name: "GOST12", MAC: MACGOST12_256, Doc: "GOST R 34.11-2012 MAC"},

	{Name: "SSLv3", Min: SSLv3, Doc: "suites introduced by SSL 3.0 (usable with TLS 1.2 too)"},
	{Name: "TLSv1", Min: TLS10, Doc: "suites introduced by TLS 1.0 (usable with TLS 1.2 too)"},
	{Name: "TLSv1.0", Min: TLS10, Doc: "suites introduced by TLS 1.0 (usable with TLS 1.2 too)"},
	{Name: "TLSv1.2", Min: TLS12, Doc: "suites introduced by TLS 1.2"},

	{Name: "LOW", Strength: Low, Doc: "low-strength suites (none since OpenSSL 1.1.0)"},
	{Name: "MEDIUM", Strength: Medium, Doc: "medium-strength suites (3DES, SEED, IDEA, RC4 where built)"},
	{Name: "HIGH", Strength: High, Doc: "high-strength suites: every key size of 128 bits and more, anonymous and static-RSA suites included"},
	{Name: "FIPS", Enc: anyButNULL, Strength: FIPS, Doc: "FIPS 140-2 approved suites"},

	// Old spellings of the DHE 3DES suites; masks, not suite names.
	{Name: "EDH-DSS-DES-CBC3-SHA", Kx: KxDHE, Auth: AuthDSS, Enc: Enc3DES, MAC: MACSHA1, Strength: High | FIPS, Doc: "old name of DHE-DSS-DES-CBC3-SHA"},
	{Name: "EDH-RSA-DES-CBC3-SHA", Kx: KxDHE, Auth: AuthRSA, Enc: Enc3DES, MAC: MACSHA1, Strength: High | FIPS, Doc: "old name of DHE-RSA-DES-CBC3-SHA"},
}

// aliases102 is OpenSSL 1.0.2's table. It differs: ECDH and DH include the
// static variants, EXPORT and LOW exist, COMPLEMENTOFDEFAULT means
// "anonymous or export", protocols are masks where TLSv1 equals SSLv3.
var aliases102 = []Alias{
	{Name: "ALL", Enc: anyButNULL, Doc: "every suite except those without encryption (eNULL)"},
	{Name: "COMPLEMENTOFALL", Enc: EncNULL, Doc: "the suites ALL leaves out: no encryption (eNULL)"},
	{Name: "COMPLEMENTOFDEFAULT", Auth: AuthNULL, Enc: anyButNULL, ssl: notSSLv2, Strength: expMask102, Doc: "anonymous and export suites"},

	{Name: "kRSA", Kx: KxRSA, Doc: "static RSA key exchange (no forward secrecy)"},
	{Name: "kDHr", Kx: KxDHr, Doc: "static DH, RSA-signed certificate"},
	{Name: "kDHd", Kx: KxDHd, Doc: "static DH, DSA-signed certificate"},
	{Name: "kDH", Kx: KxDHr | KxDHd, Doc: "static DH"},
	{Name: "kEDH", Kx: KxDHE, Doc: "ephemeral DH, anonymous included"},
	{Name: "kDHE", Kx: KxDHE, Doc: "ephemeral DH, anonymous included"},
	{Name: "DH", Kx: KxDHr | KxDHd | KxDHE, Doc: "static and ephemeral DH"},
	{Name: "kECDHr", Kx: KxECDHr, Doc: "static ECDH, RSA-signed certificate"},
	{Name: "kECDHe", Kx: KxECDHe, Doc: "static ECDH, ECDSA-signed certificate"},
	{Name: "kECDH", Kx: KxECDHr | KxECDHe, Doc: "static ECDH"},
	{Name: "kEECDH", Kx: KxECDHE, Doc: "ephemeral ECDH, anonymous included"},
	{Name: "kECDHE", Kx: KxECDHE, Doc: "ephemeral ECDH, anonymous included"},
	{Name: "ECDH", Kx: KxECDHr | KxECDHe | KxECDHE, Doc: "static and ephemeral ECDH"},
	{Name: "kPSK", Kx: KxPSK, Doc: "pre-shared key"},
	{Name: "kSRP", Kx: KxSRP, Doc: "SRP key exchange"},
	{Name: "kGOST", Kx: KxGOST, Doc: "GOST key exchange"},

	{Name: "aRSA", Auth: AuthRSA, Doc: "RSA certificates"},
	{Name: "aDSS", Auth: AuthDSS, Doc: "DSA certificates"},
	{Name: "DSS", Auth: AuthDSS, Doc: "DSA certificates"},
	{Name: "aNULL", Auth: AuthNULL, Doc: "no authentication (anonymous)"},
	{Name: "aDH", Auth: AuthDH, Doc: "static DH certificates"},
	{Name: "aECDH", Auth: AuthECDH, Doc: "static ECDH certificates"},
	{Name: "aECDSA", Auth: AuthECDSA, Doc: "ECDSA certificates"},
	{Name: "ECDSA", Auth: AuthECDSA, Doc: "ECDSA certificates"},
	{Name: "aPSK", Auth: AuthPSK, Doc: "authentication by pre-shared key"},
	{Name: "aGOST01", Auth: AuthGOST01, Doc: "GOST R 34.10-2001 certificates"},
	{Name: "aGOST", Auth: AuthGOST01, Doc: "GOST certificates"},
	{Name: "aSRP", Auth: AuthSRP, Doc: "authentication by SRP"},

	{Name: "EDH", Kx: KxDHE, Auth: anyButAnon, Doc: "ephemeral DH, authenticated"},
	{Name: "DHE", Kx: KxDHE, Auth: anyButAnon, Doc: "ephemeral DH, authenticated"},
	{Name: "EECDH", Kx: KxECDHE, Auth: anyButAnon, Doc: "ephemeral ECDH, authenticated"},
	{Name: "ECDHE", Kx: KxECDHE, Auth: anyButAnon, Doc: "ephemeral ECDH, authenticated"},
	{Name: "NULL", Enc: EncNULL, Doc: "no encryption"},
	{Name: "RSA", Kx: KxRSA, Auth: AuthRSA, Doc: "static RSA key exchange with RSA certificates"},
	{Name: "ADH", Kx: KxDHE, Auth: AuthNULL, Doc: "anonymous DH"},
	{Name: "AECDH", Kx: KxECDHE, Auth: AuthNULL, Doc: "anonymous ECDH"},
	{Name: "PSK", Kx: KxPSK, Auth: AuthPSK, Doc: "pre-shared key suites"},
	{Name: "SRP", Kx: KxSRP, Doc: "SRP suites"},

	{Name: "DES", Enc: EncDES, Doc: "single DES (56 bits, or 40 for export)"},
	{Name: "3DES", Enc: Enc3DES, Doc: "triple DES"},
	{Name: "RC4", Enc: EncRC4, Doc: "RC4"},
	{Name: "RC2", Enc: EncRC2, Doc: "RC2"},
	{Name: "IDEA", Enc: EncIDEA, Doc: "IDEA"},
	{Name: "SEED", Enc: EncSEED, Doc: "SEED"},
	{Name: "eNULL", Enc: EncNULL, Doc: "no encryption"},
	{Name: "AES128", Enc: EncAES128 | EncAES128GCM, Doc: "128-bit AES"},
	{Name: "AES256", Enc: EncAES256 | EncAES256GCM, Doc: "256-bit AES"},
	{Name: "AES", Enc: EncAES128 | EncAES256 | EncAESGCM, Doc: "AES"},
	{Name: "AESGCM", Enc: EncAESGCM, Doc: "AES-GCM"},
	{Name: "CAMELLIA128", Enc: EncCAMELLIA128, Doc: "128-bit Camellia"},
	{Name: "CAMELLIA256", Enc: EncCAMELLIA256, Doc: "256-bit Camellia"},
	{Name: "CAMELLIA", Enc: EncCAMELLIA, Doc: "Camellia"},

	{Name: "MD5", MAC: MACMD5, Doc: "HMAC-MD5 record MAC"},
	{Name: "SHA1", MAC: MACSHA1, Doc: "HMAC-SHA1 record MAC"},
	{Name: "SHA", MAC: MACSHA1, Doc: "HMAC-SHA1 record MAC"},
	{Name: "GOST94", MAC: MACGOST94, Doc: "GOST R 34.11-94 MAC"},
	{Name: "GOST89MAC", MAC: MACGOST89MAC, Doc: "GOST 28147-89 MAC"},
	{Name: "SHA256", MAC: MACSHA256, Doc: "HMAC-SHA256 record MAC"},
	{Name: "SHA384", MAC: MACSHA384, Doc: "HMAC-SHA384 record MAC"},

	{Name: "SSLv2", ssl: sslV2, Doc: "SSL 2.0 suites"},
	{Name: "SSLv3", ssl: sslV3, Doc: "suites of SSL 3.0 and TLS 1.0"},
	{Name: "TLSv1", ssl: sslV3, Doc: "suites of SSL 3.0 and TLS 1.0"},
	{Name: "TLSv1.2", ssl: sslV12, Doc: "suites introduced by TLS 1.2"},

	{Name: "EXP", Strength: Export, Doc: "export suites (40 and 56 bits)"},
	{Name: "EXPORT", Strength: Export, Doc: "export suites (40 and 56 bits)"},
	{Name: "EXP40", Strength: Export40, Doc: "40-bit export suites"},
	{Name: "EXP56", Strength: Export56, Doc: "56-bit export suites"},
	{Name: "LOW", Strength: Low, Doc: "low-strength suites (single DES)"},
	{Name: "MEDIUM", Strength: Medium, Doc: "medium-strength suites (RC4, SEED, IDEA)"},
	{Name: "HIGH", Strength: High, Doc: "high-strength suites, 3DES included before 1.0.2i"},
	{Name: "FIPS", Enc: anyButNULL, Strength: FIPS, Doc: "FIPS 140-2 approved suites"},

	// New spellings of the EDH suites, accepted by 1.0.2 for forward compatibility.
	{Name: "EXP-DHE-DSS-DES-CBC-SHA", Kx: KxDHE, Auth: AuthDSS, Enc: EncDES, MAC: MACSHA1, ssl: sslV3, Strength: Export | Export40, Doc: "new name of EXP-EDH-DSS-DES-CBC-SHA"},
	{Name: "DHE-DSS-DES-CBC-SHA", Kx: KxDHE, Auth: AuthDSS, Enc: EncDES, MAC: MACSHA1, ssl: sslV3, Strength: NotExport | Low, Doc: "new name of EDH-DSS-DES-CBC-SHA"},
	{Name: "DHE-DSS-DES-CBC3-SHA", Kx: KxDHE, Auth: AuthDSS, Enc: Enc3DES, MAC: MACSHA1, ssl: sslV3, Strength: NotExport | High | FIPS, Doc: "new name of EDH-DSS-DES-CBC3-SHA"},
	{Name: "EXP-DHE-RSA-DES-CBC-SHA", Kx: KxDHE, Auth: AuthRSA, Enc: EncDES, MAC: MACSHA1, ssl: sslV3, Strength: Export | Export40, Doc: "new name of EXP-EDH-RSA-DES-CBC-SHA"},
	{Name: "DHE-RSA-DES-CBC-SHA", Kx: KxDHE, Auth: AuthRSA, Enc: EncDES, MAC: MACSHA1, ssl: sslV3, Strength: NotExport | Low, Doc: "new name of EDH-RSA-DES-CBC-SHA"},
	{Name: "DHE-RSA-DES-CBC3-SHA", Kx: KxDHE, Auth: AuthRSA, Enc: Enc3DES, MAC: MACSHA1, ssl: sslV3, Strength: NotExport | High | FIPS, Doc: "new name of EDH-RSA-DES-CBC3-SHA"},
}

// disabled are the algorithms a build lacks; an alias all of whose bits in
// some field are disabled is dropped from its table.
type disabled struct {
	kx   Kx
	auth Auth
	enc  Enc
	mac  MAC
}

var (
	gostKx   = KxGOST | KxGOST18
	gostAuth = AuthGOST01 | AuthGOST12
	gostEnc  = EncGOST89 | EncGOST8912 | EncMAGMA | EncKUZNYECHIK
	gostMAC  = MACGOST94 | MACGOST89MAC | MACGOST12_256 | MACGOST89MAC12 | MACGOST12_512 | MACMAGMAOMAC | MACKUZNYECHIKOMAC

	// OpenSSL 3.0 without the legacy provider (nginx never loads it): no
	// single DES, RC4, RC2, IDEA or SEED; no GOST without its engine.
	disabled30 = disabled{kx: gostKx, auth: gostAuth, enc: EncDES | EncRC4 | EncRC2 | EncIDEA | EncSEED | gostEnc, mac: gostMAC}
	// 1.1.1 and 1.0.2 have every classic cipher; GOST needs an engine.
	disabledOld = disabled{kx: gostKx, auth: gostAuth, enc: gostEnc, mac: gostMAC}
)

func (d disabled) drops(a *Alias) bool {
	return a.Kx != 0 && a.Kx&^d.kx == 0 ||
		a.Auth != 0 && a.Auth&^d.auth == 0 ||
		a.Enc != 0 && a.Enc&^d.enc == 0 ||
		a.MAC != 0 && a.MAC&^d.mac == 0
}

// LookupAlias finds a word of a cipher string in a profile's alias table;
// known reports whether the profile's builds keep it (an alias of missing
// algorithms is an unknown word there).
func LookupAlias(name, profile string) (a *Alias, known bool) {
	p := getProfile(profile)
	if a := p.aliases[name]; a != nil {
		return a, true
	}
	for _, table := range [][]Alias{p.aliasTable} {
		for i := range table {
			if table[i].Name == name {
				return &table[i], false
			}
		}
	}
	return nil, false
}
