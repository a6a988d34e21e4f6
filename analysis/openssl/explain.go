package openssl

// Explanation says what a weakness is and why it matters. Rules, hover and
// `nginxls explain` all read these texts; they live here once.
type Explanation struct {
	Weakness Weakness
	Name     string   // a few words: "RC4"
	One      string   // one such suite: "an RC4 suite"
	Many     string   // several: "RC4 suites"
	Summary  string   // one sentence, for diagnostics
	Doc      string   // Markdown paragraphs, for documentation and hover
	Refs     []string // RFCs, CVEs, guidelines
}

var explanations = []Explanation{
	{WeakNull, "no encryption (eNULL)", "a suite without encryption", "suites without encryption",
		"NULL suites authenticate the records but do not encrypt them: everything is sent in clear text.",
		`A NULL ("eNULL") suite only adds a MAC to the records; their content travels unencrypted,
readable by anyone on the path. RFC 9325 forbids negotiating them. OpenSSL keeps them out of
ALL and HIGH: they are enabled only by naming them (NULL, eNULL, COMPLEMENTOFALL or a
NULL suite name).`,
		[]string{"RFC 9325 §4.1"}},
	{WeakAnonymous, "anonymous key exchange (aNULL)", "an anonymous suite", "anonymous suites",
		"anonymous suites (ADH, AECDH) use no certificate, so any man in the middle can impersonate the server.",
		`Anonymous suites run a Diffie-Hellman key exchange that nothing authenticates: no
certificate is sent, and an attacker in the middle simply runs one handshake with the client and
another with the server. HIGH and ALL include them (12 suites on OpenSSL 3.0), which is why
nginx's default adds !aNULL. OpenSSL 1.1.0 and later refuse them at security level 1 and above,
so they are only usable with @SECLEVEL=0 or on older builds, but a list that enables them is
still a mistake.`,
		[]string{"RFC 9325 §4.1", "RFC 5246 Appendix F.1.1.1"}},
	{WeakExport, "export-grade suites (EXPORT)", "an export-grade suite", "export-grade suites",
		"export suites use 40-bit keys and 512-bit RSA or DH that can be broken in hours, and let attackers downgrade connections (FREAK, Logjam).",
		`EXPORT suites are the deliberately weakened cryptography of 1990s US export rules: 40- or
56-bit symmetric keys and 512-bit RSA or DH key exchange. Both break on a laptop today. Worse,
a server that still offers them lets an attacker downgrade clients that never asked for them:
FREAK (CVE-2015-0204) for RSA, Logjam (CVE-2015-4000) for DH. OpenSSL 1.0.2g stopped building
them by default and 1.1.0 removed them; the words EXP and EXPORT are unknown to OpenSSL 3, but
enable these suites on legacy builds.`,
		[]string{"CVE-2015-0204 (FREAK)", "CVE-2015-4000 (Logjam)", "RFC 9325 §4.1"}},
	{WeakRC4, "RC4", "an RC4 suite", "RC4 suites",
		"RC4 has biases that let an attacker recover plaintext such as cookies from many encrypted copies; RFC 7465 prohibits it.",
		`RC4's key stream is not random: its first bytes and long-term statistics are biased, and an
attacker who makes the browser send the same secret (a cookie) in many connections recovers it
(CVE-2013-2566, CVE-2015-2808 "Bar Mitzvah"). RFC 7465 prohibits RC4 in TLS, browsers dropped it
in 2016, and OpenSSL 1.1.0 stopped building it by default; OpenSSL 3 moved it to the legacy
provider, which nginx does not load, so "RC4" is an unknown word there, yet it enables RC4 on
legacy builds.`,
		[]string{"RFC 7465", "CVE-2013-2566", "CVE-2015-2808"}},
	{WeakDES, "DES, RC2, IDEA, SEED", "a DES, RC2, IDEA or SEED suite", "DES, RC2, IDEA or SEED suites",
		"single DES (56-bit keys, broken by brute force) and the obsolete RC2, IDEA and SEED ciphers (64-bit blocks or no longer reviewed) do not belong in TLS.",
		`Single DES has a 56-bit key that dedicated hardware has broken in hours since 1998; RFC 9325
forbids anything below 112 bits. RC2 and IDEA have 64-bit blocks (see 3DES: SWEET32) and SEED is a
national cipher nobody else deploys. OpenSSL 1.1.0 removed single DES from TLS and OpenSSL 3
moved all four to the legacy provider; on legacy builds the LOW class is single DES.`,
		[]string{"RFC 9325 §4.1", "RFC 5469"}},
	{Weak3DES, "3DES", "a 3DES suite", "3DES suites",
		"3DES has a 64-bit block: after some 32 GB under one key, block collisions reveal plaintext (SWEET32, CVE-2016-2183).",
		`Triple DES encrypts 64-bit blocks. By the birthday bound, a long connection (HTTP keep-alive
with a few dozen gigabytes) produces colliding blocks, and an attacker who injects traffic recovers
secrets such as cookies: SWEET32 (CVE-2016-2183). It also offers only 112 bits of security. SSL
Labs caps servers that negotiate it with TLS 1.1+ at grade C. OpenSSL 1.0.2i moved 3DES from HIGH
to MEDIUM, 1.1.0 stopped building it by default; older builds enable it with HIGH.`,
		[]string{"CVE-2016-2183 (SWEET32)", "https://sweet32.info/", "RFC 9325 §4.2"}},
	{WeakMD5, "MD5 MAC", "a suite with an MD5 MAC", "suites with an MD5 MAC",
		"suites that authenticate records with HMAC-MD5 rely on a broken hash.",
		`MD5 has been broken for collisions since 2004. HMAC-MD5 as a record MAC is not directly
exploitable, but every suite that uses it is also otherwise obsolete (RC4, NULL, export), and
OpenSSL refuses MD5 at security level 1 and above. nginx's own default adds !MD5.`,
		[]string{"RFC 6151", "RFC 9325"}},
	{WeakNoFS, "no forward secrecy", "a suite without forward secrecy", "suites without forward secrecy",
		"without an ephemeral key exchange, whoever obtains the server's private key later can decrypt every recorded session.",
		`With static RSA key exchange (kRSA) the client encrypts the session secret with the
certificate's public key: anyone who later gets the private key, from a stolen backup or a
compelled disclosure, decrypts all traffic ever recorded. Static RSA is also the target of
Bleichenbacher padding oracles (ROBOT, CVE-2017-13099). Static (EC)DH suites reuse the
certificate's key the same way; plain PSK and SRP suites derive keys from a long-term secret.
Ephemeral ECDHE and DHE avoid this. nginx's default HIGH:!aNULL:!MD5 enables 16 static-RSA suites
on OpenSSL 3.0. SSL Labs caps servers without forward secrecy at grade B.`,
		[]string{"RFC 9325 §4.1", "CVE-2017-13099 (ROBOT)", "draft-ietf-tls-deprecate-obsolete-kex"}},
	{WeakCBC, "CBC mode (not AEAD)", "a CBC suite", "CBC suites",
		"CBC suites encrypt and MAC separately (MAC-then-encrypt), a construction that keeps leaking plaintext through padding and timing side channels (Lucky13).",
		`CBC suites compute a MAC, then encrypt with padding. Checking the padding and the MAC in
constant time is hard, and implementations have leaked plaintext through timing again and again:
Lucky13 (CVE-2013-0169), POODLE-style padding oracles, and TLS 1.0's predictable IVs (BEAST).
AEAD suites (AES-GCM, ChaCha20-Poly1305) authenticate and encrypt in one step and are the only
ones Mozilla's intermediate profile keeps; testssl.sh calls the CBC ones "obsoleted".`,
		[]string{"CVE-2013-0169 (Lucky13)", "RFC 7366", "https://ssl-config.mozilla.org/"}},
	{WeakDHE, "finite-field DHE", "a finite-field DHE suite", "finite-field DHE suites",
		"DHE suites depend on the DH group nginx is given (ssl_dhparam); they are slower than ECDHE and Mozilla's guidelines dropped them in 5.8.",
		`Ephemeral finite-field Diffie-Hellman is forward secret, but its security is that of the
group: 1024-bit and shared groups are within reach of large attackers (Logjam, CVE-2015-4000),
and clients cannot say which groups they accept before TLS 1.3. It is also much slower than
ECDHE. Since nginx 1.11.0, DHE suites are silently unusable unless ssl_dhparam names a file
(use the RFC 7919 ffdhe2048 group). Mozilla's intermediate profile removed DHE in version 5.8.`,
		[]string{"CVE-2015-4000 (Logjam)", "RFC 7919", "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_dhparam"}},
}

