package rules

import (
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// The certificate rules read the files that ssl_certificate and
// ssl_certificate_key name, through the configuration (Config.ReadFile), and
// judge them with crypto/x509. They never print key material: messages name
// files and facts (algorithm, size, dates), nothing else.

var CertConfig = &analysis.Analyzer{
	ID:        "tls-cert-config",
	Title:     "Certificate or key missing, unreadable or not paired",
	Severity:  analysis.Error,
	Run:       runCertConfig,
	RunServer: runCertConfigServer,
}

var CertValidity = &analysis.Analyzer{
	ID:       "tls-cert-validity",
	Title:    "Certificate expired, self-signed, mismatched or incomplete",
	Severity: analysis.Error,
	Run:      runCertValidity,
}

var CertCrypto = &analysis.Analyzer{
	ID:       "tls-cert-crypto",
	Title:    "Certificate key too small or signed with a broken hash",
	Severity: analysis.Error,
	Run:      runCertCrypto,
}

var DHParam = &analysis.Analyzer{
	ID:       "tls-dhparam",
	Title:    "DH parameters missing, malformed or too small",
	Severity: analysis.Error,
	Run:      runDHParam,
}

// unreadable returns why a path cannot be read ahead of time, or "".
func unreadable(v string, key bool) string {
	switch {
	case hasVar(v):
		return "it contains variables, so nginx loads it per handshake"
	case strings.HasPrefix(v, "data:"):
		return "it is inline data (data:)"
	case key && strings.HasPrefix(v, "engine:"):
		return "the key lives in an OpenSSL engine (engine:)"
	case key && strings.HasPrefix(v, "store:"):
		return "the key lives in an OpenSSL store (store:)"
	}
	return ""
}

// certPair is the i-th ssl_certificate of a server with the i-th
// ssl_certificate_key: nginx pairs them by position.
type certPair struct {
	server    *config.Server
	cert, key *syntax.Directive
	certs     []*x509.Certificate // parsed; nil when the file could not be used
	keys      []crypto.PrivateKey // from the key file
	keyLoaded bool                // the key file was read and holds a usable key
	keyInCert bool                // the certificate file holds the key too
}

// pemCache keeps the parsed files of one rule run: a certificate set at
// http level is read once, not once per server that inherits it.
type pemCache map[string]tlsdata.PEMBundle

func (c pemCache) load(p *analysis.Pass, path string) (tlsdata.PEMBundle, bool) {
	if b, ok := c[path]; ok {
		return b, b.HasPEM || len(b.Certs) > 0
	}
	data, err := p.Config.ReadFile(path)
	if err != nil {
		c[path] = tlsdata.PEMBundle{}
		return tlsdata.PEMBundle{}, false
	}
	b := tlsdata.ParsePEM(data)
	c[path] = b
	return b, true
}

// loadPairs reads the certificate pairs of a server. Problems are not
// reported here: each rule reports its own.
func loadPairs(p *analysis.Pass, cs certServer, cache pemCache) []certPair {
	s, certs, keys := cs.s, cs.certs, cs.keys
	var out []certPair
	for i, c := range certs {
		cp := certPair{server: s, cert: c}
		if i < len(keys) {
			cp.key = keys[i]
		}
		if len(c.Args) == 1 && unreadable(c.Args[0].Value, false) == "" {
			if b, ok := cache.load(p, c.Args[0].Value); ok {
				cp.certs = b.Certs
				cp.keyInCert = len(b.Keys) > 0
			}
		}
		if cp.key != nil && len(cp.key.Args) == 1 && unreadable(cp.key.Args[0].Value, true) == "" {
			if b, ok := cache.load(p, cp.key.Args[0].Value); ok {
				cp.keys = b.Keys
				cp.keyLoaded = len(b.Keys) > 0
			}
		}
		out = append(out, cp)
	}
	return out
}

// certServer is a TLS server with a certificate or a key, and its
// certificate and key directives (its own or inherited).
type certServer struct {
	s           *config.Server
	certs, keys []*syntax.Directive
}

func certServerOf(p *analysis.Pass, s *config.Server) certServer {
	return certServer{s, p.Config.EffectiveAll(s.Block, "ssl_certificate"), p.Config.EffectiveAll(s.Block, "ssl_certificate_key")}
}

type certServersKey struct{}

// certServers are the TLS servers with a certificate or a key (whose key
// is checked even without a certificate), looked up once for the four
// rules that read them.
func certServers(p *analysis.Pass) []certServer {
	return analysis.Shared(p, certServersKey{}, func() []certServer {
		var out []certServer
		for _, s := range tlsServers(p) {
			if cs := certServerOf(p, s); len(cs.certs) > 0 || len(cs.keys) > 0 {
				out = append(out, cs)
			}
		}
		return out
	})
}

// A directive inherited by many servers is judged once.
type seenDirs map[*syntax.Directive]bool

func (s seenDirs) first(d *syntax.Directive) bool {
	if s[d] {
		return false
	}
	s[d] = true
	return true
}

var snakeoil = [2]string{"/etc/ssl/certs/ssl-cert-snakeoil.pem", "/etc/ssl/private/ssl-cert-snakeoil.key"}

// runCertConfig checks the certificate and key files, and that every TLS
// server has a certificate. The files are read on every analysis, not
// cached per server: a file fixed on disk is seen at the next edit. A
// server without a certificate is offered another server's for its name,
// so its finding depends on the other servers: it is not cached either.
func runCertConfig(p *analysis.Pass) {
	for _, s := range tlsServers(p) {
		if len(p.Config.EffectiveAll(s.Block, "ssl_certificate")) == 0 && !p.Config.Incomplete(s.Block) {
			reportNoCertificate(p, s, certsByName(p))
		}
	}
	seen, noKey := seenDirs{}, seenDirs{}
	for _, cs := range certServers(p) {
		s, keys := cs.s, cs.keys
		for i, c := range cs.certs {
			if seen.first(c) {
				checkCertFile(p, c)
			}
			// A certificate inherited by several servers lacks its key in
			// those that have fewer keys; a server with an include that
			// could not be read may have the key there.
			if i >= len(keys) && !p.Config.Incomplete(s.Block) && noKey.first(c) {
				reportNoKey(p, c)
			}
		}
		for _, k := range keys {
			if seen.first(k) {
				checkKeyFile(p, s, k)
			}
		}
	}
}

// runCertConfigServer reports a plain server on port 443.
func runCertConfigServer(p *analysis.Pass, s *config.Server) {
	if p.Config.IsTLS(s) || s.Module != config.HTTP {
		return
	}
	for _, l := range s.Listens {
		if len(l.Args) == 0 || !port443(l.Args[0].Value) {
			continue
		}
		f := p.Config.FileOf(l)
		p.Report(analysis.Diagnostic{File: f, Span: directiveSpan(l), Severity: analysis.Warning,
			Message: "this server listens on port 443 without \"ssl\": it speaks plain HTTP on the HTTPS port",
			Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Add the ssl parameter",
				Edits: []analysis.TextEdit{replace(f, syntax.Span{Start: l.Args[0].End, End: l.Args[0].End}, " ssl")}}}})
	}
}

