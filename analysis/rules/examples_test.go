package rules_test

import (
	"fmt"
	"path"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/analysistest"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/rules"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// example is one code block of a rule's documentation.
type example struct {
	avoid    bool   // under **Avoid**, else under **Prefer**
	lang     string // the info string's first word: nginx, console, ...
	settings string // the rest of the info string: nginx=1.22.1 openssl=1.1.1 profile=old
	line     int    // of the opening fence, in the doc
	src      string
}

// docExamples reads the fenced code blocks of a doc, each under the
// nearest **Avoid** or **Prefer** label above it. A block under neither is
// an error: every example says which it is.
func docExamples(doc string) ([]example, error) {
	var out []example
	label := ""
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case strings.HasPrefix(line, "**Avoid**"), strings.HasPrefix(line, "**Prefer**"):
			label = strings.Trim(strings.Fields(line)[0], "*")
		case strings.HasPrefix(line, "```"):
			info := strings.Fields(strings.TrimPrefix(line, "```"))
			if len(info) == 0 {
				return nil, fmt.Errorf("line %d: a code block without a language", i+1)
			}
			if label == "" {
				return nil, fmt.Errorf("line %d: a code block under neither **Avoid** nor **Prefer**", i+1)
			}
			ex := example{avoid: label == "Avoid", lang: info[0], settings: strings.Join(info[1:], " "), line: i + 1}
			var body []string
			for i++; i < len(lines) && lines[i] != "```"; i++ {
				body = append(body, lines[i])
			}
			if i == len(lines) {
				return nil, fmt.Errorf("line %d: the code block is not closed", ex.line)
			}
			ex.src = strings.Join(body, "\n") + "\n"
			out = append(out, ex)
		}
	}
	return out, nil
}

// noNginxExamples are the rules whose examples cannot be configurations,
// and why.
var noNginxExamples = map[string]string{
	"tls-key-file-permissions": "the configuration is the same: the key file's mode differs (ls -l)",
}

// TestDocExamples runs the examples of every rule's documentation: the
// rule must report something on each nginx example under **Avoid** and
// nothing on each one under **Prefer**. An example is loaded as the
// command line loads a file: a main configuration (with an http or events
// block) as /etc/nginx/nginx.conf, anything else as a fragment included
// from there (a server block alone is in http, a listen or location alone
// in a server). The certificates they name (certs/good.pem, ...) are the
// test's fixtures; the info string after the language sets the target, as
// a `# analysistest:` line does: ```nginx nginx=1.22.1.
func TestDocExamples(t *testing.T) {
	certs := certFixtures(t)
	var avoid, prefer int
	for _, a := range rules.All {
		exs, err := docExamples(a.Doc)
		if err != nil {
			t.Errorf("docs/%s.md: %v", a.ID, err)
			continue
		}
		var nAvoid, nPrefer int
		for _, ex := range exs {
			if ex.avoid {
				nAvoid++
			} else {
				nPrefer++
			}
			if ex.lang != "nginx" {
				if noNginxExamples[a.ID] == "" {
					t.Errorf("docs/%s.md:%d: a %s example; the examples are nginx configurations", a.ID, ex.line, ex.lang)
				}
				continue
			}
			if ex.avoid {
				avoid++
			} else {
				prefer++
			}
			t.Run(fmt.Sprintf("%s/%d", a.ID, ex.line), func(t *testing.T) {
				diags := runExample(t, ex, certs)
				var mine []string
				for _, d := range diags {
					if d.Rule == a.ID {
						line, _ := d.File.Position(d.Span.Start)
						mine = append(mine, fmt.Sprintf("  %s:%d: %s: %s", path.Base(d.File.Name), line, d.Severity, d.Message))
					}
				}
				switch {
				case ex.avoid && len(mine) == 0:
					t.Errorf("docs/%s.md:%d: the rule reports nothing on this Avoid example:\n%s", a.ID, ex.line, ex.src)
				case !ex.avoid && len(mine) > 0:
					t.Errorf("docs/%s.md:%d: the rule reports this Prefer example:\n%s\n%s", a.ID, ex.line, strings.Join(mine, "\n"), ex.src)
				}
			})
		}
		if nAvoid == 0 || nPrefer == 0 {
			t.Errorf("docs/%s.md has %d **Avoid** and %d **Prefer** examples, want at least one of each", a.ID, nAvoid, nPrefer)
		}
	}
	t.Logf("%d Avoid and %d Prefer examples", avoid, prefer)
}

// runExample loads an example as nginxls check loads a file and runs every
// rule on it, as users see it: some findings go to one rule of several
// that could make them (a cipher word legacy builds read is reported by
// the rule of most of its suites), and suppressions judge the others.
func runExample(t *testing.T, ex example, certs map[string][]byte) []analysis.Diagnostic {
	t.Helper()
	const prefix = "/etc/nginx"
	f := syntax.Parse("example.conf", []byte(ex.src))
	main := config.IsMain(f)
	name := prefix + "/nginx.conf"
	if !main {
		name = prefix + "/conf.d/example.conf"
	}
	fs := config.MemFS{name: []byte(ex.src)}
	for p, data := range certs {
		fs[path.Join(prefix, p)] = data
	}
	cfg, err := config.Open(fs, name, config.Options{Prefix: prefix, Fragment: !main})
	if err != nil {
		t.Fatal(err)
	}
	settings := analysis.DefaultSettings()
	if ex.settings != "" {
		settings, err = analysistest.ParseSettings(syntax.Parse("settings", []byte("# analysistest: "+ex.settings+"\n")))
		if err != nil {
			t.Fatalf("the example's settings %q: %v", ex.settings, err)
		}
	}
	diags, errs := analysis.Run(cfg, rules.All, settings)
	for _, e := range errs {
		t.Error(e)
	}
	analysistest.CheckMessages(t, diags)
	return diags
}