// Explain returns the explanation of one weakness.
func Explain(w Weakness) *Explanation {
	for i := range explanations {
		if explanations[i].Weakness == w {
			return &explanations[i]
		}
	}
	return nil
}

// NoAEAD explains a list without any AEAD suite.
var NoAEAD = Explanation{Name: "no AEAD suite", One: "a suite without AEAD", Many: "suites without AEAD",
	Summary: "without any AEAD suite (AES-GCM, ChaCha20-Poly1305) every TLS 1.2 connection uses CBC with a separate MAC; SSL Labs caps such servers at grade B.",
	Doc: `AEAD suites (AES-GCM, AES-CCM, ChaCha20-Poly1305) are the only TLS 1.2 suites without the
CBC padding and MAC-then-encrypt problems (Lucky13, padding oracles). A list without any of them
forces every TLS 1.2 client onto CBC; SSL Labs caps such servers at grade B since 2018.`,
	Refs: []string{"RFC 5288", "RFC 7905", "CVE-2013-0169 (Lucky13)"}}

// TLS13CCM8 explains the truncated-tag TLS 1.3 suite.
var TLS13CCM8 = Explanation{Name: "TLS_AES_128_CCM_8_SHA256", One: "a TLS 1.3 suite with an 8-byte tag", Many: "TLS 1.3 suites with an 8-byte tag",
	Summary: "TLS_AES_128_CCM_8_SHA256 has an 8-byte authentication tag, meant for constrained devices; OpenSSL leaves it out of its default list and the IANA registry marks it not recommended.",
	Doc: `TLS_AES_128_CCM_8_SHA256 truncates the authentication tag to 64 bits, which weakens forgery
resistance and is only meant for constrained IoT devices. No browser offers it; the IANA registry
marks it "not recommended".`,
	Refs: []string{"RFC 8446 §9.1", "IANA TLS Cipher Suites registry"}}
