package openssl

import "strings"

// CiphersuitesResult is the evaluation of a TLS 1.3 suite list, the value
// of `ssl_conf_command Ciphersuites` (SSL_CTX_set_ciphersuites).
type CiphersuitesResult struct {
	Profile string
	String  string
	// Suites are the configured suites in order. OpenSSL 3.0 also accepts
	// the IANA name of a TLS 1.2 suite here and then prefers it to every
	// suite of the cipher list.
	Suites []*Suite
	Items  []CiphersuiteItem
	Err    *Error
}

// CiphersuiteItem is one ':'-separated name of the list.
type CiphersuiteItem struct {
	Text       string
	Start, End int    // byte offsets of the name, blanks around it excluded
	Suite      *Suite // nil when OpenSSL does not know the name (it ignores it)
}

// EvaluateCiphersuites tells what OpenSSL does with a TLS 1.3 suite list:
// names separated by ':' only, exact (case-sensitive) IANA names, blanks
// around names ignored, unknown names ignored as long as one is known; an
// empty string is allowed and disables every TLS 1.3 suite. OpenSSL 1.0.2
// has no TLS 1.3 and no such setting.
func EvaluateCiphersuites(s, profile string) *CiphersuitesResult {
	loadTables()
	name := Canonical(profile)
	r := &CiphersuitesResult{Profile: name, String: s}
	if name == "1.0.2" {
		r.Err = &Error{Profile: name, Reason: "unknown command (OpenSSL 1.0.2 has no TLS 1.3)", End: len(s)}
		return r
	}
	str := s
	if i := strings.IndexByte(str, 0); i >= 0 {
		str = str[:i]
	}
	if str == "" {
		return r
	}
	for off := 0; ; {
		end := strings.IndexByte(str[off:], ':')
		if end < 0 {
			end = len(str)
		} else {
			end += off
		}
		a, b := off, end
		for a < b && isCSpace(str[a]) {
			a++
		}
		for b > a && isCSpace(str[b-1]) {
			b--
		}
		if a < b {
			it := CiphersuiteItem{Text: str[a:b], Start: a, End: b}
			if b-a < 80 { // OpenSSL copies names into an 80-byte buffer and skips longer ones
				it.Suite = lookupStdName(it.Text, name)
			}
			if it.Suite != nil {
				r.Suites = append(r.Suites, it.Suite)
			}
			r.Items = append(r.Items, it)
		}
		if end == len(str) {
			break
		}
		off = end + 1
	}
	if len(r.Suites) == 0 {
		r.Err = &Error{Profile: name, Reason: "no cipher match", End: len(s)}
	}
	return r
}

func isCSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

func lookupStdName(n, profile string) *Suite {
	for i := range tls13Suites {
		if tls13Suites[i].IANA == n {
			return &tls13Suites[i]
		}
	}
	if s := byIANA[n]; s != nil && s.Min != TLS13 && s.In(profile) {
		return s
	}
	return nil
}

// TLS13Suites returns the TLS 1.3 suites OpenSSL 1.1.1 and 3.0 know.
func TLS13Suites() []*Suite {
	out := make([]*Suite, len(tls13Suites))
	for i := range tls13Suites {
		out[i] = &tls13Suites[i]
	}
	return out
}
