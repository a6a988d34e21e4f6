package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

const stdinName = "<stdin>"

// analyzers are the rules check runs: the whole registry (a variable so that
// a test can add a rule that panics).
var analyzers = rules.All

// checkOptions are the parsed flags of `nginxls check`.
type checkOptions struct {
	format      string
	settings    analysis.Settings
	minSeverity analysis.Severity
	failOn      analysis.Severity // 0: never fail on findings
	fix         bool
	dump        bool // the input is the output of nginx -T
	// showSuppressed lists the findings silenced by nginxls:ignore comments.
	showSuppressed bool
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	def := analysis.DefaultSettings()
	fs := newFlags("check", "[flags] PATH...\n\n"+
		"Audits nginx configuration files. Directories are searched recursively for\n"+
		"*.conf, nginx.conf, *.nginx and *.conf.template (hidden directories are skipped);\n"+
		"\"-\" reads standard input. Exit status: 0 when no finding shown reaches\n"+
		"--fail-on, 1 otherwise, 2 on a usage, I/O or internal error.",
		stdout, stderr)
	format := &choice{"text", []string{"text", "json", "sarif", "github"}}
	fs.Var(format, "format", "output `format`: text, json, sarif (SARIF 2.1.0) or github (GitHub Actions annotations)")
	nginx := &versionFlag{def.Nginx}
	fs.Var(nginx, "nginx-version", "target nginx `version` X.Y.Z: decides defaults and deprecations")
	openssl := &choice{def.OpenSSL, []string{"3.0", "1.1.1", "1.0.2"}}
	fs.Var(openssl, "openssl", "target OpenSSL `profile`: 3.0, 1.1.1 or 1.0.2")
	mozilla := &choice{def.Profile, tlsdata.ProfileNames}
	fs.Var(mozilla, "profile", "Mozilla TLS `profile` the configuration should follow: intermediate, modern or old (guidelines 6.0; old: 5.7)")
	expiry := fs.Int("cert-expiry-days", 0, "report certificates that expire within this many `days` (default: a third of their lifetime, at most 30)")
	showSuppressed := fs.Bool("show-suppressed", false, "also list the findings silenced by # nginxls:ignore comments")
	minSev := &choice{"hint", []string{"error", "warning", "info", "hint"}}
	fs.Var(minSev, "min-severity", "hide findings below this `severity`: error, warning, info or hint")
	failOn := &choice{"error", []string{"error", "warning", "never"}}
	fs.Var(failOn, "fail-on", "exit 1 when a finding shown is at least this `severity`: error, warning or never")
	fix := fs.Bool("fix", false, "apply the suggested fixes of the findings shown, in place")
	dump := fs.Bool("dump", false, "read the output of `nginx -T` (from - or a file) and audit the configuration it shows")
	ruleSettings := ruleFlag{}
	fs.Var(ruleSettings, "rule", "switch a rule off or change its severity, as `ID=off|SEVERITY` (repeatable)")
	var only listFlag
	fs.Var(&only, "only", "run only these rules: comma-separated `IDs` (repeatable)")
	paths, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		return fs.usageError("no paths to check (use - for standard input)")
	}
	stdinCount := 0
	for _, p := range paths {
		if p == "-" {
			stdinCount++
		}
	}
	if stdinCount > 1 {
		return fs.usageError("standard input (-) is given more than once")
	}
	if stdinCount > 0 && *fix {
		return fs.usageError("--fix cannot rewrite standard input")
	}
	if *dump && (len(paths) != 1 || *fix) {
		return fs.usageError("--dump takes one input (- for standard input) and no --fix")
	}

	if err := selectRules(ruleSettings, only); err != nil {
		return fs.usageError("--only: %v", err)
	}

	if *expiry < 0 {
		return fs.usageError("--cert-expiry-days must not be negative")
	}

	opts := checkOptions{format: format.value, settings: def, fix: *fix, dump: *dump, showSuppressed: *showSuppressed}
	opts.settings.Nginx = nginx.v
	opts.settings.OpenSSL = openssl.value
	opts.settings.Profile = mozilla.value
	opts.settings.CertExpiryDays = *expiry
	opts.settings.Rules = ruleSettings
	opts.minSeverity, _ = analysis.ParseSeverity(minSev.value)
	if failOn.value != "never" {
		opts.failOn, _ = analysis.ParseSeverity(failOn.value)
	}

	c := &checker{opts: opts, stdin: stdin, stderr: stderr}
	for _, u := range c.units(paths) {
		c.checkUnit(u)
	}
	c.diags = dedupe(c.diags, func(d analysis.Diagnostic) analysis.Diagnostic { return d })
	analysis.SortDiagnostics(c.diags)

	c.suppressed = dedupe(c.suppressed, func(s analysis.Suppressed) analysis.Diagnostic { return s.Diagnostic })
	sortSuppressed(c.suppressed)
	shown := c.suppressed
	if !opts.showSuppressed {
		shown = nil
	}

	var err error
	switch opts.format {
	case "json":
		err = printJSON(stdout, c.diags, shown, opts.showSuppressed)
	case "sarif":
		// SARIF carries suppressed results in any case, marked as such.
		err = printSARIF(stdout, c.diags, c.suppressed, analyzers)
	case "github":
		err = printGitHub(stdout, c.diags, shown)
	default:
		err = printText(stdout, c.diags, shown)
	}
	if err != nil {
		c.errorf("writing the report: %v", err)
	}
	switch {
	case c.failed:
		return exitError
	case opts.failOn != 0 && hasSeverity(c.diags, opts.failOn):
		return exitFindings
	}
	return exitOK
}

