package negotiate_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestLive holds the model to real handshakes: random servers (protocols,
// cipher strings with aliases and @SECLEVEL, groups, ssl_conf_command,
// certificates of both kinds, DH groups of several sizes, inheritance from
// http, early data) are served by the installed nginx on 127.0.0.1, and
// openssl s_client tries every protocol, the TLS 1.2 and TLS 1.3 suites
// (offering all and removing the one the server picks until the handshake
// fails, which gives the server's set and order), groups and 0-RTT. Once
// with the system's OpenSSL configuration, once with a permissive one
// (OPENSSL_CONF, @SECLEVEL=0). A server the model says nginx refuses must
// make `nginx -t` fail on the directive the model blames, and the others
// must start. Every difference fails the test.
//
// NGINXLS_LIVE_SEED picks the seed (the default is fixed, so CI is
// reproducible) and NGINXLS_LIVE_SERVERS the servers per mode.
func TestLive(t *testing.T) {
	nginx := testenv.LookPath(t, "nginx")
	client := testenv.LookPath(t, "openssl")
	va, _ := exec.Command(client, "version", "-a").Output()
	if !strings.HasPrefix(string(va), "OpenSSL 3.") {
		t.Skipf("the model is OpenSSL 3.0's; found %q", strings.SplitN(string(va), "\n", 2)[0])
	}
	if testing.Short() {
		t.Skip("starts nginx and runs thousands of handshakes")
	}
	seed := uint64(20260807)
	if s := os.Getenv("NGINXLS_LIVE_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	perMode := 120
	if s := os.Getenv("NGINXLS_LIVE_SERVERS"); s != "" {
		perMode, _ = strconv.Atoi(s)
	}
	version := config.MustVersion(testenv.NginxVersion(t, nginx))
	dir := t.TempDir()
	files := writeFixtures(t, dir, client)

	compiled, _ := negotiate.CompiledSecLevel(string(va))
	systemLevel, from := compiled, fmt.Sprintf("the library's default (-DOPENSSL_TLS_SECURITY_LEVEL=%d)", compiled)
	if conf := systemConfPath(string(va)); conf != "" {
		if data, err := os.ReadFile(conf); err == nil {
			if sc := negotiate.ParseSystemConf(data); sc.SecLevel >= 0 {
				systemLevel, from = sc.SecLevel, "the system configuration "+conf
			}
		}
	}
	permissive := filepath.Join(dir, "permissive.cnf")
	if err := os.WriteFile(permissive, []byte(permissiveConf), 0o644); err != nil {
		t.Fatal(err)
	}
	modes := []liveMode{
		{name: "system", env: withoutEnv("OPENSSL_CONF"), target: negotiate.Target{OpenSSL: "3.0", SecLevel: systemLevel, SecLevelFrom: from}},
		{name: "permissive", env: append(withoutEnv("OPENSSL_CONF"), "OPENSSL_CONF="+permissive),
			target: negotiate.Target{OpenSSL: "3.0", SecLevel: 0, SecLevelFrom: "OPENSSL_CONF"}},
	}
	rng := mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	start := time.Now()
	var all []string
	for _, m := range modes {
		st := &liveStats{}
		for batch := 0; st.servers < perMode; batch++ {
			n := min(30, perMode-st.servers)
			g := generate(rng, files, n)
			diffs := runBatch(t, nginx, client, version, m, g, filepath.Join(dir, fmt.Sprintf("%s%d", m.name, batch)), st)
			all = append(all, diffs...)
		}
		t.Logf("%s mode (level %d): %d servers, %d not starting, %d handshakes; negotiable TLS 1.0 %d, 1.1 %d, 1.2 %d, 1.3 %d; 0-RTT %d; no handshake at all %d",
			m.name, m.target.SecLevel, st.servers, st.startFailures, st.handshakes, st.versions[openssl.TLS10], st.versions[openssl.TLS11],
			st.versions[openssl.TLS12], st.versions[openssl.TLS13], st.earlyData, st.dead)
		t.Logf("%s mode: nginx refuses to start on %v", m.name, st.blamed)
	}
	t.Logf("seed %d, %s", seed, time.Since(start).Round(time.Second))
	for i, d := range all {
		if i == 40 {
			t.Errorf("... and %d more differences", len(all)-40)
			break
		}
		t.Error(d)
	}
	if len(all) > 0 {
		t.Logf("reproduce with NGINXLS_LIVE_SEED=%d", seed)
	}
}

const permissiveConf = `openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
CipherString = DEFAULT:@SECLEVEL=0
`

type liveMode struct {
	name   string
	env    []string
	target negotiate.Target
}

type liveStats struct {
	mu                                 sync.Mutex
	servers, startFailures, handshakes int
	versions                           map[openssl.Version]int
	earlyData, dead                    int
	blamed                             map[string]int
}

func (s *liveStats) count(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.versions == nil {
		s.versions = map[openssl.Version]int{}
	}
	f()
}

func withoutEnv(name string) []string {
	var out []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, name+"=") {
			out = append(out, e)
		}
	}
	return out
}

