package rules_test

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
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
			analysistest.CheckMessages(t, diags)
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
		// TLSAudit's topics: protocols, ciphers, curves, early data (the
		// HTTPS hardening rules have their own tests).
		if strings.HasPrefix(d.Rule, "tls-protocol-") || strings.HasPrefix(d.Rule, "tls-cipher-") ||
			strings.HasPrefix(d.Rule, "tls-curve-") || d.Rule == "tls-early-data" {
			got = append(got, d.Rule+" "+f.Text(d.Span))
		}
	}
	want := []string{
		"tls-protocol-sslv2 SSLv2",
		"tls-cipher-no-forward-secrecy HIGH",
		"tls-cipher-cbc HIGH",
		"tls-cipher-dhe HIGH",
		"tls-protocol-sslv3 SSLv3",
		"tls-protocol-legacy-tls TLSv1", // TLSv1.1 beside it is related
		"tls-protocol-no-tls13 SSLv2 SSLv3 TLSv1 TLSv1.1 TLSv1.2",
		"tls-early-data on",
		"tls-curve-weak secp192r1", // secp160r1 and secp160k1 beside it are related
		"tls-curve-weak secp224r1",
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCorpusSyntaxRule holds the syntax rule to real nginx's verdicts: no
// finding on a file nginx accepts, a finding on the line nginx names for a
// file it rejects as a syntax error (parser errors and the directive-table
// check together).
func TestCorpusSyntaxRule(t *testing.T) {
	dir := testenv.Corpus(t)
	data, err := os.ReadFile(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	// Verified with nginx -t: this file's own stray "@@@" is a syntax error;
	// its row records an error of an included file that stopped nginx first.
	corrections := map[string]int{"certbot/testdata/etc_nginx/broken.conf": 13}
	checked := 0
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		c := strings.Split(line, "\t")
		if i == 0 || len(c) < 6 {
			continue
		}
		name, verdict, kind := c[0], c[2], c[5]
		errLine, _ := strconv.Atoi(c[3])
		if l, ok := corrections[name]; ok {
			verdict, kind, errLine = "error", "syntax", l
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		f := syntax.Parse(name, src)
		diags, _ := analysis.Run(config.Load(f), []*analysis.Analyzer{rules.Syntax}, analysis.DefaultSettings())
		switch {
		case verdict == "ok":
			for _, d := range diags {
				l, _ := f.Position(d.Span.Start)
				t.Errorf("%s:%d: nginx accepts the file; we report %s", name, l, d.Message)
			}
		case kind == "syntax":
			found := false
			for _, d := range diags {
				l1, _ := f.Position(d.Span.Start)
				l2, _ := f.Position(d.Span.End)
				found = found || (l1 <= errLine && errLine <= l2)
			}
			if !found {
				t.Errorf("%s: nginx reports a syntax error on line %d (%s); we report none there", name, errLine, c[6])
			}
		default:
			continue
		}
		checked++
	}
	t.Logf("%d corpus files checked against nginx's syntax verdict", checked)
}

// manifestRun is one corpus file analysed by one rule in the context the
// manifest says nginx read it in, with nginx's verdict.
type manifestRun struct {
	name, ctx, verdict, kind, message string
	errLine                           int
	f                                 *syntax.File
	diags                             []analysis.Diagnostic
}

// manifestRuns analyses every corpus file of a known context with one rule.
// The context is declared at the end of the file, where it moves no line.
// A file nginx accepts must get no finding; that is checked here.
func manifestRuns(t *testing.T, a *analysis.Analyzer) []manifestRun {
	t.Helper()
	dir := testenv.Corpus(t)
	data, err := os.ReadFile(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	// Its row says main, yet nginx went on to read the server blocks it
	// includes (its error is about one): it was read inside http.
	readInHTTP := map[string]bool{"certbot/testdata/etc_nginx/minimalistic_comments.conf": true}
	var runs []manifestRun
	accepted := 0
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		c := strings.Split(line, "\t")
		if i == 0 || len(c) < 7 || c[1] == "fragment-unknown" {
			continue
		}
		if readInHTTP[c[0]] {
			c[1] = "http"
		}
		src, err := os.ReadFile(filepath.Join(dir, c[0]))
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, "\n# nginxls: context "+c[1]+"\n"...)
		r := manifestRun{name: c[0], ctx: c[1], verdict: c[2], kind: c[5], message: c[6], f: syntax.Parse(c[0], src)}
		r.errLine, _ = strconv.Atoi(c[3])
		r.diags, _ = analysis.Run(config.Load(r.f), []*analysis.Analyzer{a}, analysis.DefaultSettings())
		if r.verdict == "ok" {
			accepted++
			for _, d := range r.diags {
				l, _ := r.f.Position(d.Span.Start)
				t.Errorf("%s:%d: nginx accepts the file (as %s); we report %s", r.name, l, r.ctx, d.Message)
			}
		}
		runs = append(runs, r)
	}
	if accepted < 600 {
		t.Errorf("only %d files nginx accepts were checked", accepted)
	}
	return runs
}

// covers reports a finding that spans line (nginx names the line where it
// stopped reading the directive; the finding starts at its name).
func (r manifestRun) covers(line int) bool {
	for _, d := range r.diags {
		l1, _ := r.f.Position(d.Span.Start)
		l2, _ := r.f.Position(d.Span.End)
		if l1 <= line && line <= l2 {
			return true
		}
	}
	return false
}

// TestCorpusDirectiveContext holds nginx-directive-context to real nginx's
// verdicts: no finding on a file nginx accepts, a finding on the line nginx
// names for a directive it does not allow there.
func TestCorpusDirectiveContext(t *testing.T) {
	found, disagree := 0, 0
	for _, r := range manifestRuns(t, rules.DirectiveContext) {
		switch {
		case r.kind != "context":
		case syntaxErrorBy(r.f, r.errLine):
			// Our parser sees a syntax error first, or a block that never
			// closes: the rule rightly says nothing past it. In broken/17
			// and gonginx/testdata/issues/20.conf a Lua block is lexed
			// otherwise than nginx does.
			disagree++
			t.Logf("%s: our parser stops before nginx's error", r.name)
		case r.covers(r.errLine):
			found++
		default:
			t.Errorf("%s: nginx reports on line %d: %s; we report %d findings, none there", r.name, r.errLine, r.message, len(r.diags))
		}
	}
	if found < 10 || disagree > 2 {
		t.Errorf("%d misplaced directives found, %d files where our parser stops first", found, disagree)
	}
	t.Logf("%d misplaced directives found", found)
}

// TestCorpusDirectiveArgs holds nginx-directive-args to real nginx's
// verdicts: no finding on a file nginx accepts, a finding on the line nginx
// names for a directive with the wrong number of arguments.
func TestCorpusDirectiveArgs(t *testing.T) {
	found := 0
	for _, r := range manifestRuns(t, rules.DirectiveArgs) {
		switch {
		case r.kind != "args":
		case !syntaxErrorBy(r.f, r.errLine) && r.covers(r.errLine):
			found++
		default:
			t.Errorf("%s: nginx reports on line %d: %s; we report %d findings, none there", r.name, r.errLine, r.message, len(r.diags))
		}
	}
	if found < 5 {
		t.Errorf("only %d wrong argument counts found", found)
	}
	t.Logf("%d wrong argument counts found", found)
}

// syntaxErrorBy reports a syntax error of f on or before line, or a block
// left open at the end of the file (which holds everything after it).
func syntaxErrorBy(f *syntax.File, line int) bool {
	for _, e := range f.Errors {
		l, _ := f.Position(e.Start)
		if l <= line || strings.HasPrefix(e.Msg, "unexpected end of file") {
			return true
		}
	}
	return false
}

// TestCorpusDirectiveTypo holds nginx-directive-typo to real nginx's
// verdicts: no finding on a file nginx accepts; on a file nginx rejects for
// an unknown directive, a finding only on nginx's line, and the corpus's
// three typos (sever_name, ssl_protocol, proxy_passs) found.
func TestCorpusDirectiveTypo(t *testing.T) {
	typos := 0
	for _, r := range manifestRuns(t, rules.DirectiveTypo) {
		if r.kind != "unknown-directive" {
			continue
		}
		for _, d := range r.diags {
			if l, _ := r.f.Position(d.Span.Start); l != r.errLine {
				t.Errorf("%s:%d: nginx stops on line %d (%s); we report %s", r.name, l, r.errLine, r.message, d.Message)
			} else {
				typos++
			}
		}
	}
	if typos < 3 {
		t.Errorf("only %d typos found", typos)
	}
	t.Logf("%d typos found", typos)
}
