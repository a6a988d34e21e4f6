// Command gen writes the OpenSSL facts of package openssl from a real
// OpenSSL 3 and records its answers for the oracle test. It is a tool for
// developers, run by hand where `openssl` exists; nginxls never runs it.
//
//	go run ./analysis/openssl/internal/gen            # rewrite zsuites.go
//	go run ./analysis/openssl/internal/gen -oracle    # rewrite testdata/oracle-3.0.txt
//	go run ./analysis/openssl/internal/gen -corpus ../shared/corpus
//	                                                  # add the corpus's ssl_ciphers values to the seeds
//
// zsuites.go comes from `openssl ciphers -V -stdname 'ALL:COMPLEMENTOFALL'`
// (ids, names, algorithms, protocol) and from membership queries (HIGH,
// MEDIUM, LOW, FIPS, COMPLEMENTOFDEFAULT) for the class flags. The suites
// of older builds are not generated: legacy.go lists them by hand from the
// IANA registry.
//
// The oracle file holds the seed strings of testdata/cipherstrings.txt
// (nginx's defaults, Mozilla's and certbot's lists, values found in real
// configurations) followed by random strings from a fixed seed, each with
// the answer of `openssl ciphers -- STRING`.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/nginxls/nginxls/analysis/openssl/internal/oracle"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var (
	bin        = flag.String("openssl", "openssl", "the OpenSSL 3 binary")
	doOracle   = flag.Bool("oracle", false, "rewrite the oracle golden file instead of the data")
	corpus     = flag.String("corpus", "", "add the ssl_ciphers values of the nginx files under this directory to the seeds")
	total      = flag.Int("n", 3200, "number of strings in the oracle file (seeds + random)")
	seed       = flag.Uint64("seed", 20240611, "seed of the random strings of the oracle file")
	pkgDirFlag = flag.String("dir", "", "directory of package openssl (default: found from the module root)")
)

func main() {
	log.SetFlags(0)
	flag.Parse()
	dir := *pkgDirFlag
	if dir == "" {
		dir = filepath.Join(moduleRoot(), "analysis", "openssl")
	}
	switch {
	case *corpus != "":
		addCorpus(dir, *corpus)
	case *doOracle:
		writeOracle(dir)
	default:
		writeData(dir)
	}
}

func moduleRoot() string {
	d, err := os.Getwd()
	if err != nil {
		log.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		p := filepath.Dir(d)
		if p == d {
			log.Fatal("go.mod not found")
		}
		d = p
	}
}

func openssl(args ...string) string {
	out, err := exec.Command(*bin, args...).Output()
	if err != nil {
		log.Fatalf("openssl %s: %v", strings.Join(args, " "), err)
	}
	return string(out)
}

// suiteLine is one line of `openssl ciphers -V -stdname`.
type suiteLine struct {
	id               uint16
	iana, name, ver  string
	kx, au, enc, mac string
}

var lineRE = regexp.MustCompile(`^\s*0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- (\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+)\s+Mac=(\S+)`)

func list(args ...string) []suiteLine {
	var out []suiteLine
	for _, l := range strings.Split(openssl(append([]string{"ciphers", "-V", "-stdname"}, args...)...), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		m := lineRE.FindStringSubmatch(l)
		if m == nil {
			log.Fatalf("cannot read %q", l)
		}
		hi, _ := strconv.ParseUint(m[1], 16, 8)
		lo, _ := strconv.ParseUint(m[2], 16, 8)
		out = append(out, suiteLine{id: uint16(hi<<8 | lo), iana: m[3], name: m[4], ver: m[5], kx: m[6], au: m[7], enc: m[8], mac: m[9]})
	}
	return out
}

