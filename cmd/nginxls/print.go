package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/workspace"
)

// printText writes one finding per line, `file:line:col: severity: message
// [rule]`, with 1-based lines and byte columns as go vet and compilers do,
// so that editors and terminals can jump to them.
//
// Suppressed findings (--show-suppressed) follow, marked with the reason of
// their nginxls:ignore comment.
func printText(w io.Writer, diags []analysis.Diagnostic, suppressed []analysis.Suppressed, summary string, color bool) error {
	bw := bufio.NewWriter(w)
	sev := func(s analysis.Severity) string {
		if !color {
			return s.String()
		}
		return severityColors[s] + s.String() + "\x1b[0m"
	}
	for _, d := range diags {
		line, col := d.File.Position(d.Span.Start)
		fmt.Fprintf(bw, "%s:%d:%d: %s: %s [%s]\n", shown(d.File.Name), line, col, sev(d.Severity), shownText(d.Message), d.Rule)
	}
	for _, s := range suppressed {
		line, col := s.File.Position(s.Span.Start)
		fmt.Fprintf(bw, "%s:%d:%d: %s: %s [%s] (suppressed: %s)\n", shown(s.File.Name), line, col, sev(s.Severity), shownText(s.Message), s.Rule, reasonText(s.By))
	}
	if summary != "" {
		fmt.Fprintln(bw, summary)
	}
	return bw.Flush()
}

// severityColors are the ANSI colours of the severities on a terminal.
var severityColors = map[analysis.Severity]string{
	analysis.Error: "\x1b[1;31m", analysis.Warning: "\x1b[1;33m", analysis.Info: "\x1b[36m", analysis.Hint: "\x1b[2m",
}

// useColor decides --color auto: a terminal, unless NO_COLOR is set
// (https://no-color.org) or TERM is dumb.
func useColor(mode string, w io.Writer) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// summarize is the text output's last line: how many findings of each
// severity in how many files, and the targets assumed, with where the nginx
// version came from (a flag, the project file, nginx -v, the default).
func summarize(diags []analysis.Diagnostic, hidden int, settings []workspace.SettingsInfo, outside func(analysis.Diagnostic, analysis.SuggestedFix) string) string {
	if len(settings) == 0 {
		return ""
	}
	count := map[analysis.Severity]int{}
	files := map[string]bool{}
	for _, d := range diags {
		count[d.Severity]++
		files[d.File.Name] = true
	}
	var parts []string
	for _, sev := range []analysis.Severity{analysis.Error, analysis.Warning, analysis.Info, analysis.Hint} {
		if n := count[sev]; n > 0 {
			name := sev.String()
			if n > 1 && sev != analysis.Info {
				name += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
		}
	}
	head := "no findings"
	if len(diags) > 0 {
		head = fmt.Sprintf("%d findings (%s) in %d files", len(diags), strings.Join(parts, ", "), len(files))
		if len(diags) == 1 {
			head = fmt.Sprintf("1 finding (%s) in 1 file", strings.Join(parts, ", "))
		} else if len(files) == 1 {
			head = strings.TrimSuffix(head, "s")
		}
	}
	fixable := 0
	for _, d := range diags {
		for _, f := range d.Fixes {
			// Standard input and dumps are never written.
			if !f.Unsafe && outside != nil && outside(d, f) == "" {
				fixable++
				break
			}
		}
	}
	var notes []string
	if fixable > 0 {
		notes = append(notes, fmt.Sprintf("%d fixable with --fix", fixable))
	}
	if hidden > 0 {
		what := "notes"
		if hidden == 1 {
			what = "note"
		}
		notes = append(notes, fmt.Sprintf("%d %s not shown: --min-severity hint", hidden, what))
	}
	if len(notes) > 0 {
		head += " (" + strings.Join(notes, "; ") + ")"
	}
	var targets []string
	seen := map[string]bool{}
	for _, si := range settings {
		t := fmt.Sprintf("nginx %s (%s), OpenSSL %s", si.Settings.Nginx, fromText(si.NginxFrom), si.Settings.OpenSSL)
		if si.OpenSSLFrom != "default" {
			t += " (" + fromText(si.OpenSSLFrom) + ")"
		}
		t += ", Mozilla " + si.Settings.Profile
		if si.Settings.Platform != "" {
			t += fmt.Sprintf(", platform %s (%s)", si.Settings.Platform, fromText(si.PlatformFrom))
		}
		if s := si.Settings; s.SystemLevelFrom != "" {
			t += fmt.Sprintf(", security level %d (%s)", s.SystemLevel, s.SystemLevelFrom)
		}
		if !seen[t] {
			seen[t] = true
			targets = append(targets, t)
		}
	}
	return fmt.Sprintf("nginxls: %s; assumed %s", head, strings.Join(targets, "; "))
}

// fromText is where a setting came from, for the summary: a project
// file as the report names files, the rest as they are.
func fromText(from string) string {
	if filepath.IsAbs(from) {
		return shown(from)
	}
	return from
}

func reasonText(s *analysis.Suppression) string {
	if s.Reason == "" {
		return "no reason given"
	}
	return s.Reason
}

// The JSON schema is public and stable: tools parse it. Slices are always
// made non-nil so that empty lists print as [] rather than null.
type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	// Suppressed is there with --show-suppressed only.
	Suppressed *[]jsonSuppressed `json:"suppressed,omitempty"`
}

