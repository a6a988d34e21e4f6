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
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	def := analysis.DefaultSettings()
	fs := newFlags("check", "[flags] PATH...\n\n"+
		"Audits nginx configuration files. Directories are searched recursively for\n"+
		"*.conf, nginx.conf, *.nginx and *.conf.template (hidden directories are skipped);\n"+
		"\"-\" reads standard input. Exit status: 0 when no finding shown reaches\n"+
		"--fail-on, 1 otherwise, 2 on a usage, I/O or internal error.",
		stdout, stderr)
	format := &choice{"text", []string{"text", "json"}}
	fs.Var(format, "format", "output `format`: text or json")
	nginx := &versionFlag{def.Nginx}
	fs.Var(nginx, "nginx-version", "target nginx `version` X.Y.Z: decides defaults and deprecations")
	openssl := &choice{def.OpenSSL, []string{"3.0", "1.1.1", "1.0.2"}}
	fs.Var(openssl, "openssl", "target OpenSSL `profile`: 3.0, 1.1.1 or 1.0.2")
	minSev := &choice{"hint", []string{"error", "warning", "info", "hint"}}
	fs.Var(minSev, "min-severity", "hide findings below this `severity`: error, warning, info or hint")
	failOn := &choice{"error", []string{"error", "warning", "never"}}
	fs.Var(failOn, "fail-on", "exit 1 when a finding shown is at least this `severity`: error, warning or never")
	fix := fs.Bool("fix", false, "apply the suggested fixes of the findings shown, in place")
	dump := fs.Bool("dump", false, "read the output of `nginx -T` (from - or a file) and audit the configuration it shows")
	ruleSettings := ruleFlag{}
	fs.Var(ruleSettings, "rule", "switch a rule off or change its severity, as `ID=off|SEVERITY` (repeatable)")
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

	opts := checkOptions{format: format.value, settings: def, fix: *fix, dump: *dump}
	opts.settings.Nginx = nginx.v
	opts.settings.OpenSSL = openssl.value
	opts.settings.Rules = ruleSettings
	opts.minSeverity, _ = analysis.ParseSeverity(minSev.value)
	if failOn.value != "never" {
		opts.failOn, _ = analysis.ParseSeverity(failOn.value)
	}

	c := &checker{opts: opts, stdin: stdin, stderr: stderr}
	for _, u := range c.units(paths) {
		c.checkUnit(u)
	}
	c.diags = dedupe(c.diags)
	analysis.SortDiagnostics(c.diags)

	var err error
	switch opts.format {
	case "json":
		err = printJSON(stdout, c.diags)
	default:
		err = printText(stdout, c.diags)
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
	failed bool                  // an error that makes the exit status 2
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
		diags, errs, err = analyseUnit(u, u.fs, c.opts.settings)
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
	cfg, err := u.load(fs)
	if err != nil {
		return nil, nil, err
	}
	diags, errs := analysis.Run(cfg, analyzers, s)
	return diags, errs, nil
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
