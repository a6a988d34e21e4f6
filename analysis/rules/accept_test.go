package rules_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/negotiate"
	"github.com/nginxls/nginxls/analysis/openssl"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
	"github.com/nginxls/nginxls/internal/testenv"
)

// TestFindingsMatchModel holds every warning and error of the protocol,
// cipher, curve and early-data rules to the negotiation model, computed
// here apart from the rules: the thing a finding calls weak must be
// negotiable on one of the servers it is about, or the finding must say it
// is not negotiable here. It runs every rule over the rule tests, the
// examples and the corpus, as written and again on a platform (Debian 12),
// where the security level is known and every refusal counts.
func TestFindingsMatchModel(t *testing.T) {
	root := testenv.RepoRoot(t)
	var cases []string
	filepath.WalkDir(filepath.Join(root, "testdata", "rules"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".conf") || strings.HasSuffix(p, ".txtar")) {
			cases = append(cases, p)
		}
		return nil
	})
	examples, _ := filepath.Glob(filepath.Join(root, "testdata", "examples", "*.conf"))
	cases = append(cases, examples...)
	opts := analysistest.Options{Files: certFixtures(t)}

	type load struct {
		name string
		cfg  func() *config.Config
		s    analysis.Settings
	}
	var loads []load
	for _, p := range cases {
		_, s := analysistest.Load(t, p, opts)
		rel, _ := filepath.Rel(root, p)
		loads = append(loads, load{rel, func() *config.Config { c, _ := analysistest.Load(t, p, opts); return c }, s})
	}
	if dir := corpusDir(); dir != "" {
		_, files := corpusFiles(t)
		for _, name := range files {
			src, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			loads = append(loads, load{"corpus/" + name, func() *config.Config { return config.Load(syntax.Parse(name, src)) }, analysis.DefaultSettings()})
		}
	} else {
		t.Log("no corpus: set NGINXLS_CORPUS to include it")
	}

	for _, platform := range []string{"", "debian-12"} {
		var n counts
		for _, l := range loads {
			s := l.s
			if platform != "" {
				s.Platform = platform
			}
			cfg := l.cfg()
			diags, _ := analysis.Run(cfg, rules.All, s)
			for _, d := range diags {
				if !judged(d) || d.Severity > analysis.Warning && !saysNotHere(d) {
					continue
				}
				verdict, why := agree(cfg, s, d)
				n.add(verdict)
				if verdict == disagree && (platform != "" || !strings.Contains(why, "security level")) {
					line, _ := d.File.Position(d.Span.Start)
					t.Errorf("platform %q: %s:%d: %s (%s) claims what the model refuses: %s\n\t%s", platform, l.name, line, d.Rule, d.Severity, why, d.Message)
				}
			}
		}
		t.Logf("platform %q: %d configurations; %d findings judged: %d warnings and errors agree, %d findings say not negotiable here, %d beyond the model (no TLS server, upstream, unknown settings), %d disagree only by OpenSSL's assumed default level",
			platform, len(loads), n.total, n.of[agreeV], n.of[saysNot], n.of[unknown], n.of[disagree])
	}
}

func saysNotHere(d analysis.Diagnostic) bool {
	return strings.Contains(d.Message, "not negotiable here") || strings.Contains(d.Message, "refuses them here")
}

// levelFirst keeps a refusal by the security level over others: it is the
// one the rules may not trust without a platform.
func levelFirst(why, w string) string {
	if why == "" || !strings.Contains(why, "security level") && strings.Contains(w, "security level") {
		return w
	}
	return why
}

func corpusDir() string {
	dir := os.Getenv("NGINXLS_CORPUS")
	if dir == "" {
		wd, _ := os.Getwd()
		dir = filepath.Join(wd, "..", "..", "..", "shared", "corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.tsv")); err != nil {
		return ""
	}
	return dir
}

type verdict int

const (
	agreeV verdict = iota
	saysNot
	unknown
	disagree
)

type counts struct {
	total int
	of    [4]int
}

func (c *counts) add(v verdict) { c.total++; c.of[v]++ }

var weaknessOf = map[string]openssl.Weakness{
	"tls-cipher-null": openssl.WeakNull, "tls-cipher-anonymous": openssl.WeakAnonymous, "tls-cipher-export": openssl.WeakExport,
	"tls-cipher-rc4": openssl.WeakRC4, "tls-cipher-des": openssl.WeakDES, "tls-cipher-3des": openssl.Weak3DES,
	"tls-cipher-md5": openssl.WeakMD5, "tls-cipher-no-forward-secrecy": openssl.WeakNoFS, "tls-cipher-cbc": openssl.WeakCBC,
	"tls-cipher-dhe": openssl.WeakDHE,
}

