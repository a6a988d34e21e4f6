package analysistest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// expectation is one finding, or one piece of related information,
// expected on one line.
type expectation struct {
	line    int
	rule    string            // the finding's rule; "related" for related information
	sev     analysis.Severity // the finding's severity, or 0 for any
	text    string            // the exact covered text, or "" for any
	re      *regexp.Regexp    // what the message must match, or nil for any
	related bool
}

func (e expectation) String() string {
	what := "a " + e.rule + " finding"
	if e.sev != 0 {
		what = fmt.Sprintf("a %s finding of severity %s", e.rule, e.sev)
	}
	if e.related {
		what = "related information"
	}
	if e.text != "" {
		what += fmt.Sprintf(" on %q", e.text)
	}
	if e.re != nil {
		what += fmt.Sprintf(" whose message matches %q", e.re)
	}
	return what
}

// matches reports whether the expectation describes what sits on line,
// covers text and says msg.
func (e expectation) matches(line int, text, msg string) bool {
	return e.line == line && (e.text == "" || e.text == text) && (e.re == nil || e.re.MatchString(msg))
}

// wants reads the `# want` comments of a file.
func wants(f *syntax.File) ([]expectation, error) {
	var out []expectation
	for _, c := range f.Comments {
		text := strings.TrimSpace(strings.TrimPrefix(f.Text(c), "#"))
		rest, ok := strings.CutPrefix(text, "want ")
		if !ok {
			continue
		}
		line, _ := f.Position(c.Start)
		fields, err := splitQuoted(rest)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", f.Name, line, err)
		}
		for _, fl := range fields {
			last := len(out) - 1
			owned := last >= 0 && out[last].line == line
			switch {
			case strings.HasPrefix(fl, `~"`):
				if !owned || out[last].re != nil {
					return nil, fmt.Errorf("%s:%d: ~\"regexp\" must follow a rule id (or related), once", f.Name, line)
				}
				re, err := regexp.Compile(fl[2 : len(fl)-1])
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", f.Name, line, err)
				}
				out[last].re = re
			case strings.HasPrefix(fl, `"`):
				if !owned || out[last].text != "" || out[last].re != nil {
					return nil, fmt.Errorf("%s:%d: quoted text must follow a rule id (or related), before any ~\"regexp\"", f.Name, line)
				}
				out[last].text = fl[1 : len(fl)-1]
			default:
				rule, sev, hasSev := strings.Cut(fl, "@")
				e := expectation{line: line, rule: rule, related: rule == "related"}
				if hasSev {
					if e.sev, err = analysis.ParseSeverity(sev); err != nil || e.related {
						return nil, fmt.Errorf("%s:%d: %q: a finding's severity is RULE@error, @warning, @info or @hint", f.Name, line, fl)
					}
				}
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// splitQuoted splits on blanks, keeping "quoted text" (with \ escapes) and
// ~"regexp" (with \" for a quote) whole.
func splitQuoted(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		tilde := strings.HasPrefix(s, `~"`)
		if s[0] == '"' || tilde {
			start := 1
			if tilde {
				start = 2
			}
			i := start
			var b strings.Builder
			for ; i < len(s) && s[i] != '"'; i++ {
				// \" is a quote; in a regexp any other backslash stays.
				if s[i] == '\\' && i+1 < len(s) && (!tilde || s[i+1] == '"') {
					i++
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated quote in want comment")
			}
			out = append(out, s[:start]+b.String()+`"`)
			s = s[i+1:]
			continue
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out, nil
}

// Check compares findings with the `# want` comments of files, which are
// every file of one case: a configuration and what it includes. Each
// finding must be expected on its line, and each expectation met once:
//
//	RULE                a finding of RULE
//	RULE@info           of that severity (error, warning, info, hint)
//	RULE "text"         that covers exactly text
//	RULE ~"regexp"      whose message matches regexp
//	related ~"regexp"   related information of some finding points here
//
// Related information is checked only in a case that expects some: then
// every piece of it must be expected too. name gives the name to print for
// a file. Check returns how many expectations there were.
func Check(t *testing.T, files []*syntax.File, diags []analysis.Diagnostic, name func(*syntax.File) string) int {
	t.Helper()
	want := map[*syntax.File][]expectation{}
	used := map[*syntax.File][]bool{}
	n, strict := 0, false
	for _, f := range files {
		ws, err := wants(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			strict = strict || w.related
		}
		want[f], used[f], n = ws, make([]bool, len(ws)), n+len(ws)
	}
	take := func(f *syntax.File, related bool, rule string, sev analysis.Severity, span syntax.Span, msg string) bool {
		line, _ := f.Position(span.Start)
		for i, w := range want[f] {
			if !used[f][i] && w.related == related && (related || w.rule == rule && (w.sev == 0 || w.sev == sev)) && w.matches(line, f.Text(span), msg) {
				used[f][i] = true
				return true
			}
		}
		return false
	}
	var unexpected []string
	for _, d := range diags {
		line, col := d.File.Position(d.Span.Start)
		if !take(d.File, false, d.Rule, d.Severity, d.Span, d.Message) {
			unexpected = append(unexpected, fmt.Sprintf("%s:%d:%d: unexpected %s finding (%s) on %q: %s", name(d.File), line, col, d.Rule, d.Severity, d.File.Text(d.Span), d.Message))
		}
		for _, r := range d.Related {
			if !strict || r.File == nil || take(r.File, true, "", 0, r.Span, r.Message) {
				continue
			}
			rl, rc := r.File.Position(r.Span.Start)
			unexpected = append(unexpected, fmt.Sprintf("%s:%d:%d: unexpected related information of the %s finding at %s:%d on %q: %s",
				name(r.File), rl, rc, d.Rule, name(d.File), line, r.File.Text(r.Span), r.Message))
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	for _, f := range files {
		for i, w := range want[f] {
			if !used[f][i] {
				t.Errorf("%s:%d: expected %s, got none", name(f), w.line, w)
			}
		}
	}
	return n
}
