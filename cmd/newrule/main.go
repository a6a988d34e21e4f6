// Command newrule lays out a new rule, as CONTRIBUTING.md describes it:
//
//	go run ./cmd/newrule -title "ssl_buffer_size is too large" -severity info -directive ssl_buffer_size tls-buffer-size
//
// It writes the rule's file in analysis/rules (an Analyzer that reports
// every directive of that name, to be narrowed to what is wrong), adds it
// to the registry, and writes its documentation (docs/ID.md, with an
// Avoid and a Prefer example) and its test folder (testdata/rules/ID).
// The result builds and passes the tests as it is; each file then says
// what is left to write. It never overwrites a file, and runs from the
// repository's root.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"
)

func main() {
	title := flag.String("title", "", "the rule's `title`: one line, what it finds")
	sev := flag.String("severity", "warning", "default `severity`: error, warning, info or hint")
	dir := flag.String("directive", "", "the `directive` the rule judges (its first version reports each one)")
	name := flag.String("name", "", "the Go `name` of the Analyzer (default: from the id)")
	file := flag.String("file", "", "the Go `file` in analysis/rules (default: from the id)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./cmd/newrule -title TITLE -directive NAME [-severity S] RULE-ID")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 || *title == "" || *dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	r := rule{ID: flag.Arg(0), Title: *title, Severity: *sev, Directive: *dir, Name: *name, File: *file}
	written, err := scaffold(".", &r)
	for _, w := range written {
		fmt.Println("wrote", w)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "newrule:", err)
		os.Exit(1)
	}
	fmt.Printf("next: narrow run%s to what is wrong, write docs/%s.md, then make readme\n", r.Name, r.ID)
}

// rule is what the templates need.
type rule struct {
	ID, Title, Severity, Directive string
	Name, File                     string // Go names, defaulted from the id
	Const                          string // analysis.Warning, ...
}

var (
	idRE        = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)+$`)
	directiveRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	severities  = map[string]string{"error": "analysis.Error", "warning": "analysis.Warning", "info": "analysis.Info", "hint": "analysis.Hint"}
	// initialisms are written in capitals in Go names.
	initialisms = map[string]string{"tls": "TLS", "ssl": "SSL", "http": "HTTP", "https": "HTTPS", "hsts": "HSTS",
		"ocsp": "OCSP", "dh": "DH", "tls13": "TLS13", "http2": "HTTP2", "http3": "HTTP3", "id": "ID", "url": "URL"}
)

// registryAnchor is the registry's last entry; new rules go before it.
const registryAnchor = "\tanalysis.Ignore,\n}"

// scaffold writes the rule's files under root and returns their paths.
func scaffold(root string, r *rule) ([]string, error) {
	if !idRE.MatchString(r.ID) {
		return nil, fmt.Errorf("%q is not a rule id: lower case words joined by dashes (tls-buffer-size)", r.ID)
	}
	if !directiveRE.MatchString(r.Directive) {
		return nil, fmt.Errorf("%q is not a directive name", r.Directive)
	}
	if r.Const = severities[r.Severity]; r.Const == "" {
		return nil, fmt.Errorf("unknown severity %q (want error, warning, info or hint)", r.Severity)
	}
	if strings.ContainsAny(r.Title, "\n\"`") {
		return nil, errors.New("the title is one line, without quotes")
	}
	parts := strings.Split(r.ID, "-")
	if r.Name == "" {
		for _, p := range parts {
			if up, ok := initialisms[p]; ok {
				r.Name += up
			} else {
				r.Name += strings.ToUpper(p[:1]) + p[1:]
			}
		}
	}
	if r.File == "" {
		r.File = strings.Join(parts[1:], "") + ".go"
	}
	rules := filepath.Join(root, "analysis", "rules")
	registry := filepath.Join(rules, "registry.go")
	reg, err := os.ReadFile(registry)
	if err != nil {
		return nil, err
	}
	if bytes.Contains(reg, []byte("\t"+r.Name+",\n")) {
		return nil, fmt.Errorf("%s is already registered", r.Name)
	}
	if !bytes.Contains(reg, []byte(registryAnchor)) {
		return nil, fmt.Errorf("%s: no %q to add the rule before", registry, strings.TrimSpace(registryAnchor))
	}
	files := []struct {
		path  string
		tmpl  *template.Template
		gofmt bool
	}{
		{filepath.Join(rules, r.File), goTmpl, true},
		{filepath.Join(rules, "docs", r.ID+".md"), docTmpl, false},
		{filepath.Join(root, "testdata", "rules", r.ID, strings.Join(parts[1:], "-")+".conf"), confTmpl, false},
	}
	// Nothing is written unless everything can be.
	texts := make([][]byte, len(files))
	for i, f := range files {
		if _, err := os.Stat(f.path); err == nil {
			return nil, fmt.Errorf("%s exists", f.path)
		}
		var b bytes.Buffer
		if err := f.tmpl.Execute(&b, r); err != nil {
			return nil, err
		}
		texts[i] = b.Bytes()
		if f.gofmt {
			if texts[i], err = format.Source(texts[i]); err != nil {
				return nil, err
			}
		}
	}
	var written []string
	for i, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return written, err
		}
		if err := os.WriteFile(f.path, texts[i], 0o644); err != nil {
			return written, err
		}
		written = append(written, f.path)
	}
	reg = bytes.Replace(reg, []byte(registryAnchor), []byte("\t"+r.Name+",\n"+registryAnchor), 1)
	if err := os.WriteFile(registry, reg, 0o644); err != nil {
		return written, err
	}
	return append(written, registry), nil
}

var goTmpl = template.Must(template.New("go").Parse(`package rules

import "github.com/nginxls/nginxls/analysis"

// {{.Name}} is documented in docs/{{.ID}}.md.
var {{.Name}} = &analysis.Analyzer{
	ID:       "{{.ID}}",
	Title:    "{{.Title}}",
	Severity: {{.Const}},
	Run:      run{{.Name}},
}

// run{{.Name}} reports every {{.Directive}}: narrow it to the values that
// are wrong, and give the finding a fix (edit.go) when one is certain.
// A rule about servers as a whole checks them one by one in RunServer; a
// check of one directive gets both halves from analysis.Split, so that a
// server's findings are kept while it is unchanged (CONTRIBUTING.md).
func run{{.Name}}(p *analysis.Pass) {
	for _, l := range p.Config.Named("{{.Directive}}") {
		p.Report(analysis.Diagnostic{File: l.File, Span: directiveSpan(l.Dir),
			Message: "{{.Directive}} is set"})
	}
}
`))

var docTmpl = template.Must(template.New("doc").Parse(`What {{.ID}} finds, in one paragraph, and why it matters: this paragraph is the rule's short
description in SARIF.

**Avoid**

` + "```nginx" + `
server {
    listen 443 ssl;
    {{.Directive}} on;
}
` + "```" + `

**Prefer**

` + "```nginx" + `
server {
    listen 443 ssl;
}
` + "```" + `

What the rule looks at, and what it leaves alone.

Severity: {{.Severity}}. Why this is the default, on the scale of docs/rules.md, and when a
finding is raised or lowered from it.

Fix: what to write instead.

References:

- https://nginx.org/en/docs/dirindex.html
`))

var confTmpl = template.Must(template.New("conf").Parse(`# Each ` + "`# want`" + ` comment expects a finding on its line (CONTRIBUTING.md).
http {
    server {
        listen 443 ssl;
        {{.Directive}} on;  # want {{.ID}} ~"^{{.Directive}} is set$"
    }
}
`))