var versionsOf = map[string][]openssl.Version{
	"tls-protocol-sslv3": {openssl.SSLv3}, "tls-protocol-legacy-tls": {openssl.TLS10, openssl.TLS11},
}

func judged(d analysis.Diagnostic) bool {
	return weaknessOf[d.Rule] != 0 || versionsOf[d.Rule] != nil || d.Rule == "tls-cipher-no-aead" ||
		d.Rule == "tls-curve-weak" || d.Rule == "tls-early-data"
}

// agree judges one finding against the model of the servers it is about.
func agree(cfg *config.Config, s analysis.Settings, d analysis.Diagnostic) (verdict, string) {
	if saysNotHere(d) {
		return saysNot, ""
	}
	dir := innermost(d.File.Directives, d.Span)
	if dir == nil || !s.OpenSSLAtLeast("1.1.1") || strings.Contains(dir.Name.Value, "proxy_") ||
		strings.Contains(dir.Name.Value, "grpc_") || strings.Contains(dir.Name.Value, "uwsgi_") {
		return unknown, ""
	}
	var endpoints []*negotiate.Endpoint
	for _, srv := range serversOf(cfg, dir) {
		in, ok := negotiate.ForServer(cfg, srv, s.Nginx)
		if !ok {
			continue
		}
		e := negotiate.Evaluate(in, negotiate.TargetFor(s.OpenSSL, s.Platform))
		if len(e.Unmodelled) == 0 && e.Start == nil {
			endpoints = append(endpoints, e)
		}
	}
	if len(endpoints) == 0 {
		return unknown, ""
	}
	why := ""
	for _, e := range endpoints {
		ok, w := claimHolds(e, d)
		if ok {
			return agreeV, ""
		}
		if why == "" {
			why = w
		}
	}
	return disagree, why
}

// claimHolds: what the finding calls weak is negotiable on the server.
func claimHolds(e *negotiate.Endpoint, d analysis.Diagnostic) (bool, string) {
	text := d.File.Text(d.Span)
	switch {
	case weaknessOf[d.Rule] != 0:
		why := ""
		for _, st := range e.Suites {
			if openssl.Classify(st.Suite)&weaknessOf[d.Rule] == 0 {
				continue
			}
			ok, w := e.SuiteNegotiable(st.Suite)
			if ok {
				return true, ""
			}
			why = levelFirst(why, w)
		}
		if why == "" {
			why = "no suite of the weakness in the server's list"
		}
		return false, why
	case versionsOf[d.Rule] != nil:
		for _, v := range versionsOf[d.Rule] {
			if e.Negotiable(v) {
				return true, ""
			}
		}
		why := ""
		for _, vs := range e.Versions {
			if slices.Contains(versionsOf[d.Rule], vs.Version) && (why == "" || vs.Configured) {
				why = vs.Why
			}
		}
		return false, why
	case d.Rule == "tls-cipher-no-aead":
		// The claim: clients get suites, none of them AEAD.
		why, any := "", false
		for _, st := range e.Suites {
			ok, w := e.SuiteNegotiable(st.Suite)
			if ok && st.Suite.IsAEAD() {
				return false, "an AEAD suite is negotiable: " + st.Suite.Name
			}
			any = any || ok
			why = levelFirst(why, w)
		}
		return any, why
	case d.Rule == "tls-curve-weak":
		info := tlsdata.LookupGroup(text, e.Target.OpenSSL)
		if info.Group == nil {
			return false, "unknown group " + text
		}
		return e.GroupNegotiable(info.Group.Name)
	case d.Rule == "tls-early-data":
		return e.EarlyData, e.EarlyDataWhy
	}
	return false, "not judged"
}

// innermost is the directive whose span holds the finding's.
func innermost(ds []*syntax.Directive, sp syntax.Span) *syntax.Directive {
	for _, d := range ds {
		if d.Start() <= sp.Start && sp.End <= d.End() {
			if in := innermost(d.Children(), sp); in != nil {
				return in
			}
			return d
		}
	}
	return nil
}

// serversOf are the TLS servers a directive configures: its own, or
// those that inherit it.
func serversOf(cfg *config.Config, d *syntax.Directive) []*config.Server {
	if s := cfg.ServerOf(d); s != nil {
		return []*config.Server{s}
	}
	var out []*config.Server
	for _, s := range cfg.ServersUnder(d) {
		if !cfg.IsTLS(s) {
			continue
		}
		if cfg.Effective(s.Block, d.Name.Value) == d || slices.Contains(cfg.EffectiveAll(s.Block, d.Name.Value), d) {
			out = append(out, s)
		}
	}
	return out
}
