// Package analysistest runs rules on configurations under testdata that
// carry their expectations inline, in the spirit of
// golang.org/x/tools/go/analysis/analysistest:
//
//	ssl_protocols TLSv1 TLSv1.2;  # want tls-protocol-legacy-tls "TLSv1" tls-protocol-no-tls13
//
// Each `# want` comment lists the findings expected on its line: a rule id,
// optionally followed by the exact text the finding must cover. The test
// fails on a finding that is missing or not expected. A first-line comment
// `# analysistest: nginx=1.22.1 openssl=1.1.1 profile=modern` sets the target
// versions and the Mozilla profile.
//
// Files the configurations refer to (certificates, keys) can be given in
// Options.Files, by the path the configuration writes: tests generate them,
// so that no private key is checked in.
//
// When NAME.conf.golden exists next to NAME.conf (files named fix*.conf get
// one), the first fix of every
// finding is applied and the result must equal it; run the tests with
// -update to rewrite the golden files.
//
// Every finding's message must be one line of at most MaxMessage
// characters: the explanation belongs in the rule's documentation.
package analysistest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var update = flag.Bool("update", false, "rewrite the golden files of quick fixes")

// expectation is one rule expected on one line.
type expectation struct {
	line int
	rule string
	text string // the exact covered text, or "" for any
}

// MaxMessage is the longest message a finding may carry (analysis bounds
// every message to it at run time; the harness holds rules to it so that
// none is ever cut).
const MaxMessage = analysis.MaxMessage

// Options adjust a run.
type Options struct {
	// Files are served to the rules through Config.ReadFile instead of
	// the disk, by the path as the configuration writes it.
	Files map[string][]byte
}

// Run checks every *.conf file under dir and returns the findings of all.
func Run(t *testing.T, dir string, analyzers []*analysis.Analyzer) []analysis.Diagnostic {
	t.Helper()
	return RunWith(t, dir, analyzers, Options{})
}

// RunWith is Run with options.
func RunWith(t *testing.T, dir string, analyzers []*analysis.Analyzer, opts Options) []analysis.Diagnostic {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no *.conf under %s", dir)
	}
	var all []analysis.Diagnostic
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) { all = append(all, RunFileWith(t, path, analyzers, opts)...) })
	}
	return all
}

// RunFile checks one file and returns its findings.
func RunFile(t *testing.T, path string, analyzers []*analysis.Analyzer) []analysis.Diagnostic {
	t.Helper()
	return RunFileWith(t, path, analyzers, Options{})
}