// checker accumulates the findings and errors of one `check` run.
type checker struct {
	opts   checkOptions
	stdin  io.Reader
	stderr io.Writer
	diags  []analysis.Diagnostic // the findings shown
	// suppressed are the findings silenced by nginxls:ignore comments.
	suppressed []analysis.Suppressed
	failed     bool // an error that makes the exit status 2
}

func (c *checker) errorf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "nginxls: "+format+"\n", args...)
	c.failed = true
}

// input is one configuration to check.
type input struct {
	path string // "-" for standard input
	name string // the file name findings are reported under
}

// inputs expands the paths into files; a path that cannot be used is
// reported and skipped so that the others are still checked.
func (c *checker) inputs(paths []string) []input {
	var out []input
	seen := map[string]bool{}
	add := func(p string) {
		if key := filepath.Clean(p); !seen[key] {
			seen[key] = true
			out = append(out, input{path: p, name: p})
		}
	}
	for _, p := range paths {
		if p == "-" {
			out = append(out, input{path: "-", name: stdinName})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			c.errorf("%s: %v", p, pathErr(err))
			continue
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		files, errs := walkConfigs(p)
		for _, err := range errs {
			c.errorf("%v", err)
		}
		if len(files) == 0 && len(errs) == 0 {
			c.errorf("%s: no nginx configuration files in this directory (looked for *.conf, nginx.conf, *.nginx, *.conf.template)", p)
		}
		for _, f := range files {
			add(f)
		}
	}
	return out
}

// pathErr drops the operation and path that *fs.PathError repeats, since
// messages already start with the path.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// isConfigName reports whether a file found in a directory is a configuration.
func isConfigName(name string) bool {
	return name == "nginx.conf" || strings.HasSuffix(name, ".conf") ||
		strings.HasSuffix(name, ".nginx") || strings.HasSuffix(name, ".conf.template")
}

// walkConfigs finds the configuration files under root, in lexical order.
// Hidden directories (.git, ...) are skipped; symbolic links to files are
// followed (sites-enabled/ holds them), links to directories are not, which
// rules out cycles.
func walkConfigs(root string) (files []string, errs []error) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", p, pathErr(err)))
			return nil
		}
		if d.IsDir() {
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !isConfigName(d.Name()) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			st, err := os.Stat(p)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", p, pathErr(err)))
				return nil
			}
			if !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		files = append(files, p)
		return nil
	})
	return files, errs
}

// binaryPrefix is how much of a file is searched for a NUL byte, as grep and
// git do, to tell binary files from configurations.
const binaryPrefix = 8 << 10

func isBinary(src []byte) bool {
	return bytes.IndexByte(src[:min(len(src), binaryPrefix)], 0) >= 0
}

// units reads the inputs and groups them into units: main configurations
// with their includes, and the remaining files alone.
func (c *checker) units(paths []string) []unit {
	var units []unit
	var files []string
	parsed := map[string]*syntax.File{}
	for _, in := range c.inputs(paths) {
		src, err := c.read(in)
		if err != nil {
			c.errorf("%s: %v", in.name, pathErr(err))
			continue
		}
		if isBinary(src) {
			c.errorf("%s: binary file (NUL byte in the first 8 KiB), not an nginx configuration", in.name)
			continue
		}
		if c.opts.dump {
			fs, main, err := splitDump(src)
			if err != nil {
				c.errorf("%s: %v", in.name, err)
				continue
			}
			units = append(units, unit{path: main, tree: true, fs: fs})
			continue
		}
		if in.path == "-" {
			units = append(units, unit{path: "-", name: in.name, fs: config.MemFS{"-": src}})
			continue
		}
		files = append(files, in.path)
		parsed[in.path] = syntax.Parse(in.path, src)
	}
	return append(units, plan(files, config.OSFS{}, parsed)...)
}