var opensslDirRE = regexp.MustCompile(`OPENSSLDIR: "([^"]*)"`)

// systemConfPath is the configuration file the library reads by default.
func systemConfPath(versionA string) string {
	if m := opensslDirRE.FindStringSubmatch(versionA); m != nil {
		return filepath.Join(m[1], "openssl.cnf")
	}
	return ""
}

// fixtures are the files the generated servers name.
type fixtures struct {
	certs map[string][2]string // name -> certificate, key
	dh    map[int]string       // prime size -> file
}

func writeFixtures(t *testing.T, dir, client string) fixtures {
	f := fixtures{certs: map[string][2]string{}, dh: map[int]string{}}
	write := func(name string, key any, pub any) {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(len(f.certs) + 1)), Subject: pkix.Name{CommonName: "test"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), DNSNames: []string{"test"}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, key)
		if err != nil {
			t.Fatal(err)
		}
		kder, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		c, k := filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
		if err := os.WriteFile(c, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(k, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
			t.Fatal(err)
		}
		f.certs[name] = [2]string{c, k}
	}
	for _, bits := range []int{1024, 2048} {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		write(fmt.Sprintf("rsa%d", bits), k, &k.PublicKey)
	}
	for name, c := range map[string]elliptic.Curve{"ec256": elliptic.P256(), "ec384": elliptic.P384()} {
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		write(name, k, &k.PublicKey)
	}
	// Named groups are quick to write; 768 bits only as DSA-style
	// parameters.
	for bits, args := range map[int][]string{
		768:  {"dhparam", "-dsaparam"},
		1024: {"genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:dh_1024_160"},
		1536: {"genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:modp_1536"},
		2048: {"genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048"},
		3072: {"genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe3072"},
	} {
		out := filepath.Join(dir, fmt.Sprintf("dh%d.pem", bits))
		args = append(args, "-out", out)
		if args[0] == "dhparam" {
			args = append(args, "768") // the size comes last
		}
		if b, err := exec.Command(client, args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, b)
		}
		f.dh[bits] = out
	}
	return f
}

// --- the random configurations ---

