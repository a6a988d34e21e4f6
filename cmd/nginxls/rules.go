package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nginxls/nginxls/analysis/rules"
)

func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("rules", "[--format text|markdown]\n\nLists the rules: id, default severity and title.\n"+
		"The markdown form is the table of the README (make readme).", stdout, stderr)
	format := &choice{"text", []string{"text", "markdown"}}
	fs.Var(format, "format", "output `format`: text or markdown")
	pos, code, ok := fs.parse(args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return fs.usageError("takes no arguments (nginxls explain RULE prints one rule)")
	}
	var err error
	if format.value == "markdown" {
		_, err = io.WriteString(stdout, rulesMarkdown())
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, a := range rules.All {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", a.ID, a.Severity, a.Title)
		}
		err = tw.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "nginxls rules: %v\n", err)
		return exitError
	}
	return exitOK
}

// rulesMarkdown is the rule table of the README, between its
// `<!-- rules:begin -->` and `<!-- rules:end -->` markers.
func rulesMarkdown() string {
	var b strings.Builder
	b.WriteString("| Rule | Severity | What it finds |\n|---|---|---|\n")
	for _, a := range rules.All {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", a.ID, a.Severity, strings.ReplaceAll(a.Title, "|", `\|`))
	}
	return b.String()
}
