package openssl

// Suites of older OpenSSL builds, written by hand: no OpenSSL 1.1.1 or 1.0.2
// is at hand to generate them from. Ids and IANA names are the registry's
// (https://www.iana.org/assignments/tls-parameters, "TLS Cipher Suites");
// OpenSSL names, algorithms and classes are those of the releases' cipher
// tables (ssl/s3_lib.c).
//
// OpenSSL 1.1.1 (stock build, no enable-weak-ssl-ciphers) has every suite of
// 3.0 plus IDEA and SEED, which 3.0 moved to the legacy provider.
//
// The 1.0.2 profile is a legacy build of the kind still found on old
// distributions: before 1.0.2i (SWEET32), so 3DES is HIGH, and built with
// the EXPORT and LOW (single DES) suites that 1.0.2g stopped building by
// default. It has RC4 (MEDIUM), static DH and ECDH suites, and none of the
// suites added in 1.1.0 (CHACHA20, CCM, ARIA, Camellia with SHA-2, most PSK).
// SSLv2 and Kerberos suites are left out: nginx builds did not use them.

// in102IDs are the suites of suites30 that OpenSSL 1.0.2 already had.
var in102IDs = map[uint16]bool{
	0x0001: true, 0x0002: true, 0x003B: true, // NULL-MD5, NULL-SHA, NULL-SHA256
	0x002F: true, 0x0032: true, 0x0033: true, 0x0034: true, 0x0035: true, 0x0038: true, 0x0039: true, 0x003A: true,
	0x003C: true, 0x003D: true, 0x0040: true, 0x0067: true, 0x006A: true, 0x006B: true, 0x006C: true, 0x006D: true,
	0x0041: true, 0x0044: true, 0x0045: true, 0x0046: true, 0x0084: true, 0x0087: true, 0x0088: true, 0x0089: true,
	0x008C: true, 0x008D: true, // PSK-AES128-CBC-SHA, PSK-AES256-CBC-SHA
	0x009C: true, 0x009D: true, 0x009E: true, 0x009F: true, 0x00A2: true, 0x00A3: true, 0x00A6: true, 0x00A7: true,
	0xC006: true, 0xC009: true, 0xC00A: true, 0xC010: true, 0xC013: true, 0xC014: true, 0xC015: true, 0xC018: true, 0xC019: true,
	0xC01D: true, 0xC01E: true, 0xC01F: true, 0xC020: true, 0xC021: true, 0xC022: true, // SRP with AES
	0xC023: true, 0xC024: true, 0xC027: true, 0xC028: true, 0xC02B: true, 0xC02C: true, 0xC02F: true, 0xC030: true,
}

// Shorthands for the table below.
const (
	b111 = in111 | in102
	b102 = in102

	// 1.1.1 classes of the suites 3.0 moved to the legacy provider.
	med111 = Medium | NotDefault
	// 1.0.2 classes.
	high102 = High | NotExport
	hiF102  = High | FIPS | NotExport
	med102  = Medium | NotExport
	low102  = Low | NotExport
	none102 = StrongNone | NotExport
	exp40   = Export | Export40
)