var (
	cipherPool = []string{"HIGH:!aNULL:!MD5", tlsdata.MozillaIntermediate,
		tlsdata.MozillaIntermediate + ":DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305",
		"ECDHE+AESGCM", "AES128-SHA", "AES128-SHA:AES256-GCM-SHA384", "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA",
		"ALL", "ALL:eNULL", "aNULL", "ADH-AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256", "NULL-SHA:AES128-SHA",
		"kRSA", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-GCM-SHA384", "DES-CBC3-SHA:ECDHE+AESGCM", "HIGH:MEDIUM",
		"AESGCM:!kRSA", "CHACHA20", "DHE", "ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA256:AES256-SHA256",
		"EDH+AESGCM:ECDHE-ECDSA-CHACHA20-POLY1305", "HIGH:!aNULL:!MD5:!kRSA:@STRENGTH", "ECDHE:!ECDSA",
		"aECDSA", "ECDHE-RSA-AES128-SHA:NULL-MD5", "DEFAULT", "PSK:ECDHE+AESGCM"}
	groupPool = []string{"auto", "X25519:P-256", "prime256v1", "secp384r1", "brainpoolP256r1", "secp224r1:X25519",
		"prime192v1:P-256", "P-256:prime256v1", "brainpoolP384r1:secp224r1", "X448", "ffdhe2048:X25519",
		"ffdhe3072", "secp521r1:P-384", "sect283k1:X25519", "prime192v1:secp224r1:P-192", "x25519:secp384r1:ffdhe2048",
		"secp256k1", "P-521:brainpoolP512r1", "X25519:bogus"}
	protocolCmdPool = []string{"TLSv1", "-TLSv1.2", "TLSv1.1,TLSv1", "-TLSv1.3", "ALL", "-ALL,TLSv1.2", "TLSv1.3",
		"TLSv1.2,-TLSv1", "+TLSv1.3", "tlsv1.2", "TLSv1.2 TLSv1.3"}
	boundPool  = []string{"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3", "None", "tlsv1.2"}
	suites13   = []string{"TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"}
	optionPool = []string{"ServerPreference", "-ServerPreference", "-SessionTicket", "SessionTicket", "ServerPreference,-SessionTicket", "NoSuchOption"}
	certPool   = [][]string{{"rsa2048"}, {"ec256"}, {"rsa2048", "ec256"}, {"ec256", "rsa2048"}, {"rsa2048"}, {"ec256"}, {"rsa2048", "ec256"}, {"ec256", "rsa2048"},
		{"rsa1024"}, {"ec384"}, {"rsa1024", "ec256"}, {"ec384", "rsa2048"}}
	cachePool = []string{"none", "off", "shared:S:1m", "builtin:100", "shared:S:1m builtin"}
)

type generated struct {
	http    string
	servers []string
}

