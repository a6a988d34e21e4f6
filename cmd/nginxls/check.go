package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/workspace"
	"github.com/nginxls/nginxls/internal/detect"
)

const stdinName = "<stdin>"

// analyzers are the rules check runs: the whole registry (a variable so that
// a test can add a rule that panics).
var analyzers = rules.All

// checkOptions are the parsed flags of `nginxls check`.
type checkOptions struct {
	format      string
	minSeverity analysis.Severity
	fixSeverity analysis.Severity // the findings --fix fixes: at or above this
	failOn      analysis.Severity // 0: never fail on findings
	fix         bool
	diff        bool   // --diff: fix in memory, print the changes, write nothing
	unsafeFixes bool   // --unsafe-fixes: apply the fixes marked Unsafe too
	color       string // --color: auto, always or never
	quiet       bool   // --quiet: no summary line
	dump        bool   // the input is the output of nginx -T
	// showSuppressed lists the findings silenced by nginxls:ignore comments.
	showSuppressed bool
	maxFileSize    int64 // --max-file-size
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// A check runs once and ends: its peak, not its speed, is what a CI
	// container's memory limit meets. Collecting twice as often halves the
	// garbage held at the peak (10 MB configuration: 734 -> 581 MB) for a
	// fifth more CPU there, nothing measurable on real configurations.
	// GOGC, when set, is the user's choice.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(50))
	}
	fs := newFlags("check", "[flags] PATH...\n\n"+
		"Audits nginx configuration files. Directories are searched recursively for\n"+
		workspace.ConfigPatternsText()+", and every file of\n"+
		strings.Join(workspace.SiteFolders, "/ and ")+"/ (hidden directories are skipped);\n"+
		"\"-\" reads standard input. Exit status: 0 when no finding shown reaches\n"+
		"--fail-on, 1 otherwise, 2 on a usage, I/O or internal error.",
		stdout, stderr)
	format := &choice{"text", []string{"text", "json", "sarif", "github"}}
	fs.Var(format, "format", "output `format`: text, json, sarif (SARIF 2.1.0) or github (GitHub Actions annotations)")
	// The settings a project file and the editors set too, parsed alike.
	var settings analysis.SettingValues
	for _, s := range analysis.SettingList {
		fs.Var(&settingFlag{setting: s, values: &settings, fs: fs}, s.Name, s.Usage)
	}
	showSuppressed := fs.Bool("show-suppressed", false, "also list the findings silenced by # nginxls:ignore comments")
	minSev := &choice{"hint", []string{"error", "warning", "info", "hint"}}
	fs.Var(minSev, "min-severity", "hide findings below this `severity`: error, warning, info or hint (default: warning for text and github output, hint for json and sarif)")
	failOn := &choice{"error", []string{"error", "warning", "never"}}
	fs.Var(failOn, "fail-on", "exit 1 when a finding shown is at least this `severity`: error, warning or never")
	fix := fs.Bool("fix", false, "apply the safe fixes of the findings shown (at or above --min-severity), in place")
	unsafeFixes := fs.Bool("unsafe-fixes", false, "with --fix or --diff, also apply the fixes that change behaviour beyond the finding (add headers, redirects, cookie attributes, certificates, upstream verification; guess names or paths)")
	color := &choice{"auto", []string{"auto", "always", "never"}}
	fs.Var(color, "color", "colour the severities in text output: `auto` (on a terminal, unless NO_COLOR is set), always or never")
	quiet := fs.Bool("quiet", false, "text output: the findings only, without the summary line")
	diff := fs.Bool("diff", false, "print what --fix would change, as a unified diff, and write nothing (exit 1 when there is a change)")
	dump := fs.Bool("dump", false, "read the output of `nginx -T` (from - or a file) and audit the configuration it shows")
	fs.Var(ruleFlag{&settings, fs}, "rule", "switch a rule off or change its severity, as `ID=off|SEVERITY` (repeatable)")
	var only listFlag
	fs.Var(&only, "only", "run only these rules: comma-separated `IDs` (repeatable)")
	pathMaps := &pathFlag{}
	fs.Var(pathMaps, "path", "map an absolute folder nginx sees to a folder here, as `/ABS=DIR` (repeatable): --path /etc/letsencrypt=deploy/letsencrypt")
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
	if stdinCount > 0 && (*fix || *diff) {
		return fs.usageError("--fix and --diff cannot rewrite standard input")
	}
	if *dump && (len(paths) != 1 || *fix || *diff) {
		return fs.usageError("--dump takes one input (- for standard input) and no --fix")
	}

	if err := selectRules(&settings, only); err != nil {
		return fs.usageError("--only: %v", err)
	}

	if *diff && format.value != "text" {
		return fs.usageError("--diff prints a diff, not --format %s", format.value)
	}
	opts := checkOptions{format: format.value, fix: *fix || *diff, diff: *diff, unsafeFixes: *unsafeFixes, dump: *dump, showSuppressed: *showSuppressed, color: color.value, quiet: *quiet}
	// Standard input and a dump have no project file: the flag's cap or
	// the default.
	opts.maxFileSize = cmp.Or(settings.MaxFileSize, config.MaxFileSize)
	// A terminal and a pull request show what to act on; tools get all.
	minSevSet := false
	fs.Visit(func(f *flag.Flag) { minSevSet = minSevSet || f.Name == "min-severity" })
	if !minSevSet && (format.value == "text" || format.value == "github") {
		minSev.value = "warning"
	}
	opts.minSeverity, _ = analysis.ParseSeverity(minSev.value)
	// --fix fixes what the report shows: a note kept out of sight is not
	// changed behind the reader's back (--min-severity info brings them in).
	opts.fixSeverity = opts.minSeverity
	if failOn.value != "never" {
		opts.failOn, _ = analysis.ParseSeverity(failOn.value)
	}

	c := &checker{opts: opts, stdin: stdin, stderr: stderr}
	ov := workspace.Overrides{SettingValues: settings, Paths: pathMaps.maps}
	ws := workspace.New(workspace.Options{Overrides: ov, Analyzers: analyzers, DetectNginx: detectNginx, DetectSystem: detectSystem})
	c.run(ws, paths)
	c.reportNotFixed()
	if opts.diff {
		// The changes are the output; the findings left are for --fix.
		if err := printDiffs(stdout, c.changes); err != nil {
			c.errorf("writing the diff: %v", err)
		}
		switch {
		case c.failed:
			return exitError
		case len(c.changes) > 0:
			return exitFindings
		}
		return exitOK
	}
	if c.reports > 1 { // each report comes sorted and without repeats
		analysis.SortDiagnostics(c.all)
		c.all = workspace.Dedupe(c.all, func(d analysis.Diagnostic) analysis.Diagnostic { return d })
	}
	total := len(c.all)
	// In place: a second slice of a large report's findings would be
	// its largest single allocation. The workspace, whose results the
	// report may share, is done with.
	c.diags = slices.DeleteFunc(c.all, func(d analysis.Diagnostic) bool { return d.Severity > opts.minSeverity })
	c.all = nil
	c.suppressed = workspace.Dedupe(c.suppressed, func(s analysis.Suppressed) analysis.Diagnostic { return s.Diagnostic })
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
		err = printSARIF(stdout, c.diags, c.suppressed, analyzers, c.settings)
	case "github":
		err = printGitHub(stdout, c.diags, shown)
	default:
		summary := summarize(c.diags, total-len(c.diags), c.settings, c.outside)
		if opts.quiet {
			summary = ""
		}
		err = printText(stdout, c.diags, shown, summary, useColor(opts.color, stdout))
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
	all    []analysis.Diagnostic // every finding
	// reports counts the reports added: findings from two may need to be
	// sorted together and repeats dropped.
	reports int
	diags   []analysis.Diagnostic // the findings shown
	// suppressed are the findings silenced by nginxls:ignore comments.
	suppressed []analysis.Suppressed
	failed     bool // an error that makes the exit status 2
	settings   []workspace.SettingsInfo
	changes    []change   // what --fix wrote, or --diff would
	notFixed   []notFixed // the fixes --fix left out
	// outside says which file of a fix lies outside the paths given.
	outside func(analysis.Diagnostic, analysis.SuggestedFix) string
}