type certsByNameKey struct{}

// certsByName is the first certificate pair of each literal name of the
// TLS servers: a server without a certificate is offered another's for its
// name.
func certsByName(p *analysis.Pass) map[string][2]string {
	return analysis.Shared(p, certsByNameKey{}, func() map[string][2]string {
		out := map[string][2]string{}
		for _, cs := range certServers(p) {
			c, k := cs.certs, cs.keys
			if len(c) == 0 || len(k) == 0 || len(c[0].Args) != 1 || len(k[0].Args) != 1 {
				continue
			}
			for _, w := range literalNames(p, cs.s) {
				if _, ok := out[hostKey(w.Value)]; !ok {
					out[hostKey(w.Value)] = [2]string{c[0].Args[0].Value, k[0].Args[0].Value}
				}
			}
		}
		return out
	})
}

func port443(addr string) bool {
	return addr == "443" || strings.HasSuffix(addr, ":443")
}

func reportNoCertificate(p *analysis.Pass, s *config.Server, byName map[string][2]string) {
	lines := snakeoilLines
	title := "Add Debian's snakeoil certificate (replace it with a real one)"
	// Another TLS server for the same name has a certificate: reuse it.
	if len(byName) > 0 {
		for _, w := range literalNames(p, s) {
			if other, ok := byName[hostKey(w.Value)]; ok {
				lines, title = certLines(other), "Use the certificate of the other server for "+w.Value
				break
			}
		}
	}
	anchor := tlsAnchor(p, s)
	p.Report(analysis.Diagnostic{File: p.Config.FileOf(anchor), Span: anchorSpan(anchor),
		Message: "this TLS server has no ssl_certificate: nginx refuses to start, or fails every handshake",
		Fixes:   []analysis.SuggestedFix{{Unsafe: true, Title: title, Edits: []analysis.TextEdit{insertInServer(p, s, lines[0], lines[1])}}}})
}

