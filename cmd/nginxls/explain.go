package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/rules"
)

func runExplain(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("explain", "RULE...\n\nPrints a rule's title, default severity, documentation and references.", stdout, stderr)
	ids, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(ids) == 0 {
		return fs.usageError("which rule? (nginxls rules lists them)")
	}
	var found []*analysis.Analyzer
	for _, id := range ids {
		a := rules.Lookup(id)
		if a == nil {
			msg := fmt.Sprintf("unknown rule %q", id)
			if s := similarRules(id); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return fs.usageError("%s (nginxls rules lists them)", msg)
		}
		found = append(found, a)
	}
	for i, a := range found {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%s: %s\n", a.ID, a.Title)
		fmt.Fprintf(stdout, "Default severity: %s\n\n", a.Severity)
		fmt.Fprintln(stdout, strings.TrimSpace(a.Doc))
		if len(a.Refs) > 0 {
			fmt.Fprintln(stdout, "\nReferences:")
			for _, r := range a.Refs {
				fmt.Fprintf(stdout, "  - %s\n", r)
			}
		}
	}
	return exitOK
}

// similarRules suggests ids that contain the unknown one or share its
// significant words (tls-early → tls-early-data).
func similarRules(id string) []string {
	id = strings.ToLower(id)
	var out []string
	for _, a := range rules.All {
		if id != "" && strings.Contains(a.ID, id) {
			out = append(out, a.ID)
		}
	}
	return out
}
