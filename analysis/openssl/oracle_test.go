package openssl_test

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/openssl/internal/oracle"
	"github.com/nginxls/nginxls/analysis/tlsdata"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestOracle replays the answers a real OpenSSL 3.0 gave for thousands of
// cipher strings (testdata/oracle-3.0.txt): for every string the engine must
// enable the same suites in the same order, or fail when OpenSSL failed,
// with the same reason. No OpenSSL is needed.
func TestOracle(t *testing.T) {
	g := readOracle(t)
	failed := 0
	for _, c := range g.Cases {
		if msg := compare(c.String, openssl.Evaluate(c.String, "3.0"), c.Answer); msg != "" {
			failed++
			if failed <= 20 {
				t.Error(msg)
			}
		}
	}
	t.Logf("%s: %d strings, %d differ", g.OpenSSL, len(g.Cases), failed)
	if len(g.Cases) < 3000 {
		t.Errorf("the oracle holds %d strings; it should hold at least 3000", len(g.Cases))
	}
}

func readOracle(t testing.TB) *oracle.Golden {
	f, err := os.Open("testdata/oracle-3.0.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := oracle.ReadGolden(f)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// compare describes how a result differs from OpenSSL's answer, or "".
func compare(s string, r *openssl.Result, want oracle.Answer) string {
	got := oracle.Answer{Suites: r.Names()}
	if r.Err != nil {
		got = oracle.Answer{Reason: r.Err.Reason}
	}
	if got.String() == want.String() {
		return ""
	}
	return "Evaluate(" + strconvQuote(s) + "):\n got  " + got.String() + "\n want " + want.String()
}

func strconvQuote(s string) string {
	if strings.ContainsAny(s, "\"\\\n\t") {
		return "`" + s + "`"
	}
	return `"` + s + `"`
}

// TestLiveOracle asks the installed OpenSSL about fresh random strings, a
// new set every run (the seed is logged to replay a failure with
// NGINXLS_ORACLE_SEED). It skips without openssl, unless
// NGINXLS_REQUIRE_TOOLS=1; it only holds against OpenSSL 3.0.x.
func TestLiveOracle(t *testing.T) {
	bin := testenv.LookPath(t, "openssl")
	version, err := oracle.Version(bin)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(version, "OpenSSL 3.0.") {
		t.Skipf("the 3.0 profile models OpenSSL 3.0; %s is installed", version)
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("NGINXLS_ORACLE_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("%s, seed %d (NGINXLS_ORACLE_SEED=%d replays this run)", version, seed, seed)
	r := rand.New(rand.NewPCG(seed, seed>>1|1))
	n := 400
	if testing.Short() {
		n = 60
	}
	var strs []string
	for len(strs) < n {
		strs = append(strs, oracle.Random(r))
	}
	strs = oracle.Dedup(strs)
	answers, err := oracle.AskAll(bin, strs, 2*runtime.NumCPU())
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for i, s := range strs {
		if msg := compare(s, openssl.Evaluate(s, "3.0"), answers[i]); msg != "" {
			failed++
			t.Error(msg)
		}
	}
	t.Logf("%d random strings, %d differ", len(strs), failed)
}

// TestLiveDescriptions checks the suite descriptions against
// `openssl ciphers -v`, column for column.
func TestLiveDescriptions(t *testing.T) {
	bin := testenv.LookPath(t, "openssl")
	out, err := exec.Command(bin, "ciphers", "-v", "ALL:COMPLEMENTOFALL").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		name := strings.Fields(l)[0]
		s := openssl.LookupSuite(name)
		if s == nil {
			t.Errorf("%s is unknown", name)
			continue
		}
		lines++
		if got := strings.Join(strings.Fields(s.Description()), " "); got != strings.Join(strings.Fields(l), " ") {
			t.Errorf("description of %s:\n got  %s\n want %s", name, got, l)
		}
	}
	if want := len(openssl.SuitesOf("3.0")) + 3; lines != want {
		t.Errorf("openssl lists %d suites, the 3.0 profile has %d (+3 TLS 1.3)", lines, want-3)
	}
}

// TestLiveCiphersuites compares TLS 1.3 lists with `openssl ciphers
// -ciphersuites LIST`.
func TestLiveCiphersuites(t *testing.T) {
	bin := testenv.LookPath(t, "openssl")
	for _, s := range []string{"", " ", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256",
		"TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384", "tls_aes_128_gcm_sha256", "tls_aes_128_gcm_sha256:TLS_CHACHA20_POLY1305_SHA256",
		" TLS_AES_128_CCM_8_SHA256 : TLS_AES_128_CCM_SHA256 ", "::TLS_AES_128_GCM_SHA256::", "TLS_FOO", tlsdata.MozillaCiphersuites,
		"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256;TLS_AES_256_GCM_SHA384"} {
		out, err := exec.Command(bin, "ciphers", "-ciphersuites", s, "NULL-MD5").CombinedOutput()
		r := openssl.EvaluateCiphersuites(s, "3.0")
		if err != nil {
			if r.Err == nil {
				t.Errorf("EvaluateCiphersuites(%q) accepts what OpenSSL rejects: %s", s, out)
			}
			continue
		}
		if r.Err != nil {
			t.Errorf("EvaluateCiphersuites(%q): %v; OpenSSL accepts it", s, r.Err)
			continue
		}
		want := strings.TrimSuffix(strings.TrimSpace(string(out)), "NULL-MD5")
		var got strings.Builder
		for _, su := range r.Suites {
			got.WriteString(su.Name + ":")
		}
		if got.String() != want {
			t.Errorf("EvaluateCiphersuites(%q) = %s, OpenSSL says %s", s, got.String(), want)
		}
	}
}