// RunFileWith is RunFile with options.
func RunFileWith(t *testing.T, path string, analyzers []*analysis.Analyzer, opts Options) []analysis.Diagnostic {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := syntax.Parse(filepath.Base(path), src)
	settings, err := ParseSettings(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	cfg := config.Load(f)
	if opts.Files != nil {
		mem := config.MemFS{}
		for name, data := range opts.Files {
			mem[filepath.Clean(cfg.Resolve(name))] = data
		}
		cfg.FS = mem
	}
	diags, errs := analysis.Run(cfg, analyzers, settings)
	for _, e := range errs {
		t.Error(e)
	}
	check(t, f, diags, wants(t, f))
	CheckMessages(t, diags)
	checkGolden(t, path, f, diags)
	return diags
}

// CheckMessages holds the message of every finding, and of its related
// information, to one line of at most MaxMessage characters. Run does it;
// tests that build their
// configurations themselves call it.
func CheckMessages(t *testing.T, diags []analysis.Diagnostic) {
	t.Helper()
	bad := func(m string) string {
		switch {
		case m == "":
			return "is empty"
		case strings.ContainsAny(m, "\r\n"):
			return "spans several lines"
		case len([]rune(m)) > MaxMessage:
			return fmt.Sprintf("has %d characters, more than %d", len([]rune(m)), MaxMessage)
		case len([]rune(m)) >= MaxMessage-1 && strings.HasSuffix(m, "…"):
			return fmt.Sprintf("was cut at %d characters", MaxMessage)
		}
		return ""
	}
	for _, d := range diags {
		where := d.Rule
		if d.File != nil {
			line, col := d.File.Position(d.Span.Start)
			where = fmt.Sprintf("%s:%d:%d: %s", d.File.Name, line, col, d.Rule)
		}
		if why := bad(d.Message); why != "" {
			t.Errorf("%s: the message %s: %q", where, why, d.Message)
		}
		for _, r := range d.Related {
			if why := bad(r.Message); why != "" {
				t.Errorf("%s: a related message %s: %q", where, why, r.Message)
			}
		}
	}
}

// ParseSettings reads the `# analysistest:` line.
func ParseSettings(f *syntax.File) (analysis.Settings, error) {
	s := analysis.DefaultSettings()
	for _, c := range f.Comments {
		text := strings.TrimSpace(strings.TrimPrefix(f.Text(c), "#"))
		rest, ok := strings.CutPrefix(text, "analysistest:")
		if !ok {
			continue
		}
		for _, kv := range strings.Fields(rest) {
			k, v, _ := strings.Cut(kv, "=")
			switch k {
			case "nginx":
				ver, err := config.ParseVersion(v)
				if err != nil {
					return s, err
				}
				s.Nginx = ver
			case "openssl":
				s.OpenSSL = v
			case "profile":
				s.Profile = v
			default:
				return s, fmt.Errorf("unknown analysistest setting %q", k)
			}
		}
	}
	return s, nil
}

func wants(t *testing.T, f *syntax.File) []expectation {
	var out []expectation
	for _, c := range f.Comments {
		text := strings.TrimSpace(strings.TrimPrefix(f.Text(c), "#"))
		rest, ok := strings.CutPrefix(text, "want ")
		if !ok {
			continue
		}
		line, _ := f.Position(c.Start)
		fields, err := splitQuoted(rest)
		if err != nil {
			t.Fatalf("%s:%d: %v", f.Name, line, err)
		}
		for _, fl := range fields {
			if strings.HasPrefix(fl, `"`) {
				if len(out) == 0 || out[len(out)-1].line != line || out[len(out)-1].text != "" {
					t.Fatalf("%s:%d: quoted text must follow a rule id", f.Name, line)
				}
				out[len(out)-1].text = fl[1 : len(fl)-1]
				continue
			}
			out = append(out, expectation{line: line, rule: fl})
		}
	}
	return out
}

// splitQuoted splits on blanks, keeping "quoted text" (with \" escapes) whole.
func splitQuoted(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			i := 1
			var b strings.Builder
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated quote in want comment")
			}
			out = append(out, `"`+b.String()+`"`)
			s = s[i+1:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out, nil
}

func check(t *testing.T, f *syntax.File, diags []analysis.Diagnostic, want []expectation) {
	t.Helper()
	used := make([]bool, len(want))
	var unexpected []string
	for _, d := range diags {
		line, col := f.Position(d.Span.Start)
		covered := f.Text(d.Span)
		found := false
		for i, w := range want {
			if used[i] || w.line != line || w.rule != d.Rule || (w.text != "" && w.text != covered) {
				continue
			}
			used[i], found = true, true
			break
		}
		if !found {
			unexpected = append(unexpected, fmt.Sprintf("%s:%d:%d: unexpected %s finding on %q: %s", f.Name, line, col, d.Rule, covered, d.Message))
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	for i, w := range want {
		if !used[i] {
			what := ""
			if w.text != "" {
				what = fmt.Sprintf(" on %q", w.text)
			}
			t.Errorf("%s:%d: expected a %s finding%s, got none", f.Name, w.line, w.rule, what)
		}
	}
}

func checkGolden(t *testing.T, path string, f *syntax.File, diags []analysis.Diagnostic) {
	t.Helper()
	golden := path + ".golden"
	_, err := os.Stat(golden)
	exists := err == nil
	// -update creates golden files only for fix*.conf, the files that are
	// there to show fixes.
	if !exists && !(*update && strings.HasPrefix(filepath.Base(path), "fix")) {
		return
	}
	edits, _ := analysis.MergeFixes(diags)
	got, err := analysis.ApplyEdits(f.Src, edits[f])
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if *update {
		if len(edits[f]) == 0 {
			return
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s: fixed text differs from %s:\n--- got\n%s\n--- want\n%s", path, golden, got, want)
	}
}