var legacySuites = []Suite{
	// IDEA and SEED: MEDIUM; in 1.1.1 but not in 3.0 (legacy provider).
	{ID: 0x0007, Name: "IDEA-CBC-SHA", IANA: "TLS_RSA_WITH_IDEA_CBC_SHA", Kx: KxRSA, Auth: AuthRSA, Enc: EncIDEA, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength: med111, Strength102: med102, profiles: b111},
	{ID: 0x0096, Name: "SEED-SHA", IANA: "TLS_RSA_WITH_SEED_CBC_SHA", Kx: KxRSA, Auth: AuthRSA, Enc: EncSEED, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength: med111, Strength102: med102, profiles: b111},
	{ID: 0x0097, Name: "DH-DSS-SEED-SHA", IANA: "TLS_DH_DSS_WITH_SEED_CBC_SHA", Kx: KxDHd, Auth: AuthDH, Enc: EncSEED, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0x0098, Name: "DH-RSA-SEED-SHA", IANA: "TLS_DH_RSA_WITH_SEED_CBC_SHA", Kx: KxDHr, Auth: AuthDH, Enc: EncSEED, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0x0099, Name: "DHE-DSS-SEED-SHA", IANA: "TLS_DHE_DSS_WITH_SEED_CBC_SHA", Kx: KxDHE, Auth: AuthDSS, Enc: EncSEED, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength: med111, Strength102: med102, profiles: b111},
	{ID: 0x009A, Name: "DHE-RSA-SEED-SHA", IANA: "TLS_DHE_RSA_WITH_SEED_CBC_SHA", Kx: KxDHE, Auth: AuthRSA, Enc: EncSEED, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength: med111, Strength102: med102, profiles: b111},
	{ID: 0x009B, Name: "ADH-SEED-SHA", IANA: "TLS_DH_anon_WITH_SEED_CBC_SHA", Kx: KxDHE, Auth: AuthNULL, Enc: EncSEED, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength: med111, Strength102: med102, profiles: b111},

	// RC4: MEDIUM (and in DEFAULT) in 1.0.2.
	{ID: 0x0004, Name: "RC4-MD5", IANA: "TLS_RSA_WITH_RC4_128_MD5", Kx: KxRSA, Auth: AuthRSA, Enc: EncRC4, MAC: MACMD5, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0x0005, Name: "RC4-SHA", IANA: "TLS_RSA_WITH_RC4_128_SHA", Kx: KxRSA, Auth: AuthRSA, Enc: EncRC4, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0x0018, Name: "ADH-RC4-MD5", IANA: "TLS_DH_anon_WITH_RC4_128_MD5", Kx: KxDHE, Auth: AuthNULL, Enc: EncRC4, MAC: MACMD5, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0x008A, Name: "PSK-RC4-SHA", IANA: "TLS_PSK_WITH_RC4_128_SHA", Kx: KxPSK, Auth: AuthPSK, Enc: EncRC4, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0xC002, Name: "ECDH-ECDSA-RC4-SHA", IANA: "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", Kx: KxECDHe, Auth: AuthECDH, Enc: EncRC4, MAC: MACSHA1, Min: TLS10, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0xC007, Name: "ECDHE-ECDSA-RC4-SHA", IANA: "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", Kx: KxECDHE, Auth: AuthECDSA, Enc: EncRC4, MAC: MACSHA1, Min: TLS10, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0xC00C, Name: "ECDH-RSA-RC4-SHA", IANA: "TLS_ECDH_RSA_WITH_RC4_128_SHA", Kx: KxECDHr, Auth: AuthECDH, Enc: EncRC4, MAC: MACSHA1, Min: TLS10, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0xC011, Name: "ECDHE-RSA-RC4-SHA", IANA: "TLS_ECDHE_RSA_WITH_RC4_128_SHA", Kx: KxECDHE, Auth: AuthRSA, Enc: EncRC4, MAC: MACSHA1, Min: TLS10, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},
	{ID: 0xC016, Name: "AECDH-RC4-SHA", IANA: "TLS_ECDH_anon_WITH_RC4_128_SHA", Kx: KxECDHE, Auth: AuthNULL, Enc: EncRC4, MAC: MACSHA1, Min: TLS10, Bits: 128, AlgBits: 128, Strength102: med102, profiles: b102},

	// EXPORT: 40-bit keys, RSA/DH limited to 512 bits (FREAK, Logjam).
	{ID: 0x0003, Name: "EXP-RC4-MD5", IANA: "TLS_RSA_EXPORT_WITH_RC4_40_MD5", Kx: KxRSA, Auth: AuthRSA, Enc: EncRC4, MAC: MACMD5, Min: SSLv3, Bits: 40, AlgBits: 128, Strength102: exp40, profiles: b102},
	{ID: 0x0006, Name: "EXP-RC2-CBC-MD5", IANA: "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", Kx: KxRSA, Auth: AuthRSA, Enc: EncRC2, MAC: MACMD5, Min: SSLv3, Bits: 40, AlgBits: 128, Strength102: exp40, profiles: b102},
	{ID: 0x0008, Name: "EXP-DES-CBC-SHA", IANA: "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", Kx: KxRSA, Auth: AuthRSA, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 40, AlgBits: 56, Strength102: exp40, profiles: b102},
	{ID: 0x0011, Name: "EXP-EDH-DSS-DES-CBC-SHA", IANA: "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", Kx: KxDHE, Auth: AuthDSS, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 40, AlgBits: 56, Strength102: exp40, profiles: b102},
	{ID: 0x0014, Name: "EXP-EDH-RSA-DES-CBC-SHA", IANA: "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", Kx: KxDHE, Auth: AuthRSA, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 40, AlgBits: 56, Strength102: exp40, profiles: b102},
	{ID: 0x0017, Name: "EXP-ADH-RC4-MD5", IANA: "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", Kx: KxDHE, Auth: AuthNULL, Enc: EncRC4, MAC: MACMD5, Min: SSLv3, Bits: 40, AlgBits: 128, Strength102: exp40, profiles: b102},
	{ID: 0x0019, Name: "EXP-ADH-DES-CBC-SHA", IANA: "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", Kx: KxDHE, Auth: AuthNULL, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 40, AlgBits: 56, Strength102: exp40, profiles: b102},

	// Single DES: LOW.
	{ID: 0x0009, Name: "DES-CBC-SHA", IANA: "TLS_RSA_WITH_DES_CBC_SHA", Kx: KxRSA, Auth: AuthRSA, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 56, AlgBits: 56, Strength102: low102, profiles: b102},
	{ID: 0x000C, Name: "DH-DSS-DES-CBC-SHA", IANA: "TLS_DH_DSS_WITH_DES_CBC_SHA", Kx: KxDHd, Auth: AuthDH, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 56, AlgBits: 56, Strength102: low102, profiles: b102},
	{ID: 0x000F, Name: "DH-RSA-DES-CBC-SHA", IANA: "TLS_DH_RSA_WITH_DES_CBC_SHA", Kx: KxDHr, Auth: AuthDH, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 56, AlgBits: 56, Strength102: low102, profiles: b102},
	{ID: 0x0012, Name: "EDH-DSS-DES-CBC-SHA", IANA: "TLS_DHE_DSS_WITH_DES_CBC_SHA", Kx: KxDHE, Auth: AuthDSS, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 56, AlgBits: 56, Strength102: low102, profiles: b102},
	{ID: 0x0015, Name: "EDH-RSA-DES-CBC-SHA", IANA: "TLS_DHE_RSA_WITH_DES_CBC_SHA", Kx: KxDHE, Auth: AuthRSA, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 56, AlgBits: 56, Strength102: low102, profiles: b102},
	{ID: 0x001A, Name: "ADH-DES-CBC-SHA", IANA: "TLS_DH_anon_WITH_DES_CBC_SHA", Kx: KxDHE, Auth: AuthNULL, Enc: EncDES, MAC: MACSHA1, Min: SSLv3, Bits: 56, AlgBits: 56, Strength102: low102, profiles: b102},

	// 3DES: HIGH until 1.0.2i moved it to MEDIUM (SWEET32).
	{ID: 0x000A, Name: "DES-CBC3-SHA", IANA: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", Kx: KxRSA, Auth: AuthRSA, Enc: Enc3DES, MAC: MACSHA1, Min: SSLv3, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0x000D, Name: "DH-DSS-DES-CBC3-SHA", IANA: "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA", Kx: KxDHd, Auth: AuthDH, Enc: Enc3DES, MAC: MACSHA1, Min: SSLv3, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0x0010, Name: "DH-RSA-DES-CBC3-SHA", IANA: "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", Kx: KxDHr, Auth: AuthDH, Enc: Enc3DES, MAC: MACSHA1, Min: SSLv3, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0x0013, Name: "EDH-DSS-DES-CBC3-SHA", IANA: "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", Kx: KxDHE, Auth: AuthDSS, Enc: Enc3DES, MAC: MACSHA1, Min: SSLv3, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0x0016, Name: "EDH-RSA-DES-CBC3-SHA", IANA: "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", Kx: KxDHE, Auth: AuthRSA, Enc: Enc3DES, MAC: MACSHA1, Min: SSLv3, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0x001B, Name: "ADH-DES-CBC3-SHA", IANA: "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", Kx: KxDHE, Auth: AuthNULL, Enc: Enc3DES, MAC: MACSHA1, Min: SSLv3, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0x008B, Name: "PSK-3DES-EDE-CBC-SHA", IANA: "TLS_PSK_WITH_3DES_EDE_CBC_SHA", Kx: KxPSK, Auth: AuthPSK, Enc: Enc3DES, MAC: MACSHA1, Min: SSLv3, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0xC003, Name: "ECDH-ECDSA-DES-CBC3-SHA", IANA: "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", Kx: KxECDHe, Auth: AuthECDH, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0xC008, Name: "ECDHE-ECDSA-DES-CBC3-SHA", IANA: "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", Kx: KxECDHE, Auth: AuthECDSA, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0xC00D, Name: "ECDH-RSA-DES-CBC3-SHA", IANA: "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", Kx: KxECDHr, Auth: AuthECDH, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0xC012, Name: "ECDHE-RSA-DES-CBC3-SHA", IANA: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", Kx: KxECDHE, Auth: AuthRSA, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0xC017, Name: "AECDH-DES-CBC3-SHA", IANA: "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", Kx: KxECDHE, Auth: AuthNULL, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: hiF102, profiles: b102},
	{ID: 0xC01A, Name: "SRP-3DES-EDE-CBC-SHA", IANA: "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", Kx: KxSRP, Auth: AuthSRP, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: high102, profiles: b102},
	{ID: 0xC01B, Name: "SRP-RSA-3DES-EDE-CBC-SHA", IANA: "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", Kx: KxSRP, Auth: AuthRSA, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: high102, profiles: b102},
	{ID: 0xC01C, Name: "SRP-DSS-3DES-EDE-CBC-SHA", IANA: "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA", Kx: KxSRP, Auth: AuthDSS, Enc: Enc3DES, MAC: MACSHA1, Min: TLS10, Bits: 112, AlgBits: 168, Strength102: high102, profiles: b102},

	// Static ECDH with NULL encryption.
	{ID: 0xC001, Name: "ECDH-ECDSA-NULL-SHA", IANA: "TLS_ECDH_ECDSA_WITH_NULL_SHA", Kx: KxECDHe, Auth: AuthECDH, Enc: EncNULL, MAC: MACSHA1, Min: TLS10, Strength102: none102, profiles: b102},
	{ID: 0xC00B, Name: "ECDH-RSA-NULL-SHA", IANA: "TLS_ECDH_RSA_WITH_NULL_SHA", Kx: KxECDHr, Auth: AuthECDH, Enc: EncNULL, MAC: MACSHA1, Min: TLS10, Strength102: none102, profiles: b102},

	// Static DH and ECDH: the key exchange reuses the certificate's key, so
	// there is no forward secrecy. Removed in OpenSSL 1.1.0.
	{ID: 0x0030, Name: "DH-DSS-AES128-SHA", IANA: "TLS_DH_DSS_WITH_AES_128_CBC_SHA", Kx: KxDHd, Auth: AuthDH, Enc: EncAES128, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0x0031, Name: "DH-RSA-AES128-SHA", IANA: "TLS_DH_RSA_WITH_AES_128_CBC_SHA", Kx: KxDHr, Auth: AuthDH, Enc: EncAES128, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0x0036, Name: "DH-DSS-AES256-SHA", IANA: "TLS_DH_DSS_WITH_AES_256_CBC_SHA", Kx: KxDHd, Auth: AuthDH, Enc: EncAES256, MAC: MACSHA1, Min: SSLv3, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0x0037, Name: "DH-RSA-AES256-SHA", IANA: "TLS_DH_RSA_WITH_AES_256_CBC_SHA", Kx: KxDHr, Auth: AuthDH, Enc: EncAES256, MAC: MACSHA1, Min: SSLv3, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0x003E, Name: "DH-DSS-AES128-SHA256", IANA: "TLS_DH_DSS_WITH_AES_128_CBC_SHA256", Kx: KxDHd, Auth: AuthDH, Enc: EncAES128, MAC: MACSHA256, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0x003F, Name: "DH-RSA-AES128-SHA256", IANA: "TLS_DH_RSA_WITH_AES_128_CBC_SHA256", Kx: KxDHr, Auth: AuthDH, Enc: EncAES128, MAC: MACSHA256, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0x0042, Name: "DH-DSS-CAMELLIA128-SHA", IANA: "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA", Kx: KxDHd, Auth: AuthDH, Enc: EncCAMELLIA128, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: high102, profiles: b102},
	{ID: 0x0043, Name: "DH-RSA-CAMELLIA128-SHA", IANA: "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA", Kx: KxDHr, Auth: AuthDH, Enc: EncCAMELLIA128, MAC: MACSHA1, Min: SSLv3, Bits: 128, AlgBits: 128, Strength102: high102, profiles: b102},
	{ID: 0x0068, Name: "DH-DSS-AES256-SHA256", IANA: "TLS_DH_DSS_WITH_AES_256_CBC_SHA256", Kx: KxDHd, Auth: AuthDH, Enc: EncAES256, MAC: MACSHA256, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0x0069, Name: "DH-RSA-AES256-SHA256", IANA: "TLS_DH_RSA_WITH_AES_256_CBC_SHA256", Kx: KxDHr, Auth: AuthDH, Enc: EncAES256, MAC: MACSHA256, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0x0085, Name: "DH-DSS-CAMELLIA256-SHA", IANA: "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA", Kx: KxDHd, Auth: AuthDH, Enc: EncCAMELLIA256, MAC: MACSHA1, Min: SSLv3, Bits: 256, AlgBits: 256, Strength102: high102, profiles: b102},
	{ID: 0x0086, Name: "DH-RSA-CAMELLIA256-SHA", IANA: "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA", Kx: KxDHr, Auth: AuthDH, Enc: EncCAMELLIA256, MAC: MACSHA1, Min: SSLv3, Bits: 256, AlgBits: 256, Strength102: high102, profiles: b102},
	{ID: 0x00A0, Name: "DH-RSA-AES128-GCM-SHA256", IANA: "TLS_DH_RSA_WITH_AES_128_GCM_SHA256", Kx: KxDHr, Auth: AuthDH, Enc: EncAES128GCM, MAC: MACAEAD, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0x00A1, Name: "DH-RSA-AES256-GCM-SHA384", IANA: "TLS_DH_RSA_WITH_AES_256_GCM_SHA384", Kx: KxDHr, Auth: AuthDH, Enc: EncAES256GCM, MAC: MACAEAD, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0x00A4, Name: "DH-DSS-AES128-GCM-SHA256", IANA: "TLS_DH_DSS_WITH_AES_128_GCM_SHA256", Kx: KxDHd, Auth: AuthDH, Enc: EncAES128GCM, MAC: MACAEAD, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0x00A5, Name: "DH-DSS-AES256-GCM-SHA384", IANA: "TLS_DH_DSS_WITH_AES_256_GCM_SHA384", Kx: KxDHd, Auth: AuthDH, Enc: EncAES256GCM, MAC: MACAEAD, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0xC004, Name: "ECDH-ECDSA-AES128-SHA", IANA: "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", Kx: KxECDHe, Auth: AuthECDH, Enc: EncAES128, MAC: MACSHA1, Min: TLS10, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0xC005, Name: "ECDH-ECDSA-AES256-SHA", IANA: "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", Kx: KxECDHe, Auth: AuthECDH, Enc: EncAES256, MAC: MACSHA1, Min: TLS10, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0xC00E, Name: "ECDH-RSA-AES128-SHA", IANA: "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", Kx: KxECDHr, Auth: AuthECDH, Enc: EncAES128, MAC: MACSHA1, Min: TLS10, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0xC00F, Name: "ECDH-RSA-AES256-SHA", IANA: "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", Kx: KxECDHr, Auth: AuthECDH, Enc: EncAES256, MAC: MACSHA1, Min: TLS10, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0xC025, Name: "ECDH-ECDSA-AES128-SHA256", IANA: "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", Kx: KxECDHe, Auth: AuthECDH, Enc: EncAES128, MAC: MACSHA256, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0xC026, Name: "ECDH-ECDSA-AES256-SHA384", IANA: "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", Kx: KxECDHe, Auth: AuthECDH, Enc: EncAES256, MAC: MACSHA384, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0xC029, Name: "ECDH-RSA-AES128-SHA256", IANA: "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", Kx: KxECDHr, Auth: AuthECDH, Enc: EncAES128, MAC: MACSHA256, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0xC02A, Name: "ECDH-RSA-AES256-SHA384", IANA: "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", Kx: KxECDHr, Auth: AuthECDH, Enc: EncAES256, MAC: MACSHA384, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0xC02D, Name: "ECDH-ECDSA-AES128-GCM-SHA256", IANA: "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", Kx: KxECDHe, Auth: AuthECDH, Enc: EncAES128GCM, MAC: MACAEAD, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0xC02E, Name: "ECDH-ECDSA-AES256-GCM-SHA384", IANA: "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", Kx: KxECDHe, Auth: AuthECDH, Enc: EncAES256GCM, MAC: MACAEAD, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
	{ID: 0xC031, Name: "ECDH-RSA-AES128-GCM-SHA256", IANA: "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", Kx: KxECDHr, Auth: AuthECDH, Enc: EncAES128GCM, MAC: MACAEAD, Min: TLS12, Bits: 128, AlgBits: 128, Strength102: hiF102, profiles: b102},
	{ID: 0xC032, Name: "ECDH-RSA-AES256-GCM-SHA384", IANA: "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", Kx: KxECDHr, Auth: AuthECDH, Enc: EncAES256GCM, MAC: MACAEAD, Min: TLS12, Bits: 256, AlgBits: 256, Strength102: hiF102, profiles: b102},
}
