// Package analysistest runs rules on configurations under testdata that
// carry their expectations inline, in the spirit of
// golang.org/x/tools/go/analysis/analysistest:
//
//	ssl_protocols TLSv1 TLSv1.2;  # want tls-protocol-legacy-tls "TLSv1" tls-protocol-no-tls13
//
// Each `# want` comment lists the findings expected on its line: a rule id
// (RULE@info also says the severity), optionally followed by the exact
// text the finding must cover and by ~"regexp", which its message must
// match; `related ~"regexp"` expects related information of some finding
// on the line (see Check). The test
// fails on a finding that is missing or not expected. A comment
// `# analysistest: nginx=1.22.1 openssl=1.1.1 profile=modern platform=debian-12`
// sets the target versions, the Mozilla profile and the platform.
//
// A case is one NAME.conf file, checked on its own, or one NAME.txtar
// archive (golang.org/x/tools/txtar) of a configuration spread over files:
// its nginx.conf (else its first file) is loaded from /etc/nginx with the
// files it includes, which are the archive's other files, and `# want`
// comments count in all of them. The archive's comment may hold the
// `analysistest:` line, which also takes fixed=silent: the fixed files
// (below) must leave the analyzers nothing to report.
//
// Files the configurations refer to (certificates, keys) can be given in
// Options.Files, by the path the configuration writes: tests generate them,
// so that no private key is checked in.
//
// When NAME.conf.golden exists next to NAME.conf (files named fix*.conf get
// one), the first fix of every finding is applied and the result must
// equal it. In an archive, a file NAME.golden holds what the fixes make of
// its file NAME; once it has one, every file the fixes change needs one.
// Run the tests with -update to rewrite the golden files (and create them
// for fix*.conf and fix*.txtar).
//
// Every finding's message must be one line of at most MaxMessage
// characters: the explanation belongs in the rule's documentation.
package analysistest

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
)

var update = flag.Bool("update", false, "rewrite the golden files of quick fixes")

// MaxMessage is the longest message a finding may carry (analysis bounds
// every message to it at run time; the harness holds rules to it so that
// none is ever cut).
const MaxMessage = analysis.MaxMessage

// Options adjust a run.
type Options struct {
	// Files are served to the rules through Config.ReadFile instead of
	// the disk, by the path as the configuration writes it.
	Files map[string][]byte
	// Registry, when set, is every rule there is: those not among the
	// analyzers tested are passed to the analysis switched off, so that a
	// suppression comment naming one is neither unknown nor unused.
	Registry []*analysis.Analyzer
}

// RunWith checks every *.conf file and *.txtar archive under dir and
// returns the findings of all.
func RunWith(t *testing.T, dir string, analyzers []*analysis.Analyzer, opts Options) []analysis.Diagnostic {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	archives, err2 := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil || err2 != nil || len(files)+len(archives) == 0 {
		t.Fatalf("no *.conf or *.txtar under %s", dir)
	}
	var all []analysis.Diagnostic
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) { all = append(all, RunFileWith(t, path, analyzers, opts)...) })
	}
	for _, path := range archives {
		t.Run(filepath.Base(path), func(t *testing.T) { all = append(all, RunArchiveWith(t, path, analyzers, opts)...) })
	}
	return all
}

// RunFileWith checks one file and returns its findings.
func RunFileWith(t *testing.T, path string, analyzers []*analysis.Analyzer, opts Options) []analysis.Diagnostic {
	t.Helper()
	cfg, settings := Load(t, path, opts)
	f := cfg.Files[0]
	analyzers, settings = withRegistry(analyzers, settings, opts.Registry)
	diags, errs := analysis.Run(cfg, analyzers, settings)
	for _, e := range errs {
		t.Error(e)
	}
	Check(t, []*syntax.File{f}, diags, func(f *syntax.File) string { return f.Name })
	CheckMessages(t, diags)
	checkGolden(t, path, f, diags)
	return diags
}

// withRegistry adds the rules of registry that are not among analyzers,
// switched off.
func withRegistry(analyzers []*analysis.Analyzer, s analysis.Settings, registry []*analysis.Analyzer) ([]*analysis.Analyzer, analysis.Settings) {
	if len(registry) == 0 {
		return analyzers, s
	}
	all := append([]*analysis.Analyzer(nil), analyzers...)
	s.Rules = maps.Clone(s.Rules)
	if s.Rules == nil {
		s.Rules = map[string]analysis.Severity{}
	}
	for _, a := range registry {
		if !slices.Contains(analyzers, a) {
			all = append(all, a)
			s.Rules[a.ID] = analysis.Off
		}
	}
	return all, s
}

// CheckMessages holds the message of every finding, and of its related
// information, to one line of at most MaxMessage characters. RunWith does
// it; tests that build their configurations themselves call it.
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

// ParseSettings reads the `# analysistest: nginx=1.24.0 openssl=1.1.1
// profile=old` line.
func ParseSettings(f *syntax.File) (analysis.Settings, error) {
	s := analysis.DefaultSettings()
	for _, c := range f.Comments {
		if err := parseSettingsLine(&s, f.Text(c), nil); err != nil {
			return s, err
		}
	}
	return s, nil
}

// parseSettingsLine applies an `analysistest:` line (with or without the
// comment's '#') to s; a key of extra is stored there instead. The other
// keys are settings of analysis.SettingList ("nginx" is nginx-version),
// parsed as every front end parses them.
func parseSettingsLine(s *analysis.Settings, line string, extra map[string]string) error {
	text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
	rest, ok := strings.CutPrefix(text, "analysistest:")
	if !ok {
		return nil
	}
	var v analysis.SettingValues
	for _, kv := range strings.Fields(rest) {
		k, text, _ := strings.Cut(kv, "=")
		if _, ok := extra[k]; ok {
			extra[k] = text
			continue
		}
		if k == "nginx" {
			k = "nginx-version"
		}
		setting := analysis.LookupSetting(k)
		switch {
		case setting != nil:
			if err := setting.Set(&v, text); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unknown analysistest setting %q", k)
		}
	}
	*s = s.With(v.PlatformDefaults())
	return nil
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