func pick[T any](rng *mrand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func genCiphers(rng *mrand.Rand) string {
	c := pick(rng, cipherPool)
	switch rng.IntN(8) {
	case 0, 1:
		c += fmt.Sprintf(":@SECLEVEL=%d", rng.IntN(4))
	case 2:
		c = fmt.Sprintf("@SECLEVEL=%d:", rng.IntN(3)) + c
	}
	return c
}

func genProtocols(rng *mrand.Rand) string {
	if rng.IntN(3) == 0 {
		return "TLSv1.2 TLSv1.3"
	}
	all := []string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
	for {
		var out []string
		for i, p := range all {
			if i == 0 && rng.IntN(8) != 0 {
				continue
			}
			if rng.IntN(2) == 0 {
				out = append(out, p)
			}
		}
		if len(out) > 0 {
			return strings.Join(out, " ")
		}
	}
}

func genCommand(rng *mrand.Rand) string {
	switch rng.IntN(8) {
	case 0, 1:
		return "Protocol " + quote(pick(rng, protocolCmdPool))
	case 2:
		return "MinProtocol " + pick(rng, boundPool)
	case 3:
		return "MaxProtocol " + pick(rng, boundPool)
	case 4:
		return "CipherString " + quote(genCiphers(rng))
	case 5:
		var s []string
		for _, x := range suites13 {
			if rng.IntN(2) == 0 {
				s = append(s, x)
			}
		}
		if len(s) == 0 {
			s = []string{pick(rng, suites13)}
		}
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		return "Ciphersuites " + strings.Join(s, ":")
	case 6:
		g := pick(rng, groupPool)
		if g == "auto" {
			g = "X25519"
		}
		return "Groups " + quote(g)
	}
	return "Options " + quote(pick(rng, optionPool))
}

func quote(s string) string {
	if strings.ContainsAny(s, " ;{}#\"'") || strings.HasPrefix(s, "-") {
		return `"` + s + `"`
	}
	return s
}

// settings are random TLS directives for one level, each present with
// probability p.
func settings(rng *mrand.Rand, f fixtures, p float64, withCerts, http bool) string {
	var b strings.Builder
	add := func(format string, args ...any) {
		b.WriteString("        ")
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\n")
	}
	if withCerts {
		certs := certPool
		if http { // what every server inherits is rarely broken
			certs = certPool[:8]
		}
		for _, c := range pick(rng, certs) {
			add("ssl_certificate %s;", f.certs[c][0])
			add("ssl_certificate_key %s;", f.certs[c][1])
		}
	}
	if rng.Float64() < p {
		add("ssl_protocols %s;", genProtocols(rng))
	}
	if rng.Float64() < p {
		add("ssl_ciphers %s;", quote(genCiphers(rng)))
	}
	if rng.Float64() < p {
		add("ssl_prefer_server_ciphers %s;", pick(rng, []string{"on", "on", "off"}))
	}
	if rng.Float64() < p {
		g := pick(rng, groupPool)
		if http {
			g = pick(rng, groupPool[:7])
		}
		add("ssl_ecdh_curve %s;", quote(g))
	}
	if rng.Float64() < p {
		sizes := []int{768, 1024, 1536, 2048, 2048, 2048, 2048, 3072, 3072}
		if http {
			sizes = sizes[3:]
		}
		add("ssl_dhparam %s;", f.dh[pick(rng, sizes)])
	}
	if rng.Float64() < p {
		add("ssl_early_data %s;", pick(rng, []string{"on", "off"}))
	}
	if rng.Float64() < p/2 {
		add("ssl_session_tickets %s;", pick(rng, []string{"on", "off"}))
	}
	if rng.Float64() < p/2 {
		add("ssl_session_cache %s;", pick(rng, cachePool))
	}
	if rng.Float64() < p {
		for range 1 + rng.IntN(2) {
			add("ssl_conf_command %s;", genCommand(rng))
		}
	}
	return b.String()
}

func generate(rng *mrand.Rand, f fixtures, n int) generated {
	httpCerts := rng.IntN(2) == 0
	g := generated{http: settings(rng, f, 0.3, httpCerts, true)}
	for range n {
		own := !httpCerts || rng.IntN(4) == 0
		g.servers = append(g.servers, settings(rng, f, 0.5, own, false))
	}
	return g
}

// --- serving and probing ---

// assemble is the configuration nginx runs: the servers given, on their
// ports.
func assemble(dir string, g generated, idx []int, ports []int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "events {}\npid %s/nginx.pid;\nerror_log %s/error.log;\nhttp {\n    access_log off;\n%s", dir, dir, g.http)
	for k, i := range idx {
		fmt.Fprintf(&b, "    server {\n        listen 127.0.0.1:%d ssl;\n%s    }\n", ports[k], g.servers[i])
	}
	b.WriteString("}\n")
	return b.String()
}

// model evaluates each server of an assembled configuration.
func model(t *testing.T, src string, version config.Version, target negotiate.Target) []*negotiate.Endpoint {
	f := syntax.Parse("nginx.conf", []byte(src))
	c := config.Load(f)
	var out []*negotiate.Endpoint
	for _, s := range c.Servers {
		in, ok := negotiate.ForServer(c, s, version)
		if !ok {
			t.Fatalf("the model cannot read a generated server:\n%s", src)
		}
		out = append(out, negotiate.Evaluate(in, target))
	}
	return out
}