func ids(alias string) map[uint16]bool {
	m := map[uint16]bool{}
	cmd := exec.Command(*bin, "ciphers", "-V", "-stdname", "--", alias)
	out, err := cmd.Output()
	if err != nil { // an alias with no suite on this build is an error
		return m
	}
	for _, l := range strings.Split(string(out), "\n") {
		if mm := lineRE.FindStringSubmatch(l); mm != nil {
			hi, _ := strconv.ParseUint(mm[1], 16, 8)
			lo, _ := strconv.ParseUint(mm[2], 16, 8)
			m[uint16(hi<<8|lo)] = true
		}
	}
	return m
}

var (
	kxNames  = map[string]string{"RSA": "KxRSA", "DH": "KxDHE", "ECDH": "KxECDHE", "PSK": "KxPSK", "RSAPSK": "KxRSAPSK", "ECDHEPSK": "KxECDHEPSK", "DHEPSK": "KxDHEPSK", "SRP": "KxSRP", "GOST": "KxGOST", "GOST18": "KxGOST18"}
	auNames  = map[string]string{"RSA": "AuthRSA", "DSS": "AuthDSS", "None": "AuthNULL", "ECDSA": "AuthECDSA", "PSK": "AuthPSK", "SRP": "AuthSRP", "GOST01": "AuthGOST01", "GOST12": "AuthGOST01 | AuthGOST12"}
	macNames = map[string]string{"MD5": "MACMD5", "SHA1": "MACSHA1", "SHA256": "MACSHA256", "SHA384": "MACSHA384", "AEAD": "MACAEAD"}
	encNames = map[string]string{
		"DES(56)": "EncDES", "3DES(168)": "Enc3DES", "RC4(128)": "EncRC4", "RC2(128)": "EncRC2", "IDEA(128)": "EncIDEA",
		"None": "EncNULL", "AES(128)": "EncAES128", "AES(256)": "EncAES256", "Camellia(128)": "EncCAMELLIA128",
		"Camellia(256)": "EncCAMELLIA256", "SEED(128)": "EncSEED", "AESGCM(128)": "EncAES128GCM", "AESGCM(256)": "EncAES256GCM",
		"AESCCM(128)": "EncAES128CCM", "AESCCM(256)": "EncAES256CCM", "AESCCM8(128)": "EncAES128CCM8", "AESCCM8(256)": "EncAES256CCM8",
		"CHACHA20/POLY1305(256)": "EncCHACHA20POLY1305", "ARIAGCM(128)": "EncARIA128GCM", "ARIAGCM(256)": "EncARIA256GCM",
	}
	verNames = map[string]string{"SSLv3": "SSLv3", "TLSv1": "TLS10", "TLSv1.2": "TLS12", "TLSv1.3": "TLS13"}
)

func need(m map[string]string, k, what string) string {
	v, ok := m[k]
	if !ok {
		log.Fatalf("unknown %s %q: extend the generator", what, k)
	}
	return v
}

// bits reads the key size from OpenSSL's "AES(128)"; 3DES's 168-bit key
// gives 112 bits of strength, which is what OpenSSL sorts by.
func bits(enc string) (strength, alg int) {
	if enc == "None" {
		return 0, 0
	}
	i, j := strings.LastIndexByte(enc, '('), strings.LastIndexByte(enc, ')')
	n, err := strconv.Atoi(enc[i+1 : j])
	if err != nil {
		log.Fatalf("no key size in %q", enc)
	}
	if strings.HasPrefix(enc, "3DES") {
		return 112, n
	}
	return n, n
}

func writeData(dir string) {
	version := strings.TrimSpace(openssl("version"))
	var tls12 []suiteLine
	for _, s := range list("ALL:COMPLEMENTOFALL") {
		if s.ver != "TLSv1.3" {
			tls12 = append(tls12, s)
		}
	}
	sort.Slice(tls12, func(i, j int) bool { return tls12[i].id < tls12[j].id })
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by \"go run ./analysis/openssl/internal/gen\"; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "package openssl\n\n")
	fmt.Fprintf(&b, "// generatedFrom is the OpenSSL build the data below comes from.\nconst generatedFrom = %q\n\n", version)
	writeTLS12(&b, tls12)
	n13, def := writeTLS13(&b)
	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "zsuites.go")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d TLS <= 1.2 suites, %d TLS 1.3 suites (%d by default), from %s", path, len(tls12), n13, len(def), version)
}

