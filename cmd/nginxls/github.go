package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/rules"
)

// printGitHub writes GitHub Actions workflow commands: one annotation per
// finding (::error, ::warning or ::notice), shown on the pull request's
// diff. Suppressed findings (--show-suppressed) become notices.
func printGitHub(w io.Writer, diags []analysis.Diagnostic, suppressed []analysis.Suppressed) error {
	bw := bufio.NewWriter(w)
	for _, d := range diags {
		writeAnnotation(bw, ghLevel(d.Severity), d, shownText(d.Message))
	}
	for _, s := range suppressed {
		writeAnnotation(bw, "notice", s.Diagnostic, fmt.Sprintf("suppressed (%s): %s", reasonText(s.By), shownText(s.Message)))
	}
	return bw.Flush()
}

func ghLevel(s analysis.Severity) string {
	switch s {
	case analysis.Error:
		return "error"
	case analysis.Warning:
		return "warning"
	}
	return "notice"
}

func writeAnnotation(w io.Writer, level string, d analysis.Diagnostic, msg string) {
	line, col := d.File.Position(d.Span.Start)
	endLine, endCol := d.File.Position(d.Span.End)
	title := d.Rule
	if a := rules.Lookup(d.Rule); a != nil {
		title += ": " + a.Title
	} else if d.Rule == analysis.Ignore.ID {
		title += ": " + analysis.Ignore.Title
	}
	props := fmt.Sprintf("file=%s,line=%d,endLine=%d", ghProperty(shown(d.File.Name)), line, endLine)
	// GitHub takes columns only for annotations on one line.
	if line == endLine {
		props += fmt.Sprintf(",col=%d,endColumn=%d", col, endCol)
	}
	fmt.Fprintf(w, "::%s %s,title=%s::%s\n", level, props, ghProperty(title), ghData(msg+" ["+d.Rule+"]"))
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
