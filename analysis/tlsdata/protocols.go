// Package tlsdata is nginxls's knowledge of TLS: protocol versions, key
// exchange groups (curves) and what OpenSSL builds accept, with the short
// explanations shown by diagnostics, hover and `nginxls explain`. Each fact
// lives here once.
package tlsdata

// Protocol is a protocol version as nginx's ssl_protocols names it.
type Protocol struct {
	Name    string
	Status  Status
	Summary string // one sentence: why it is (not) acceptable
	Verdict string // a few words, for findings: "TLS 1.0 is deprecated by RFC 8996"
	Refs    []string
}

// Status grades a protocol or group.
type Status int

const (
	Good       Status = iota
	Legacy            // works, but deprecated or below current guidance
	Weak              // insecure: must not be offered
	Prohibited        // forbidden by an RFC
)

// Protocols lists the names ssl_protocols accepts, oldest first.
var Protocols = []*Protocol{
	{"SSLv2", Prohibited, "SSL 2.0 is broken beyond repair and prohibited by RFC 6176; offering it on any server sharing the key enables DROWN (CVE-2016-0800).",
		"SSL 2.0 is prohibited by RFC 6176 (DROWN)",
		[]string{"RFC 6176", "CVE-2016-0800"}},
	{"SSLv3", Prohibited, "SSL 3.0 is deprecated by RFC 7568: its CBC padding is open to POODLE (CVE-2014-3566) and it has no modern cipher suites.",
		"SSL 3.0 is deprecated by RFC 7568 (POODLE)",
		[]string{"RFC 7568", "CVE-2014-3566"}},
	{"TLSv1", Legacy, "TLS 1.0 is deprecated by RFC 8996 (2021): it depends on SHA-1 and MD5 in its handshake and its CBC suites are exposed to BEAST; browsers no longer negotiate it.",
		"TLS 1.0 is deprecated by RFC 8996",
		[]string{"RFC 8996", "CVE-2011-3389"}},
	{"TLSv1.1", Legacy, "TLS 1.1 is deprecated by RFC 8996 (2021): it still depends on SHA-1 and MD5 in its handshake and has no AEAD cipher suites; browsers no longer negotiate it.",
		"TLS 1.1 is deprecated by RFC 8996",
		[]string{"RFC 8996"}},
	{"TLSv1.2", Good, "TLS 1.2 is secure with forward-secret AEAD cipher suites and is still needed by some clients.",
		"TLS 1.2 is current",
		[]string{"RFC 5246", "RFC 9325"}},
	{"TLSv1.3", Good, "TLS 1.3 removes every legacy algorithm, always has forward secrecy and saves a round trip; it needs OpenSSL 1.1.1 or newer.",
		"TLS 1.3 is current",
		[]string{"RFC 8446"}},
}

// LookupProtocol finds a protocol by its ssl_protocols name (case-sensitive,
// as nginx is).
func LookupProtocol(name string) *Protocol {
	for _, p := range Protocols {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// RecommendedProtocols is the value of Mozilla's intermediate profile;
// RecommendedProtocols102 what is left of it with OpenSSL 1.0.2 (no TLS 1.3).
const (
	RecommendedProtocols    = "TLSv1.2 TLSv1.3"
	RecommendedProtocols102 = "TLSv1.2"
)
