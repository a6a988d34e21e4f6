package rules_test

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/internal/testenv"
)

// corpusFiles lists the configuration files of the real-world corpus.
func corpusFiles(t *testing.T) (string, []string) {
	dir := testenv.Corpus(t)
	data, err := os.ReadFile(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if i > 0 {
			files = append(files, strings.SplitN(line, "\t", 2)[0])
		}
	}
	return dir, files
}

// TestCorpusRules runs every rule on every corpus file, for several target
// versions: no rule may panic, every finding must lie inside its file, and
// applying all fixes must never add a syntax error.
func TestCorpusRules(t *testing.T) {
	dir, files := corpusFiles(t)
	targets := []analysis.Settings{analysis.DefaultSettings(), analysis.DefaultSettings(), analysis.DefaultSettings()}
	targets[1].Nginx, targets[1].OpenSSL = config.MustVersion("1.22.1"), "1.1.1"
	targets[2].Nginx, targets[2].OpenSSL = config.MustVersion("1.14.0"), "1.0.2"
	counts := map[string]int{}
	for _, name := range files {
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range targets {
			f := syntax.Parse(name, src)
			diags, errs := analysis.Run(config.Load(f), rules.All, s)
			for _, e := range errs {
				t.Errorf("%s: %v", name, e)
			}
			for _, d := range diags {
				if d.File != f || d.Span.Start < 0 || d.Span.End > len(src) || d.Span.Start > d.Span.End {
					t.Errorf("%s: %s finding with a bad range %v", name, d.Rule, d.Span)
				}
				if s.Nginx == analysis.DefaultSettings().Nginx {
					counts[d.Rule]++
				}
			}
			edits, _ := analysis.MergeFixes(diags)
			fixed, err := analysis.ApplyEdits(src, edits[f])
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if after := syntax.Parse(name, fixed); len(after.Errors) > len(f.Errors) {
				t.Errorf("%s (nginx %s): the fixes add syntax errors: %v\n%s", name, s.Nginx, after.Errors, fixed)
			}
		}
	}
	var summary []string
	for r, n := range counts {
		summary = append(summary, r+"="+strconv.Itoa(n))
	}
	sort.Strings(summary)
	t.Logf("%d files; findings at the default target: %s", len(files), strings.Join(summary, " "))
}

// TestCorpusTLSAudit pins the findings on a deliberately weak real-world
// configuration (the TLS-Port audit example).
func TestCorpusTLSAudit(t *testing.T) {
	dir := testenv.Corpus(t)
	name := "tlsaudit/TLS-Port/nginx_example1.conf"
	src, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	f := syntax.Parse(name, src)
	diags, _ := analysis.Run(config.Load(f), rules.All, analysis.DefaultSettings())
	var got []string
	for _, d := range diags {
		got = append(got, d.Rule+" "+f.Text(d.Span))
	}
	want := []string{
		"tls-protocol-sslv2 SSLv2",
		"tls-protocol-sslv3 SSLv3",
		"tls-protocol-legacy-tls TLSv1",
		"tls-protocol-legacy-tls TLSv1.1",
		"tls-protocol-no-tls13 SSLv2 SSLv3 TLSv1 TLSv1.1 TLSv1.2",
		"tls-early-data on",
		"tls-curve-weak secp192r1",
		"tls-curve-weak secp224r1",
		"tls-curve-weak secp160r1",
		"tls-curve-weak secp160k1",
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