// certLines are the directives that set a certificate pair.
func certLines(pair [2]string) [2]string {
	return [2]string{"ssl_certificate " + pair[0] + ";", "ssl_certificate_key " + pair[1] + ";"}
}

// snakeoilLines are made once: every certificate-less server is offered
// them on every analysis.
var snakeoilLines = certLines(snakeoil)

// readPEMArg reads the PEM file a directive's argument names, through the
// configuration. What cannot be read is reported on the argument: a value
// nginx resolves at run time (variables, data:, engine:, store:) as a hint,
// a missing or unreadable file per readProblem.
func readPEMArg(p *analysis.Pass, d *syntax.Directive, key bool, what string) (tlsdata.PEMBundle, bool) {
	if len(d.Args) != 1 {
		return tlsdata.PEMBundle{}, false // the directive table's matter
	}
	f, w := p.Config.FileOf(d), d.Args[0]
	if why := unreadable(w.Value, key); why != "" {
		noun := what
		if key {
			noun = "the key"
		}
		p.Report(analysis.Diagnostic{File: f, Span: w.Span, Severity: analysis.Hint,
			Message: noun + " is not checked: " + why})
		return tlsdata.PEMBundle{}, false
	}
	data, err := p.Config.ReadFile(w.Value)
	if err != nil {
		sev, msg := readProblem(p, w.Value, err, what)
		p.Report(analysis.Diagnostic{File: f, Span: w.Span, Severity: sev, Message: msg})
		return tlsdata.PEMBundle{}, false
	}
	return tlsdata.ParsePEM(data), true
}

// checkCertFile reports a certificate file that cannot be used.
func checkCertFile(p *analysis.Pass, c *syntax.Directive) {
	b, ok := readPEMArg(p, c, false, "the certificate")
	if !ok {
		return
	}
	f, w := p.Config.FileOf(c), c.Args[0]
	if len(b.Certs) == 0 {
		what := "holds no PEM certificate"
		if len(b.BadBlocks) > 0 {
			what = "holds a malformed " + b.BadBlocks[0] + " block"
		}
		p.Report(analysis.Diagnostic{File: f, Span: w.Span,
			Message: fmt.Sprintf("the certificate file %s: nginx refuses to start (PEM_read_bio_X509_AUX failed)", what)})
	}
}