// reportNotFixed lists the fixes --fix left out, and why, on standard
// error: standard output carries the report or the diff.
func (c *checker) reportNotFixed() {
	for _, n := range c.notFixed {
		line, col := n.diag.File.Position(n.diag.Span.Start)
		fmt.Fprintf(c.stderr, "nginxls: not fixed: %s:%d:%d: %s [%s]: %s\n", shown(n.diag.File.Name), line, col, n.title, n.diag.Rule, n.reason)
	}
}

func (c *checker) errorf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "nginxls: "+format+"\n", args...)
	c.failed = true
}

// run checks the paths: standard input, an nginx -T dump, files and
// folders. A path that cannot be used is reported and the others are
// still checked.
func (c *checker) run(ws *workspace.Workspace, paths []string) {
	ctx := context.Background()
	var files, given []string
	for _, p := range paths {
		if p == "-" || c.opts.dump {
			src, err := c.read(p)
			if err != nil {
				c.errorf("%s: %v", p, pathErr(err))
				continue
			}
			name := p
			if p == "-" {
				name = stdinName
			}
			if workspace.IsBinary(src) {
				c.errorf("%s: binary file (NUL byte in the first 8 KiB), not an nginx configuration", name)
				continue
			}
			// nginx -T piped in without --dump is taken as what it is.
			if c.opts.dump || p == "-" && workspace.IsDump(src) {
				rep, err := ws.CheckDump(ctx, src)
				if err != nil {
					c.errorf("%s: %v", name, err)
					continue
				}
				c.add(rep)
				continue
			}
			c.add(ws.CheckSource(ctx, name, src))
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			c.errorf("%s: %v", p, pathErr(err))
			continue
		}
		given = append(given, p)
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		found, errs := ws.FilesIn(p)
		for _, err := range errs {
			c.errorf("%v", err)
		}
		if len(found) == 0 && len(errs) == 0 {
			c.errorf("%s: no nginx configuration files in this directory (looked for %s)", p, workspace.ConfigPatternsText())
		}
		files = append(files, found...)
	}
	if len(files) == 0 {
		return
	}
	c.outside = fixScope(ws, given)
	if c.opts.fix {
		rep, changes, left, err := fixFiles(ws, files, given, c.opts)
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				c.errorf("%v", e)
			}
		} else if err != nil {
			c.errorf("%v", err)
		}
		c.changes = changes
		c.notFixed = left
		c.add(rep)
		return
	}
	c.add(ws.Check(ctx, files))
}