// writeTLS12 writes suites30, with each suite's class flags.
func writeTLS12(b *bytes.Buffer, tls12 []suiteLine) {
	high, med, low, fips, cmp := ids("HIGH"), ids("MEDIUM"), ids("LOW"), ids("FIPS"), ids("COMPLEMENTOFDEFAULT")
	fmt.Fprintf(b, "// suites30 are the TLS <= 1.2 suites of OpenSSL 3.0 (`openssl ciphers -V -stdname 'ALL:COMPLEMENTOFALL'`);\n")
	fmt.Fprintf(b, "// their class flags are their membership in HIGH, MEDIUM, LOW, FIPS and COMPLEMENTOFDEFAULT.\n")
	fmt.Fprintf(b, "// The FIPS flag of eNULL suites cannot be observed (the FIPS alias excludes eNULL) and is left out.\n")
	fmt.Fprintf(b, "var suites30 = []Suite{\n")
	for _, s := range tls12 {
		bitsS, alg := bits(s.enc)
		var flags []string
		classes := 0
		for _, c := range []struct {
			in   bool
			name string
		}{{high[s.id], "High"}, {med[s.id], "Medium"}, {low[s.id], "Low"}} {
			if c.in {
				flags = append(flags, c.name)
				classes++
			}
		}
		if s.enc == "None" {
			flags = append(flags, "StrongNone")
			classes++
		}
		if classes != 1 {
			log.Fatalf("%s has %d strength classes", s.name, classes)
		}
		if fips[s.id] {
			flags = append(flags, "FIPS")
		}
		if cmp[s.id] {
			flags = append(flags, "NotDefault")
		}
		fmt.Fprintf(b, "\t{ID: 0x%04X, Name: %q, IANA: %q, Kx: %s, Auth: %s, Enc: %s, MAC: %s, Min: %s, Bits: %d, AlgBits: %d, Strength: %s},\n",
			s.id, s.name, s.iana, need(kxNames, s.kx, "key exchange"), need(auNames, s.au, "authentication"),
			need(encNames, s.enc, "encryption"), need(macNames, s.mac, "MAC"), need(verNames, s.ver, "protocol"),
			bitsS, alg, strings.Join(flags, " | "))
	}
	fmt.Fprintf(b, "}\n\n")
}

// writeTLS13 writes tls13Suites, every suite the build accepts, and
// DefaultCiphersuites; it returns how many suites it wrote and the
// default list.
func writeTLS13(b *bytes.Buffer) (n int, def []string) {
	isDefault := map[string]bool{}
	for _, name := range strings.Split(strings.TrimSpace(openssl("ciphers", "NULL-MD5")), ":") {
		if strings.HasPrefix(name, "TLS_") {
			def = append(def, name)
			isDefault[name] = true
		}
	}
	tls13 := list("-ciphersuites", "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256", "NULL-MD5")
	fmt.Fprintf(b, "// tls13Suites are the TLS 1.3 suites OpenSSL 3.0 accepts in its Ciphersuites list.\n")
	fmt.Fprintf(b, "var tls13Suites = []Suite{\n")
	for _, s := range tls13 {
		if s.ver != "TLSv1.3" {
			continue
		}
		bitsS, alg := bits(s.enc)
		flags := "High"
		if !isDefault[s.name] {
			flags += " | NotDefault"
		}
		fmt.Fprintf(b, "\t{ID: 0x%04X, Name: %q, IANA: %q, Enc: %s, MAC: MACAEAD, Min: TLS13, Bits: %d, AlgBits: %d, Strength: %s},\n",
			s.id, s.name, s.iana, need(encNames, s.enc, "encryption"), bitsS, alg, flags)
	}
	fmt.Fprintf(b, "}\n\n")
	fmt.Fprintf(b, "// DefaultCiphersuites is OpenSSL's TLS 1.3 list when none is configured.\n")
	fmt.Fprintf(b, "const DefaultCiphersuites = %q\n", strings.Join(def, ":"))
	return len(tls13), def
}