// reportNoKey reports a certificate without a key at its position, with a
// fix when the key can be found: in the certificate file itself, certbot's
// privkey.pem next to it, or NAME.key next to NAME.crt|pem.
func reportNoKey(p *analysis.Pass, c *syntax.Directive) {
	f := p.Config.FileOf(c)
	diag := analysis.Diagnostic{File: f, Span: directiveSpan(c),
		Message: "this certificate has no ssl_certificate_key at the same position: nginx refuses to start"}
	if len(c.Args) == 1 && unreadable(c.Args[0].Value, false) == "" {
		v := c.Args[0].Value
		dir, base := path.Split(v)
		candidates := []string{v, dir + "privkey.pem", strings.TrimSuffix(strings.TrimSuffix(base, ".pem"), ".crt")}
		candidates[2] = dir + candidates[2] + ".key"
		for _, k := range candidates {
			if data, err := p.Config.ReadFile(k); err == nil && len(tlsdata.ParsePEM(data).Keys) > 0 {
				diag.Fixes = []analysis.SuggestedFix{{Unsafe: true, Title: "Add ssl_certificate_key " + k,
					Edits: []analysis.TextEdit{insertAfter(f, c, "ssl_certificate_key "+k+";")}}}
				break
			}
		}
	}
	p.Report(diag)
}

// checkKeyFile reports a key file that cannot be used.
func checkKeyFile(p *analysis.Pass, s *config.Server, k *syntax.Directive) {
	b, ok := readPEMArg(p, k, true, "the private key")
	if !ok {
		return
	}
	f, w := p.Config.FileOf(k), k.Args[0]
	switch {
	case len(b.Keys) > 0:
	case b.Encrypted > 0:
		if p.Config.Effective(s.Block, "ssl_password_file") == nil && !p.Config.Incomplete(s.Block) {
			p.Report(analysis.Diagnostic{File: f, Span: w.Span,
				Message: "the private key is encrypted and no ssl_password_file is set: nginx asks for the passphrase at start"})
		}
	default:
		p.Report(analysis.Diagnostic{File: f, Span: w.Span,
			Message: "the key file holds no usable PEM private key: nginx refuses to start (PEM_read_bio_PrivateKey failed)"})
	}
}

// readProblem words a file that cannot be read. A missing file at an
// absolute path is a warning: the configuration is often checked on
// another machine (CI, a laptop) than the one it runs on, where
// /etc/letsencrypt/... exists. A missing relative path (next to the
// configuration) and any other read error are errors.
func readProblem(p *analysis.Pass, path string, err error, what string) (analysis.Severity, string) {
	// The finding is on the path: the message names the file only where
	// it resolves to another (relative) path, and then only when short.
	full := p.Config.Resolve(path)
	if errors.Is(err, config.ErrNotMapped) {
		return analysis.Info, fmt.Sprintf("%s was not checked: it lies outside the configuration's folders (map it with --path or .nginxls.toml [paths])", what)
	}
	if errors.Is(err, config.ErrTooLarge) {
		// Nothing says nginx cannot read it: only that nginxls did not.
		return analysis.Info, fmt.Sprintf("%s was not checked: it is %s", what, fsErr(err))
	}
	if errors.Is(err, fs.ErrNotExist) && p.Config.Elsewhere {
		return analysis.Info, fmt.Sprintf("%s is not on this machine, so it was not checked", what)
	}
	if errors.Is(err, fs.ErrNotExist) && filepath.IsAbs(path) {
		return analysis.Warning, fmt.Sprintf("%s does not exist here: unless it does where nginx runs, nginx refuses to start", what)
	}
	if full != path && len(full) <= 60 {
		what += " " + full
	}
	return analysis.Error, fmt.Sprintf("cannot read %s (%s): nginx refuses to start", what, fsErr(err))
}

// fsErr keeps the reason of a file error without repeating the path.
func fsErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		return s[i+2:]
	}
	return s
}

// now is the clock of the validity checks.
var now = time.Now

const day = 24 * time.Hour