// emergDirective maps the OpenSSL call an [emerg] names to the directive
// that made nginx call it.
var emergCalls = []struct{ call, directive string }{
	{"SSL_CTX_set_cipher_list", "ssl_ciphers"},
	{"SSL_CTX_use_certificate", "ssl_certificate"},
	{"SSL_CTX_use_PrivateKey", "ssl_certificate"},
	{"SSL_CTX_set0_tmp_dh_pkey", "ssl_dhparam"},
	{"SSL_CTX_set_tmp_dh", "ssl_dhparam"},
	{"PEM_read_bio_Parameters", "ssl_dhparam"},
	{"SSL_CTX_set1_curves_list", "ssl_ecdh_curve"},
	{"SSL_CONF_cmd", "ssl_conf_command"},
}

func emergDirective(out string) string {
	for _, e := range emergCalls {
		if strings.Contains(out, e.call+"(") {
			return e.directive
		}
	}
	return ""
}

func nginxTest(nginx, dir, src string, env []string) (bool, string) {
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return false, err.Error()
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		return false, err.Error()
	}
	cmd := exec.Command(nginx, "-t", "-q", "-p", dir, "-c", conf)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return err == nil, string(out)
}

func runBatch(t *testing.T, nginx, client string, version config.Version, m liveMode, g generated, dir string, st *liveStats) []string {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		t.Fatal(err)
	}
	var diffs []string
	idx := make([]int, len(g.servers))
	for i := range idx {
		idx[i] = i
	}
	ports := testenv.FreePorts(t, len(g.servers))
	eps := model(t, assemble(dir, g, idx, ports), version, m.target)
	st.count(func() { st.servers += len(g.servers) })

	// Servers the model says nginx refuses: each alone must fail nginx -t
	// on the directive the model blames.
	var keep []int
	for i, e := range eps {
		if e.Start == nil {
			keep = append(keep, i)
			continue
		}
		st.count(func() {
			st.startFailures++
			if st.blamed == nil {
				st.blamed = map[string]int{}
			}
			st.blamed[e.Start.Directive]++
		})
		sub := filepath.Join(dir, fmt.Sprintf("alone%d", i))
		ok, out := nginxTest(nginx, sub, assemble(sub, g, []int{i}, ports[i:i+1]), m.env)
		if ok {
			diffs = append(diffs, fmt.Sprintf("%s: the model says nginx refuses this server (%s: %s), but nginx -t accepts it:\n%s",
				m.name, e.Start.Directive, e.Start.Why, g.servers[i]))
		} else if got := emergDirective(out); got != e.Start.Directive {
			diffs = append(diffs, fmt.Sprintf("%s: nginx refuses this server on %q, the model blames %s (%s):\n%s%s",
				m.name, got, e.Start.Directive, e.Start.Why, strings.TrimSpace(out), "\n"+g.servers[i]))
		}
	}
	// The others must start; one that does not is found alone.
	src := assemble(dir, g, keep, pick2(ports, keep))
	if ok, _ := nginxTest(nginx, dir, src, m.env); !ok {
		var still []int
		for _, i := range keep {
			sub := filepath.Join(dir, fmt.Sprintf("alone%d", i))
			if ok, out := nginxTest(nginx, sub, assemble(sub, g, []int{i}, ports[i:i+1]), m.env); !ok {
				diffs = append(diffs, fmt.Sprintf("%s: nginx refuses a server the model accepts: %s\n%s", m.name, strings.TrimSpace(out), g.servers[i]))
				continue
			}
			still = append(still, i)
		}
		keep = still
		src = assemble(dir, g, keep, pick2(ports, keep))
	}
	if len(keep) == 0 {
		return diffs
	}
	stop := startNginx(t, nginx, dir, src, m.env, pick2(ports, keep))
	defer stop()

	var mu sync.Mutex
	sem := make(chan struct{}, 6)
	var wg sync.WaitGroup
	for _, i := range keep {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			p := &prober{client: client, port: ports[i], dir: filepath.Join(dir, fmt.Sprintf("p%d", i))}
			d := probeServer(p, eps[i], st)
			st.count(func() { st.handshakes += p.n })
			if len(d) > 0 {
				mu.Lock()
				diffs = append(diffs, fmt.Sprintf("%s: server\n%s%s  - %s", m.name, g.http, g.servers[i], strings.Join(d, "\n  - ")))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return diffs
}

func pick2(xs []int, idx []int) []int {
	var out []int
	for _, i := range idx {
		out = append(out, xs[i])
	}
	return out
}

func startNginx(t *testing.T, nginx, dir, src string, env []string, ports []int) func() {
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, nginx, "-p", dir, "-c", conf, "-g", "daemon off; master_process off;")
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() { cancel(); _ = cmd.Wait() }
	deadline := time.Now().Add(20 * time.Second)
	for _, p := range ports {
		for {
			c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				stop()
				log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
				t.Fatalf("nginx did not start on port %d: %s%s", p, stderr.String(), log)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return stop
}

type prober struct {
	client string
	port   int
	dir    string
	n      int
}

var completedRE = regexp.MustCompile(`(?m)^(?:New|Reused), (TLSv[0-9.]+|SSLv3), Cipher is (\S+)$`)

// handshake runs s_client; it returns the suite negotiated, or "".
func (p *prober) handshake(args ...string) (string, string) {
	p.n++
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	base := []string{"s_client", "-connect", fmt.Sprintf("127.0.0.1:%d", p.port), "-servername", "test",
		"-no-CAfile", "-no-CApath", "-no-CAstore"}
	cmd := exec.CommandContext(ctx, p.client, append(base, args...)...)
	cmd.Env = withoutEnv("OPENSSL_CONF")
	out, _ := cmd.CombinedOutput()
	if m := completedRE.FindSubmatch(out); m != nil && string(m[2]) != "(NONE)" {
		return string(m[2]), string(out)
	}
	return "", string(out)
}

var versionFlags = map[openssl.Version]string{openssl.TLS10: "-tls1", openssl.TLS11: "-tls1_1", openssl.TLS12: "-tls1_2", openssl.TLS13: "-tls1_3"}

func suiteNames(ss []*openssl.Suite, tls13 bool) []string {
	var out []string
	for _, s := range ss {
		if (s.Min == openssl.TLS13) == tls13 {
			out = append(out, s.Name)
		}
	}
	return out
}

// clientArgs offers c's suites and groups, at security level 0.
func clientArgs(c negotiate.Client) []string {
	args := []string{versionFlags[c.Version], "-groups", strings.Join(c.Groups, ":")}
	if c.Version == openssl.TLS13 {
		return append(args, "-ciphersuites", strings.Join(suiteNames(c.Suites, true), ":"), "-cipher", "ALL:@SECLEVEL=0")
	}
	return append(args, "-cipher", strings.Join(suiteNames(c.Suites, false), ":")+":@SECLEVEL=0")
}

func name(s *openssl.Suite) string {
	if s == nil {
		return ""
	}
	return s.Name
}

// probeServer compares one server with the model: every version with a
// client that offers everything, the suite sequences of TLS 1.2 and 1.3,
// the groups, and 0-RTT.
func probeServer(p *prober, e *negotiate.Endpoint, st *liveStats) []string {
	var d []string
	live := map[openssl.Version]bool{}
	any := false
	for _, v := range []openssl.Version{openssl.TLS10, openssl.TLS11, openssl.TLS12, openssl.TLS13} {
		c := negotiate.EveryClient("3.0", v)
		want := e.Handshake(c)
		got, _ := p.handshake(clientArgs(c)...)
		live[v] = got != ""
		any = any || live[v]
		if live[v] {
			st.count(func() { st.versions[v]++ })
		}
		switch {
		case (got != "") != want.OK:
			d = append(d, fmt.Sprintf("%s: live %q, model ok=%v (%s)", v, got, want.OK, want.Why))
		case want.OK && got != name(want.Suite):
			d = append(d, fmt.Sprintf("%s: the server picks %s, the model %s", v, got, name(want.Suite)))
		}
	}
	if !any {
		st.count(func() { st.dead++ })
	}
	// The sequences: offer everything, drop the suite picked, again.
	for _, v := range []openssl.Version{openssl.TLS12, openssl.TLS13} {
		if !live[v] {
			continue
		}
		c := negotiate.EveryClient("3.0", v)
		want := suiteNamesAll(e.Picks(c))
		var got []string
		offer := slices.Clone(c.Suites)
		for len(suiteNames(offer, v == openssl.TLS13)) > 0 && len(got) <= len(want)+1 {
			cc := c
			cc.Suites = offer
			s, _ := p.handshake(clientArgs(cc)...)
			if s == "" {
				break
			}
			got = append(got, s)
			offer = slices.DeleteFunc(offer, func(x *openssl.Suite) bool { return x.Name == s })
		}
		if !slices.Equal(got, want) {
			d = append(d, fmt.Sprintf("%s suites: live %v, model %v", v, got, want))
		}
	}
	// Groups: each of the server's, and a few it may not have, alone.
	probe := map[string]bool{"x25519": true, "secp256r1": true, "ffdhe2048": true}
	for _, g := range e.Groups {
		if g.Why != "OpenSSL 3.0 has no such TLS group" {
			probe[g.Name] = true
		}
	}
	var names []string
	for g := range probe {
		names = append(names, g)
	}
	slices.Sort(names)
	for _, v := range []openssl.Version{openssl.TLS12, openssl.TLS13} {
		if !live[v] {
			continue
		}
		for _, g := range names {
			c := negotiate.EveryClient("3.0", v)
			c.Groups = []string{g}
			if v == openssl.TLS12 {
				c.Suites = slices.DeleteFunc(c.Suites, func(s *openssl.Suite) bool { return s.Kx&openssl.KxECDHE == 0 })
			}
			want := e.Handshake(c)
			got, _ := p.handshake(clientArgs(c)...)
			if (got != "") != want.OK {
				d = append(d, fmt.Sprintf("%s with group %s only: live %q, model ok=%v (%s)", v, g, got, want.OK, want.Why))
			}
		}
	}
	// 0-RTT: a first connection takes a ticket, the second sends early
	// data with it.
	if live[openssl.TLS13] {
		if err := os.MkdirAll(p.dir, 0o755); err != nil {
			return append(d, err.Error())
		}
		sess, req := filepath.Join(p.dir, "sess.pem"), filepath.Join(p.dir, "req.txt")
		_ = os.WriteFile(req, []byte("GET / HTTP/1.0\r\n\r\n"), 0o644)
		got := earlyData(p, sess, req)
		if got {
			st.count(func() { st.earlyData++ })
		}
		if got != e.EarlyData {
			d = append(d, fmt.Sprintf("0-RTT: live %v, model %v (%s)", got, e.EarlyData, e.EarlyDataWhy))
		}
	}
	return d
}

func suiteNamesAll(ss []*openssl.Suite) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func earlyData(p *prober, sess, req string) bool {
	p.n += 2
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	addr := fmt.Sprintf("127.0.0.1:%d", p.port)
	first := exec.CommandContext(ctx, p.client, "s_client", "-connect", addr, "-servername", "test", "-no-CAfile", "-no-CApath", "-no-CAstore",
		"-tls1_3", "-sess_out", sess, "-ign_eof")
	first.Env = withoutEnv("OPENSSL_CONF")
	in, _ := os.Open(req)
	defer in.Close()
	first.Stdin = in
	_ = first.Run()
	if _, err := os.Stat(sess); err != nil {
		return false
	}
	second := exec.CommandContext(ctx, p.client, "s_client", "-connect", addr, "-servername", "test", "-no-CAfile", "-no-CApath", "-no-CAstore",
		"-tls1_3", "-sess_in", sess, "-early_data", req)
	second.Env = withoutEnv("OPENSSL_CONF")
	out, _ := second.CombinedOutput()
	return strings.Contains(string(out), "Early data was accepted")
}