// readSeeds reads testdata/cipherstrings.txt: one Go-quoted string a line,
// '#' comments.
func readSeeds(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var out []string
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		s, err := strconv.Unquote(l)
		if err != nil {
			log.Fatalf("%s:%d: %v", path, i+1, err)
		}
		out = append(out, s)
	}
	return out
}

func writeOracle(dir string) {
	seeds := oracle.Dedup(readSeeds(filepath.Join(dir, "testdata", "cipherstrings.txt")))
	strs := append([]string(nil), seeds...)
	seen := map[string]bool{}
	for _, s := range strs {
		seen[s] = true
	}
	r := rand.New(rand.NewPCG(*seed, *seed^0x9e3779b97f4a7c15))
	for len(strs) < *total {
		s := oracle.Random(r)
		if !seen[s] {
			seen[s] = true
			strs = append(strs, s)
		}
	}
	answers, err := oracle.AskAll(*bin, strs, runtime.NumCPU()*2)
	if err != nil {
		log.Fatal(err)
	}
	version, err := oracle.Version(*bin)
	if err != nil {
		log.Fatal(err)
	}
	// The legend is OpenSSL's preference order of every suite.
	full, err := oracle.Ask(*bin, "ALL:COMPLEMENTOFALL")
	if err != nil {
		log.Fatal(err)
	}
	g := &oracle.Golden{OpenSSL: version, Legend: full.Suites}
	failed := 0
	for i, s := range strs {
		g.Cases = append(g.Cases, oracle.Case{String: s, Answer: answers[i]})
		if answers[i].Reason != "" {
			failed++
		}
	}
	var b bytes.Buffer
	if err := g.Write(&b); err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "testdata", "oracle-3.0.txt")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d strings (%d seeds, %d rejected by OpenSSL), %d bytes", path, len(strs), len(seeds), failed, b.Len())
}

// addCorpus appends to the seeds the values of ssl_ciphers and
// *_ssl_ciphers (and ssl_conf_command CipherString) found under a directory.
func addCorpus(dir, root string) {
	path := filepath.Join(dir, "testdata", "cipherstrings.txt")
	have := map[string]bool{}
	for _, s := range readSeeds(path) {
		have[s] = true
	}
	found := map[string]bool{}
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Size() > 4<<20 {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil || !bytes.Contains(src, []byte("ciphers")) && !bytes.Contains(src, []byte("CipherString")) {
			return nil
		}
		f := syntax.Parse(p, src)
		syntax.Walk(f.Directives, func(d *syntax.Directive) bool {
			n := d.Name.Value
			switch {
			case (n == "ssl_ciphers" || strings.HasSuffix(n, "_ssl_ciphers")) && len(d.Args) == 1:
				found[d.Args[0].Value] = true
			case strings.HasSuffix(n, "ssl_conf_command") && len(d.Args) == 2 && strings.EqualFold(d.Args[0].Value, "CipherString"):
				found[d.Args[1].Value] = true
			}
			return true
		})
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	var add []string
	for _, s := range oracle.SortedKeys(found) {
		if !have[s] && !strings.Contains(s, "$") && strings.IndexByte(s, 0) < 0 {
			add = append(add, s)
		}
	}
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(fh)
	if len(add) > 0 {
		fmt.Fprintf(w, "# ssl_ciphers values found in real configurations\n")
	}
	for _, s := range add {
		fmt.Fprintln(w, strconv.Quote(s))
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("added %d strings to %s", len(add), path)
}