func runCertValidity(p *analysis.Pass) {
	seen := seenDirs{}
	pr := profile(p)
	cache := pemCache{}
	for _, cs := range certServers(p) {
		s := cs.s
		pairs := loadPairs(p, cs, cache)
		for i, cp := range pairs {
			if len(cp.certs) == 0 {
				continue
			}
			f, w := p.Config.FileOf(cp.cert), cp.cert.Args[0]
			leaf := cp.certs[0]
			// An include that could not be read may hold another
			// certificate of the server, for the names this one lacks.
			if s.Module == config.HTTP && i == 0 && !p.Config.Incomplete(s.Block) {
				checkNames(p, s, pairs)
			}
			if !seen.first(cp.cert) {
				continue
			}
			report := func(sev analysis.Severity, msg string, fixes ...analysis.SuggestedFix) {
				p.Report(analysis.Diagnostic{File: f, Span: w.Span, Severity: sev, Message: msg, Fixes: fixes})
			}
			name := tlsdata.SubjectName(leaf)
			t := now()
			// Order: nginx sends the file as is, leaf first.
			orderBad := false
			if leaf.IsCA {
				for i, c := range cp.certs[1:] {
					if !c.IsCA {
						orderBad = true
						report(analysis.Error, fmt.Sprintf("the file starts with a CA certificate (%s), and the server certificate comes at position %d", name, i+2))
						break
					}
				}
			}
			if orderBad {
				continue
			}
			if cp.keyLoaded && !cp.keyInCert && !tlsdata.KeyMatches(leaf, cp.keys[0]) {
				p.Report(analysis.Diagnostic{File: f, Span: w.Span, Severity: analysis.Error,
					Message: fmt.Sprintf("the private key does not belong to the certificate (%s): nginx refuses to start (key values mismatch)", name),
					Fixes:   swapKeyFix(p, pairs, cp),
					Related: []analysis.Related{{File: p.Config.FileOf(cp.key), Span: cp.key.Args[0].Span, Message: "the private key"}}})
			}
			switch {
			case t.After(leaf.NotAfter):
				report(analysis.Error, fmt.Sprintf("the certificate (%s) expired on %s: browsers refuse it", name, leaf.NotAfter.UTC().Format("2006-01-02")))
			case t.Before(leaf.NotBefore):
				report(analysis.Error, fmt.Sprintf("the certificate (%s) is not valid before %s: browsers refuse it", name, leaf.NotBefore.UTC().Format("2006-01-02")))
			default:
				life := leaf.NotAfter.Sub(leaf.NotBefore)
				window := min(life/3, 30*day)
				if p.Settings.CertExpiryDays > 0 {
					window = time.Duration(p.Settings.CertExpiryDays) * day
				}
				if left := leaf.NotAfter.Sub(t); left < window {
					report(analysis.Warning, fmt.Sprintf("the certificate (%s) expires in %d days (%s): renew it", name, int(left/day), leaf.NotAfter.UTC().Format("2006-01-02")))
				}
				if days := int(life / day); pr.MaxCertLifespan > 0 && days > pr.MaxCertLifespan && !tlsdata.SelfSigned(leaf) {
					report(analysis.Info, fmt.Sprintf("the certificate (%s) is valid for %d days, more than the %d of the %s", name, days, pr.MaxCertLifespan, pr))
				}
			}
			if tlsdata.SelfSigned(leaf) {
				report(analysis.Warning, fmt.Sprintf("the certificate (%s) is self-signed: browsers do not trust it", name))
			} else if len(cp.certs) == 1 {
				report(analysis.Warning, fmt.Sprintf("the file holds only the server certificate (%s), not the intermediate %q", name, leaf.Issuer.CommonName),
					fullchainFix(p, f, w)...)
			}
		}
	}
}

// checkNames reports literal server names that no certificate of the
// server covers (with an RSA and an ECDSA certificate, one suffices).
func checkNames(p *analysis.Pass, s *config.Server, pairs []certPair) {
	first := pairs[0]
	for _, w := range literalNames(p, s) {
		if strings.HasSuffix(w.Value, ".*") {
			continue // nginx's trailing wildcard names no certificate can match
		}
		covered := false
		for _, cp := range pairs {
			if len(cp.certs) > 0 && tlsdata.CoversName(cp.certs[0], w.Value) {
				covered = true
			}
		}
		if !covered {
			p.Report(analysis.Diagnostic{File: p.Config.FileOf(w2d(s, w)), Span: w.Span, Severity: analysis.Warning,
				Message: fmt.Sprintf("the server's certificate does not cover %s (it names %s): browsers reject the connection",
					w.Value, capList(sanList(first.certs[0]), 2, "names")), Related: []analysis.Related{{File: p.Config.FileOf(first.cert),
					Span: first.cert.Args[0].Span, Message: "the certificate"}}})
		}
	}
}

