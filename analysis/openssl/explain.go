package openssl

// Explanation names a weakness and says in one sentence why it matters;
// diagnostics and hover read these texts. The full explanation of each is
// its rule's documentation (analysis/rules/docs).
type Explanation struct {
	Weakness Weakness
	Name     string // a few words: "RC4"
	One      string // one such suite: "an RC4 suite"
	Many     string // several: "RC4 suites"
	Summary  string // one sentence, for diagnostics and hover
}

var explanations = []Explanation{
	{WeakNull, "no encryption (eNULL)", "a suite without encryption", "suites without encryption",
		"NULL suites authenticate the records but do not encrypt them: everything is sent in clear text."},
	{WeakAnonymous, "anonymous key exchange (aNULL)", "an anonymous suite", "anonymous suites",
		"anonymous suites (ADH, AECDH) use no certificate, so any man in the middle can impersonate the server."},
	{WeakExport, "export-grade suites (EXPORT)", "an export-grade suite", "export-grade suites",
		"export suites use 40-bit keys and 512-bit RSA or DH that can be broken in hours, and let attackers downgrade connections (FREAK, Logjam)."},
	{WeakRC4, "RC4", "an RC4 suite", "RC4 suites",
		"RC4 has biases that let an attacker recover plaintext such as cookies from many encrypted copies; RFC 7465 prohibits it."},
	{WeakDES, "DES, RC2, IDEA, SEED", "a DES, RC2, IDEA or SEED suite", "DES, RC2, IDEA or SEED suites",
		"single DES (56-bit keys, broken by brute force) and the obsolete RC2, IDEA and SEED ciphers (64-bit blocks or no longer reviewed) do not belong in TLS."},
	{Weak3DES, "3DES", "a 3DES suite", "3DES suites",
		"3DES has a 64-bit block: after some 32 GB under one key, block collisions reveal plaintext (SWEET32, CVE-2016-2183)."},
	{WeakMD5, "MD5 MAC", "a suite with an MD5 MAC", "suites with an MD5 MAC",
		"suites that authenticate records with HMAC-MD5 rely on a broken hash."},
	{WeakNoFS, "no forward secrecy", "a suite without forward secrecy", "suites without forward secrecy",
		"without an ephemeral key exchange, whoever obtains the server's private key later can decrypt every recorded session."},
	{WeakCBC, "CBC mode (not AEAD)", "a CBC suite", "CBC suites",
		"CBC suites encrypt and MAC separately (MAC-then-encrypt), a construction that keeps leaking plaintext through padding and timing side channels (Lucky13)."},
	{WeakDHE, "finite-field DHE", "a finite-field DHE suite", "finite-field DHE suites",
		"DHE suites depend on the DH group nginx is given (ssl_dhparam); they are slower than ECDHE and Mozilla's guidelines dropped them in 5.8."},
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