// jsonSuppressed is a finding silenced by a comment, with its reason and
// where the comment is.
type jsonSuppressed struct {
	jsonFinding
	Reason  string    `json:"reason"`
	Comment jsonRange `json:"comment"`
}

// jsonTarget is what a configuration was judged for, and where each
// target came from (as the text summary says it), in SARIF's run
// properties. The JSON report stays {"findings": [...]}: its schema is
// held fixed (TestCheckJSON).
type jsonTarget struct {
	Nginx        string `json:"nginx"`
	NginxFrom    string `json:"nginxFrom"`
	OpenSSL      string `json:"openssl"`
	OpenSSLFrom  string `json:"opensslFrom"`
	Profile      string `json:"profile"`
	Platform     string `json:"platform,omitempty"`
	PlatformFrom string `json:"platformFrom,omitempty"`
	// SecurityLevel is the system configuration's, when one was found.
	SecurityLevel     *int   `json:"securityLevel,omitempty"`
	SecurityLevelFrom string `json:"securityLevelFrom,omitempty"`
}

// targetsOf are the different targets of the configurations analysed.
func targetsOf(settings []workspace.SettingsInfo) []jsonTarget {
	var out []jsonTarget
	for _, si := range settings {
		s := si.Settings
		t := jsonTarget{Nginx: s.Nginx.String(), NginxFrom: fromText(si.NginxFrom), OpenSSL: s.OpenSSL, OpenSSLFrom: fromText(si.OpenSSLFrom),
			Profile: s.Profile, Platform: s.Platform, PlatformFrom: fromText(si.PlatformFrom)}
		if s.SystemLevelFrom != "" {
			t.SecurityLevel, t.SecurityLevelFrom = &s.SystemLevel, s.SystemLevelFrom
		}
		if !slices.ContainsFunc(out, func(o jsonTarget) bool { return sameTarget(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

func sameTarget(a, b jsonTarget) bool {
	la, lb := a.SecurityLevel, b.SecurityLevel
	a.SecurityLevel, b.SecurityLevel = nil, nil
	return a == b && (la == nil) == (lb == nil) && (la == nil || *la == *lb)
}

type jsonFinding struct {
	File string `json:"file"`
	jsonRange
	Severity string    `json:"severity"`
	Rule     string    `json:"rule"`
	Message  string    `json:"message"`
	Fixes    []jsonFix `json:"fixes"`
}

// jsonRange uses the text output's numbering; the end is exclusive, like
// the end of an LSP range.
type jsonRange struct {
	Line      int `json:"line"`
	Column    int `json:"column"`
	EndLine   int `json:"endLine"`
	EndColumn int `json:"endColumn"`
}

type jsonFix struct {
	Title string `json:"title"`
	// Unsafe: the fix changes behaviour beyond the finding; --fix applies
	// it only with --unsafe-fixes.
	Unsafe bool       `json:"unsafe"`
	Edits  []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	// File is the file the edit applies to: a fix may edit an included
	// file (the snippet that sets the directive) as well as the finding's.
	File string `json:"file"`
	jsonRange
	NewText string `json:"newText"`
}

func rangeOf(f *syntax.File, s syntax.Span) jsonRange {
	var r jsonRange
	r.Line, r.Column = f.Position(s.Start)
	r.EndLine, r.EndColumn = f.Position(s.End)
	return r
}

// printJSON writes the report one finding at a time, as encoding/json would
// write jsonReport whole: a configuration with hundreds of thousands of
// findings then needs no second copy of them all, nor the whole text, in
// memory.
func printJSON(w io.Writer, diags []analysis.Diagnostic, suppressed []analysis.Suppressed, showSuppressed bool) error {
	bw := bufio.NewWriter(w)
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	// File names such as <stdin> and messages quoting `->` stay readable.
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	list := func(name string, n int, each func(i int) any) error {
		if n == 0 {
			fmt.Fprintf(bw, "  %q: []", name)
			return nil
		}
		fmt.Fprintf(bw, "  %q: [\n", name)
		for i := range n {
			item.Reset()
			if err := enc.Encode(each(i)); err != nil {
				return err
			}
			bw.WriteString("    ")
			bw.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
			if i < n-1 {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("  ]")
		return nil
	}
	bw.WriteString("{\n")
	if err := list("findings", len(diags), func(i int) any { return toJSON(diags[i]) }); err != nil {
		return err
	}
	if showSuppressed {
		bw.WriteString(",\n")
		err := list("suppressed", len(suppressed), func(i int) any {
			s := suppressed[i]
			return jsonSuppressed{toJSON(s.Diagnostic), s.By.Reason, rangeOf(s.By.File, s.By.Span)}
		})
		if err != nil {
			return err
		}
	}
	bw.WriteString("\n}\n")
	return bw.Flush()
}

func toJSON(d analysis.Diagnostic) jsonFinding {
	jf := jsonFinding{
		File:      shown(d.File.Name),
		jsonRange: rangeOf(d.File, d.Span),
		Severity:  d.Severity.String(),
		Rule:      d.Rule,
		Message:   shownText(d.Message),
		Fixes:     []jsonFix{},
	}
	for _, fix := range d.Fixes {
		jfix := jsonFix{Title: fix.Title, Unsafe: fix.Unsafe, Edits: []jsonEdit{}}
		for _, e := range fix.Edits {
			f := e.File
			if f == nil {
				f = d.File
			}
			jfix.Edits = append(jfix.Edits, jsonEdit{File: shown(f.Name), jsonRange: rangeOf(f, e.Span), NewText: e.NewText})
		}
		jf.Fixes = append(jf.Fixes, jfix)
	}
	return jf
}

// shownText names the files a message mentions as shown does: relative to
// the current folder when they lie under it.
func shownText(msg string) string {
	wd := workDir()
	if wd == "" || wd == string(filepath.Separator) {
		return msg
	}
	return strings.ReplaceAll(msg, wd+string(filepath.Separator), "")
}

// workDir is the current folder, asked once: a report names thousands of
// files.
var workDir = sync.OnceValue(func() string {
	wd, _ := os.Getwd()
	return wd
})

// shown is how a file is named in the output: relative to the current
// folder when it lies under it (the workspace names files absolutely), as
// given otherwise.
func shown(name string) string {
	if !filepath.IsAbs(name) {
		return name
	}
	wd := workDir()
	if wd == "" || wd == string(filepath.Separator) {
		return name
	}
	if rel, err := filepath.Rel(wd, name); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return name
}