// w2d finds the server_name directive holding a word (for its file).
func w2d(s *config.Server, w *syntax.Word) *syntax.Directive {
	for _, d := range kidsNamed(s.Block, "server_name") {
		for _, a := range d.Args {
			if a == w {
				return d
			}
		}
	}
	return s.Block
}

func sanList(c *x509.Certificate) []string {
	out := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	if len(out) == 0 {
		return []string{"no DNS name"}
	}
	return out
}

// swapKeyFix offers the key of another pair of the server that belongs to
// this certificate (an RSA and an ECDSA pair written crosswise).
func swapKeyFix(p *analysis.Pass, pairs []certPair, cp certPair) []analysis.SuggestedFix {
	for _, o := range pairs {
		if o.key == nil || o.key == cp.key || !o.keyLoaded || !tlsdata.KeyMatches(cp.certs[0], o.keys[0]) {
			continue
		}
		kf, of := p.Config.FileOf(cp.key), p.Config.FileOf(o.key)
		return []analysis.SuggestedFix{{Unsafe: true, Title: "Swap the two ssl_certificate_key paths",
			Edits: []analysis.TextEdit{
				replace(kf, cp.key.Args[0].Span, o.key.Args[0].Raw),
				replace(of, o.key.Args[0].Span, cp.key.Args[0].Raw),
			}}}
	}
	return nil
}

// fullchainFix points a certbot cert.pem at the fullchain.pem beside it.
func fullchainFix(p *analysis.Pass, f *syntax.File, w *syntax.Word) []analysis.SuggestedFix {
	dir, base := path.Split(w.Value)
	if base != "cert.pem" {
		return nil
	}
	full := dir + "fullchain.pem"
	data, err := p.Config.ReadFile(full)
	if err != nil || len(tlsdata.ParsePEM(data).Certs) < 2 {
		return nil
	}
	return []analysis.SuggestedFix{{Unsafe: true, Title: "Use " + full + " (certificate and intermediates)",
		Edits: []analysis.TextEdit{replace(f, w.Span, quoteLike(w, full))}}}
}

func runCertCrypto(p *analysis.Pass) {
	seen := seenDirs{}
	pr := profile(p)
	cache := pemCache{}
	for _, cs := range certServers(p) {
		pairs := loadPairs(p, cs, cache)
		for i, cp := range pairs {
			if len(cp.certs) == 0 || !seen.first(cp.cert) {
				continue
			}
			f, w := p.Config.FileOf(cp.cert), cp.cert.Args[0]
			leaf := cp.certs[0]
			var fixes []analysis.SuggestedFix
			if sound := soundPair(pairs, i); sound && cp.key != nil {
				fixes = []analysis.SuggestedFix{{Unsafe: true, Title: "Remove this weak certificate pair (the server keeps its other certificate)",
					Edits: []analysis.TextEdit{removeDirective(f, cp.cert), removeDirective(p.Config.FileOf(cp.key), cp.key)}}}
			}
			report := func(sev analysis.Severity, msg string) {
				p.Report(analysis.Diagnostic{File: f, Span: w.Span, Severity: sev, Message: msg, Fixes: fixes})
			}
			alg, bits := tlsdata.KeyInfo(leaf.PublicKey)
			switch {
			case alg == "RSA" && bits < 2048:
				report(analysis.Error, fmt.Sprintf("the certificate has a %d-bit RSA key, below 2048 bits: OpenSSL 3 at security level 2 refuses it", bits))
			case alg == "ECDSA" && bits < 256:
				report(analysis.Error, fmt.Sprintf("the certificate has a %d-bit EC key (%s): below 256 bits it is under every current guideline", bits, tlsdata.CurveName(leaf.PublicKey)))
			case alg == "DSA":
				report(analysis.Warning, fmt.Sprintf("the certificate has a DSA key (%d bits): browsers no longer accept DSA", bits))
			case alg == "RSA" && len(pr.CertificateTypes) == 1 && pr.CertificateTypes[0] == "ecdsa":
				report(analysis.Info, fmt.Sprintf("the certificate has an RSA key, and the %s expects ECDSA (P-256 or P-384)", pr))
			}
			for j, c := range cp.certs {
				if j > 0 && tlsdata.SelfSigned(c) {
					continue // a root's own signature is not checked by clients
				}
				if h := tlsdata.WeakSignature(c); h != "" {
					what := "the certificate"
					if j > 0 {
						what = fmt.Sprintf("the chain certificate %s", tlsdata.SubjectName(c))
					}
					report(analysis.Error, fmt.Sprintf("%s is signed with %s, which can be forged by collision: browsers and OpenSSL 3 reject it", what, h))
				}
			}
		}
	}
}

