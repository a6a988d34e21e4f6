package negotiate

import (
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/openssl"
)

// Each OpenSSL 3.0 rule the model encodes, with where OpenSSL states it.
// These run without nginx or openssl; TestLive holds the whole to real
// handshakes.

func TestLevelFacts(t *testing.T) {
	// ssl/ssl_cert.c, ssl_security_default_callback: minimum bits per level.
	for level, want := range map[int]int{0: 0, 1: 80, 2: 112, 3: 128, 4: 192, 5: 256} {
		if got := minBits(level); got != want {
			t.Errorf("minBits(%d) = %d, want %d", level, got, want)
		}
	}
	// crypto/bn/bn_lib.c, BN_security_bits (NIST SP 800-57 part 1).
	for l, want := range map[int]int{512: 0, 1024: 80, 2048: 112, 3072: 128, 4096: 128, 7680: 192, 15360: 256} {
		if got := securityBits(l); got != want {
			t.Errorf("securityBits(%d) = %d, want %d", l, got, want)
		}
	}
	// SSL_SECOP_VERSION: SSLv3 goes at level 2, TLS 1.0 at 3, TLS 1.1 at 4.
	for _, c := range []struct {
		v     openssl.Version
		level int
		want  bool
	}{
		{openssl.SSLv3, 1, true}, {openssl.SSLv3, 2, false}, {openssl.TLS10, 2, true}, {openssl.TLS10, 3, false},
		{openssl.TLS11, 3, true}, {openssl.TLS11, 4, false}, {openssl.TLS12, 5, true},
	} {
		if got := versionAllowed(c.v, c.level); got != c.want {
			t.Errorf("versionAllowed(%s, %d) = %v", c.v, c.level, got)
		}
	}
}

func TestSuiteRefusal(t *testing.T) {
	// SSL_SECOP_CIPHER_SHARED in ssl_security_default_callback.
	for _, c := range []struct {
		suite string
		level int
		want  string // "" when allowed
	}{
		{"NULL-SHA256", 1, "encrypts nothing"},
		{"NULL-SHA256", 0, ""},
		{"ADH-AES128-GCM-SHA256", 1, "anonymous"},
		{"AES128-SHA", 2, ""},
		{"AES128-SHA", 3, "no forward secrecy"}, // level 3 wants forward secrecy
		{"ECDHE-RSA-AES256-SHA", 4, "SHA-1"},    // SHA-1 MACs go above 160 bits
		{"ECDHE-RSA-AES256-SHA", 3, ""},
		{"ECDHE-RSA-AES128-GCM-SHA256", 4, "128 bits"},
	} {
		s := openssl.LookupSuite(c.suite)
		if s == nil {
			t.Fatalf("no suite %s", c.suite)
		}
		got := suiteRefusal(s, c.level)
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("suiteRefusal(%s, %d) = %q, want %q", c.suite, c.level, got, c.want)
		}
	}
}

var (
	rsa2048 = Key{Alg: "RSA", Bits: 2048}
	p256    = Key{Alg: "ECDSA", Bits: 256, Curve: "secp256r1"}
)

func input(protocols, ciphers string, keys ...Key) Input {
	return Input{Protocols: strings.Fields(protocols), Ciphers: ciphers, Curves: "auto", Keys: keys, KeysKnown: true, Tickets: true}
}

func level(n int) Target { return Target{OpenSSL: "3.0", SecLevel: n, SecLevelFrom: "test"} }