// add takes a report's findings, errors and settings.
func (c *checker) add(rep workspace.Report) {
	for _, e := range rep.Errors {
		c.errorf("%v", e)
	}
	c.reports++
	if c.all == nil {
		c.all = rep.Diagnostics // the report's own slice: no copy of a large one
	} else {
		c.all = append(c.all, rep.Diagnostics...)
	}
	for _, sd := range rep.Suppressed {
		if sd.Severity <= c.opts.minSeverity {
			c.suppressed = append(c.suppressed, sd)
		}
	}
	c.settings = append(c.settings, rep.Settings...)
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

func (c *checker) read(p string) ([]byte, error) {
	if p == "-" {
		// One byte past the cap tells a text too large from one that fits.
		b, err := io.ReadAll(io.LimitReader(c.stdin, c.opts.maxFileSize+1))
		if err == nil && int64(len(b)) > c.opts.maxFileSize {
			err = &config.TooLargeError{Limit: c.opts.maxFileSize}
		}
		return b, err
	}
	return config.ReadFileLimit(p, c.opts.maxFileSize)
}

// visible returns the findings at or above min (Error is the lowest
// number).
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

// selectRules switches off every rule that --only does not name.
func selectRules(settings *analysis.SettingValues, only listFlag) error {
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
	if settings.Rules == nil {
		settings.Rules = map[string]analysis.Severity{}
	}
	for _, a := range analyzers {
		if !keep[a.ID] {
			settings.Rules[a.ID] = analysis.Off
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

// detectNginx asks the nginx on the PATH for its version when neither a
// flag nor the project file sets one (a variable: tests pin the default).
var detectNginx = workspace.NginxOnPath

// detectSystem reads the platform, nginx -V and the system openssl.cnf
// for what neither a flag nor the project file sets.
var detectSystem = detect.OnThisMachine

// pathFlag reads repeated --path /ABS=DIR.
type pathFlag struct{ maps []config.PathMap }

func (p *pathFlag) String() string { return "" }

func (p *pathFlag) Set(s string) error {
	from, to, ok := strings.Cut(s, "=")
	if !ok || !filepath.IsAbs(from) || to == "" {
		return fmt.Errorf("want /ABSOLUTE/FOLDER=FOLDER, not %q", s)
	}
	p.maps = append(p.maps, config.PathMap{From: filepath.Clean(from), To: workspace.Abs(to)})
	return nil
}