// soundPair reports whether the server has another pair whose leaf is
// strong, so that removing pair i leaves it serving.
func soundPair(pairs []certPair, i int) bool {
	for j, o := range pairs {
		if j == i || len(o.certs) == 0 || o.key == nil {
			continue
		}
		alg, bits := tlsdata.KeyInfo(o.certs[0].PublicKey)
		if (alg == "RSA" && bits >= 2048 || alg == "ECDSA" && bits >= 256) && tlsdata.WeakSignature(o.certs[0]) == "" {
			return true
		}
	}
	return false
}

func runDHParam(p *analysis.Pass) {
	pr := profile(p)
	for _, l := range p.Config.Named("ssl_dhparam") {
		f, d := l.File, l.Dir
		if len(d.Args) != 1 {
			continue
		}
		w := d.Args[0]
		if hasVar(w.Value) {
			continue
		}
		fix := []analysis.SuggestedFix{{Title: "Remove ssl_dhparam (no DHE suites, as in Mozilla's intermediate profile)",
			Edits: []analysis.TextEdit{removeDirective(f, d)}}}
		data, err := p.Config.ReadFile(w.Value)
		if err != nil {
			sev, msg := readProblem(p, w.Value, err, "the DH parameter file")
			d := analysis.Diagnostic{File: f, Span: w.Span, Severity: sev, Message: msg}
			// A file absent from this machine only (certbot's
			// ssl-dhparams.pem in a repository) is no reason to touch the
			// line; one missing where nginx runs is better created than
			// dropped, which turns DHE off: unsafe.
			if sev == analysis.Error {
				d.Fixes = []analysis.SuggestedFix{{Title: fix[0].Title, Edits: fix[0].Edits, Unsafe: true}}
			}
			p.Report(d)
			continue
		}
		bits, err := tlsdata.DHParams(data)
		if err != nil {
			p.Report(analysis.Diagnostic{File: f, Span: w.Span, Fixes: fix,
				Message: fmt.Sprintf("the DH parameter file is unusable (%v): nginx refuses to start", err)})
			continue
		}
		var sev analysis.Severity
		var msg string
		switch {
		case bits < 1024:
			sev, msg = analysis.Error, fmt.Sprintf("the DH prime has %d bits: below 1024 bits it is breakable (Logjam, CVE-2015-4000)", bits)
		case bits < 2048 && pr.DHParamSize > 0 && bits >= pr.DHParamSize:
			sev, msg = analysis.Info, fmt.Sprintf("the DH prime has %d bits, which the %s allows for its oldest clients; 2048 bits is the norm", bits, pr)
		case bits < 2048:
			sev, msg = analysis.Warning, fmt.Sprintf("the DH prime has %d bits, below the 2048 of Mozilla's profiles (RFC 7919 ffdhe2048)", bits)
		default:
			continue
		}
		p.Report(analysis.Diagnostic{File: f, Span: w.Span, Severity: sev, Message: msg, Fixes: fix})
	}
}