func (c *checker) read(in input) ([]byte, error) {
	if in.path == "-" {
		return io.ReadAll(c.stdin)
	}
	return os.ReadFile(in.path)
}

func (c *checker) checkUnit(u unit) {
	var diags []analysis.Diagnostic
	var errs []error
	var err error
	if c.opts.fix {
		diags, errs, err = fixUnit(u, c.opts)
	} else {
		var res analysis.Result
		res, err = analyseUnitResult(u, u.fs, c.opts.settings)
		diags, errs = res.Diagnostics, res.Errors
		for _, sd := range res.Suppressed {
			if sd.Severity <= c.opts.minSeverity {
				c.suppressed = append(c.suppressed, sd)
			}
		}
	}
	name := u.name
	if name == "" {
		name = u.path
	}
	if err != nil {
		c.errorf("%s: %v", name, pathErr(err))
	}
	for _, e := range errs {
		c.errorf("%s: %v", name, e)
	}
	c.diags = append(c.diags, visible(diags, c.opts.minSeverity)...)
}

// analyseUnit loads and analyses a unit. It is the one place that decides
// what a configuration is made of.
func analyseUnit(u unit, fs config.FS, s analysis.Settings) ([]analysis.Diagnostic, []error, error) {
	res, err := analyseUnitResult(u, fs, s)
	return res.Diagnostics, res.Errors, err
}

// analyseUnitResult is analyseUnit with the findings that suppression
// comments silenced.
func analyseUnitResult(u unit, fs config.FS, s analysis.Settings) (analysis.Result, error) {
	cfg, err := u.load(fs)
	if err != nil {
		return analysis.Result{}, err
	}
	return analysis.Analyze(cfg, analyzers, s), nil
}

// visible keeps the findings at or above min (Error is the lowest number).
func visible(diags []analysis.Diagnostic, min analysis.Severity) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, d := range diags {
		if d.Severity <= min {
			out = append(out, d)
		}
	}
	return out
}

func hasSeverity(diags []analysis.Diagnostic, atLeast analysis.Severity) bool {
	for _, d := range diags {
		if d.Severity <= atLeast {
			return true
		}
	}
	return false
}

// versionFlag is an nginx version.
type versionFlag struct{ v config.Version }

func (f *versionFlag) String() string { return f.v.String() }

func (f *versionFlag) Set(s string) error {
	v, err := config.ParseVersion(s)
	if err != nil {
		return err
	}
	f.v = v
	return nil
}

// selectRules switches off every rule that --only does not name.
func selectRules(settings ruleFlag, only listFlag) error {
	if len(only) == 0 {
		return nil
	}
	keep := map[string]bool{}
	for _, list := range only {
		for _, id := range strings.Split(list, ",") {
			id = strings.TrimSpace(id)
			if id == "" {
				continue
			}
			if lookupAnalyzer(id) == nil {
				return fmt.Errorf("unknown rule %q (nginxls rules lists them)", id)
			}
			keep[id] = true
		}
	}
	for _, a := range analyzers {
		if !keep[a.ID] {
			settings[a.ID] = "off"
		}
	}
	return nil
}

func lookupAnalyzer(id string) *analysis.Analyzer {
	for _, a := range analyzers {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// ruleFlag fills Settings.Rules from repeated --rule ID=off|SEVERITY.
type ruleFlag map[string]string

func (r ruleFlag) String() string {
	var parts []string
	for id, v := range r {
		parts = append(parts, id+"="+v)
	}
	return strings.Join(parts, ",")
}

func (r ruleFlag) Set(s string) error {
	id, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("want ID=off or ID=SEVERITY")
	}
	if rules.Lookup(id) == nil {
		return fmt.Errorf("unknown rule %q (nginxls rules lists them)", id)
	}
	if !strings.EqualFold(v, "off") {
		if _, err := analysis.ParseSeverity(v); err != nil {
			return fmt.Errorf("rule %s: want off, error, warning, info or hint, not %q", id, v)
		}
	}
	r[id] = strings.ToLower(v)
	return nil
}