func TestEvaluate(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     Input
		t      Target
		source string
		check  func(e *Endpoint) string // "" when right
	}{
		{"level 1 refuses TLS 1.0 signatures", input("TLSv1 TLSv1.2", "HIGH", rsa2048), level(1),
			"OpenSSL 3.0 CHANGES: SHA-1 signatures are refused at level 1 and above",
			func(e *Endpoint) string {
				return want(!e.Negotiable(openssl.TLS10) && e.Negotiable(openssl.TLS12), "TLS 1.0 off, 1.2 on")
			}},
		{"a gap caps the versions", input("TLSv1 TLSv1.3", "ECDHE+AESGCM", rsa2048), level(0),
			"ssl/statem/statem_lib.c ssl_get_min_max_version: the lowest contiguous run wins",
			func(e *Endpoint) string {
				return want(strings.Contains(e.NoHandshake, "TLSv1.1 and TLSv1.2 is missing"), e.NoHandshake)
			}},
		{"the level refuses the certificate at start", input("TLSv1.2", "HIGH:@SECLEVEL=3", rsa2048), level(2),
			"ssl/ssl_rsa.c SSL_CTX_use_certificate -> ssl_security_cert",
			func(e *Endpoint) string {
				return want(e.Start != nil && e.Start.Directive == "ssl_certificate", "start failure")
			}},
		{"DH parameters below the level", Input{Protocols: []string{"TLSv1.2"}, Ciphers: "HIGH", Curves: "auto", DHBits: 1024, Keys: []Key{rsa2048}, KeysKnown: true}, level(2),
			"ssl/s3_lib.c SSL_CTX_set0_tmp_dh_pkey checks SSL_SECOP_TMP_DH",
			func(e *Endpoint) string {
				return want(e.Start != nil && e.Start.Directive == "ssl_dhparam", "start failure")
			}},
		{"static RSA needs an RSA certificate", input("TLSv1.2", "AES128-GCM-SHA256:ECDHE+AESGCM", p256), level(1),
			"ssl/t1_lib.c ssl_set_masks: kRSA only with an RSA key",
			func(e *Endpoint) string {
				ok, why := e.SuiteNegotiable(openssl.LookupSuite("AES128-GCM-SHA256"))
				return want(!ok && strings.Contains(why, "RSA certificate"), why)
			}},
		{"DHE needs ssl_dhparam (nginx 1.11.0 and later)", input("TLSv1.2", "DHE-RSA-AES128-GCM-SHA256:ECDHE+AESGCM", rsa2048), level(1),
			"nginx CHANGES 1.11.0: no built-in DH parameters",
			func(e *Endpoint) string {
				ok, why := e.SuiteNegotiable(openssl.LookupSuite("DHE-RSA-AES128-GCM-SHA256"))
				return want(!ok && strings.Contains(why, "ssl_dhparam"), why)
			}},
		{"P-192 at level 2", Input{Protocols: []string{"TLSv1.2"}, Ciphers: "ECDHE+AESGCM", Curves: "secp192r1:X25519", Keys: []Key{rsa2048}, KeysKnown: true}, level(2),
			"providers/common/capabilities.c: secp192r1 has 80 bits of security",
			func(e *Endpoint) string {
				ok, why := e.GroupNegotiable("secp192r1")
				ok2, _ := e.GroupNegotiable("x25519")
				return want(!ok && ok2 && strings.Contains(why, "security level 2"), why)
			}},
		{"P-192 at level 1 with an ECDSA key", Input{Protocols: []string{"TLSv1.2"}, Ciphers: "ECDHE+AESGCM", Curves: "secp192r1:X25519", Keys: []Key{p256}, KeysKnown: true}, level(1),
			"ssl/t1_lib.c tls1_check_ec_key: the certificate's curve must be offered too",
			func(e *Endpoint) string { ok, why := e.GroupNegotiable("secp192r1"); return want(ok, why) }},
		{"ffdhe groups work with TLS 1.3 only", Input{Protocols: []string{"TLSv1.2"}, Ciphers: "ECDHE+AESGCM", Curves: "ffdhe2048:X25519", Keys: []Key{rsa2048}, KeysKnown: true}, level(1),
			"providers/common/capabilities.c: ffdhe groups have mintls TLS 1.3",
			func(e *Endpoint) string { ok, why := e.GroupNegotiable("ffdhe2048"); return want(!ok, why) }},
		{"Protocol switches only the versions it names", Input{Protocols: []string{"TLSv1.2"}, Ciphers: "HIGH", Curves: "auto", Keys: []Key{rsa2048}, KeysKnown: true,
			Commands: []Command{{Name: "Protocol", Value: "TLSv1.3"}}}, level(1),
			"ssl/ssl_conf.c cmd_Protocol: ssl_set_option_list sets or clears each named SSL_OP_NO_*",
			func(e *Endpoint) string {
				return want(e.Negotiable(openssl.TLS12) && e.Negotiable(openssl.TLS13), "TLS 1.2 and 1.3 both negotiable")
			}},
		{"0-RTT needs TLS 1.3", Input{Protocols: []string{"TLSv1.2"}, Ciphers: "HIGH", Curves: "auto", Keys: []Key{rsa2048}, KeysKnown: true, Tickets: true, EarlyData: true}, level(1),
			"RFC 8446 section 4.2.10",
			func(e *Endpoint) string {
				return want(!e.EarlyData && strings.Contains(e.EarlyDataWhy, "TLS 1.3"), e.EarlyDataWhy)
			}},
		{"0-RTT needs a session to resume", Input{Protocols: []string{"TLSv1.3"}, Ciphers: "HIGH", Curves: "auto", Keys: []Key{rsa2048}, KeysKnown: true, EarlyData: true}, level(1),
			"ssl/statem/extensions_srvr.c: early data only on resumption",
			func(e *Endpoint) string {
				return want(!e.EarlyData && strings.Contains(e.EarlyDataWhy, "resumed"), e.EarlyDataWhy)
			}},
		{"0-RTT with tickets", Input{Protocols: []string{"TLSv1.3"}, Ciphers: "HIGH", Curves: "auto", Keys: []Key{rsa2048}, KeysKnown: true, EarlyData: true, Tickets: true}, level(1),
			"nginx ngx_ssl_early_data sets SSL_CTX_set_max_early_data",
			func(e *Endpoint) string { return want(e.EarlyData, e.EarlyDataWhy) }},
	} {
		e := Evaluate(c.in, c.t)
		if msg := c.check(e); msg != "" {
			t.Errorf("%s (%s): %s", c.name, c.source, msg)
		}
	}
}

// want is "" when ok, else what was seen.
func want(ok bool, seen string) string {
	if ok {
		return ""
	}
	return "got " + seen
}

// View lists a version's suites in the server's list order, those the
// target refuses left out.
func TestView(t *testing.T) {
	in := input("TLSv1.2 TLSv1.3", "ECDHE+AESGCM:AES128-SHA:DHE-RSA-AES128-GCM-SHA256:NULL-SHA256", rsa2048)
	in.PreferServer = true
	e := Evaluate(in, level(2))
	var got12 []string
	for _, vv := range e.View() {
		if vv.Version == openssl.TLS12 {
			for _, s := range vv.Suites {
				got12 = append(got12, s.Name)
			}
		}
	}
	if want := "ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-AES128-GCM-SHA256 AES128-SHA"; strings.Join(got12, " ") != want {
		t.Errorf("TLS 1.2 suites %v, want %s", got12, want)
	}
}
