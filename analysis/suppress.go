package analysis

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Suppressions are comments in the configuration that silence one finding:
//
//	# nginxls:ignore hsts-missing the CDN in front adds the header
//	listen 443 ssl;
//	ssl_protocols TLSv1.2;  # nginxls:ignore tls-protocol-no-tls13 the appliance has OpenSSL 1.0.2
//
// A comment alone on its line applies to the next line that is not itself
// a comment (so several can be stacked); a comment after a directive
// applies to its own line. Several rule ids can be given, separated by
// commas. The reason is required: the engine reports a suppression without
// one, an unknown rule id, and a suppression that silences nothing, under
// the rule nginxls-ignore, so that suppressions stay few and explained.

// IgnorePrefix starts a suppression comment, after the '#'.
const IgnorePrefix = "nginxls:ignore"

// Ignore is the rule under which the engine reports problems with
// suppressions. Its Run does nothing: the engine checks suppressions after
// the other rules ran. Its documentation, like every rule's, is a Markdown
// file of the rule registry (analysis/rules/docs/nginxls-ignore.md).
var Ignore = &Analyzer{
	ID:       "nginxls-ignore",
	Title:    "Suppression comment without a reason, unknown or unused",
	Severity: Warning,
	Run:      func(*Pass) {},
}

// Suppression is one `# nginxls:ignore` comment.
type Suppression struct {
	File   *syntax.File
	Span   syntax.Span // the comment, '#' included
	Rules  []string
	Spans  []syntax.Span // of each rule id in the comment
	Reason string
	Line   int // the line whose findings it silences
}

// Suppressed is a finding that a suppression silenced.
type Suppressed struct {
	Diagnostic
	By *Suppression
}

// Result is what one analysis produced.
type Result struct {
	Diagnostics []Diagnostic // the findings to show
	Suppressed  []Suppressed // the findings silenced by comments
	Errors      []error
}

// ParseSuppressions reads the suppression comments of a file.
func ParseSuppressions(f *syntax.File) []*Suppression {
	var out []*Suppression
	for _, c := range f.Comments {
		text := f.Text(c)
		body := strings.TrimLeft(strings.TrimPrefix(text, "#"), " \t")
		rest, ok := strings.CutPrefix(body, IgnorePrefix)
		if !ok || rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			continue
		}
		s := &Suppression{File: f, Span: c}
		rest = strings.TrimLeft(rest, " \t")
		off := c.End - len(rest)
		ids := rest
		if i := strings.IndexAny(rest, " \t"); i >= 0 {
			ids, s.Reason = rest[:i], strings.TrimSpace(rest[i:])
		}
		pos := off
		for _, id := range strings.Split(ids, ",") {
			if id != "" {
				s.Rules = append(s.Rules, id)
				s.Spans = append(s.Spans, syntax.Span{Start: pos, End: pos + len(id)})
			}
			pos += len(id) + 1
		}
		s.Line = targetLine(f, c)
		out = append(out, s)
	}
	return out
}

// targetLine is the line a suppression comment applies to.
func targetLine(f *syntax.File, c syntax.Span) int {
	line, _ := f.Position(c.Start)
	start := f.LineStart(c.Start)
	if strings.TrimLeft(string(f.Src[start:c.Start]), " \t") != "" {
		return line // after a directive: its own line
	}
	// Alone on its line: the next line that is not only a comment.
	for l := line + 1; ; l++ {
		off := f.Offset(l, 1)
		if off >= len(f.Src) {
			return l
		}
		end := off
		for end < len(f.Src) && f.Src[end] != '\n' {
			end++
		}
		if !strings.HasPrefix(strings.TrimSpace(string(f.Src[off:end])), "#") {
			return l
		}
	}
}

// suppress applies the suppression comments of the configuration's files
// to the findings: silenced findings move to Result.Suppressed, and, when
// Ignore is among the analyzers (and on), problems with the comments are
// reported. The analyzers are the rules that exist: a comment naming one
// that the settings switch off is not a typo, nor unused.
func suppress(cfg *config.Config, analyzers []*Analyzer, s Settings, diags []Diagnostic, errs []error) Result {
	res := Result{Errors: errs}
	var sups []*Suppression
	for _, f := range cfg.Files {
		sups = append(sups, ParseSuppressions(f)...)
	}
	if len(sups) == 0 {
		res.Diagnostics = diags
		return res
	}
	type key struct {
		file *syntax.File
		line int
		rule string
	}
	index := map[key]*Suppression{}
	for _, sp := range sups {
		for _, r := range sp.Rules {
			index[key{sp.File, sp.Line, r}] = sp
		}
	}
	used := map[key]bool{}
	for _, d := range diags {
		line, _ := d.File.Position(d.Span.Start)
		k := key{d.File, line, d.Rule}
		if sp := index[k]; sp != nil && d.Rule != Ignore.ID {
			used[k] = true
			res.Suppressed = append(res.Suppressed, Suppressed{d, sp})
			continue
		}
		res.Diagnostics = append(res.Diagnostics, d)
	}
	// Which rules ran decides what "unused" and "unknown" can mean.
	known, ran := map[string]bool{}, map[string]bool{}
	report := false
	for _, a := range analyzers {
		known[a.ID] = true
		ran[a.ID] = !s.RuleOff(a.ID)
		if a == Ignore && ran[a.ID] {
			report = true
		}
	}
	if !report {
		return res
	}
	sev := Ignore.Severity
	if v := s.Rules[Ignore.ID]; v != 0 {
		sev = v
	}
	for _, sp := range sups {
		if sp.Reason == "" {
			res.Diagnostics = append(res.Diagnostics, Diagnostic{File: sp.File, Span: sp.Span, Severity: sev, Rule: Ignore.ID,
				Message: "this suppression gives no reason: write why the finding does not apply after the rule id"})
		}
		if len(sp.Rules) == 0 {
			continue
		}
		for i, r := range sp.Rules {
			var msg string
			switch {
			case !known[r]:
				msg = fmt.Sprintf("%q is not a rule id (nginxls rules lists them)", r)
			case ran[r] && !used[key{sp.File, sp.Line, r}]:
				msg = fmt.Sprintf("this suppression of %s silences nothing on line %d: remove it", r, sp.Line)
			default:
				continue
			}
			d := Diagnostic{File: sp.File, Span: sp.Spans[i], Severity: sev, Rule: Ignore.ID, Message: msg, Tags: []Tag{Unnecessary}}
			if len(sp.Rules) == 1 {
				d.Fixes = []SuggestedFix{{Title: "Remove the suppression", Edits: []TextEdit{removeComment(sp.File, sp.Span)}}}
			}
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	SortDiagnostics(res.Diagnostics)
	return res
}

// removeComment deletes a comment, with its line when it stands alone,
// else with the blanks before it.
func removeComment(f *syntax.File, c syntax.Span) TextEdit {
	start := f.LineStart(c.Start)
	end := c.End
	if end < len(f.Src) && f.Src[end] == '\r' {
		end++
	}
	if strings.TrimLeft(string(f.Src[start:c.Start]), " \t") == "" {
		if end < len(f.Src) && f.Src[end] == '\n' {
			end++
		}
		return TextEdit{File: f, Span: syntax.Span{Start: start, End: end}}
	}
	from := c.Start
	for from > start && (f.Src[from-1] == ' ' || f.Src[from-1] == '\t') {
		from--
	}
	return TextEdit{File: f, Span: syntax.Span{Start: from, End: c.End}}
}

// SuppressFix inserts a suppression comment for a finding on the line
// before it, indented like it. The reason is left to the user to write:
// until then nginxls-ignore asks for it.
func SuppressFix(d Diagnostic) SuggestedFix {
	f := d.File
	start := f.LineStart(d.Span.Start)
	indent := f.Indent(d.Span.Start)
	nl := "\n"
	if i := bytes.IndexByte(f.Src, '\n'); i > 0 && f.Src[i-1] == '\r' {
		nl = "\r\n"
	}
	return SuggestedFix{
		Title: "Suppress " + d.Rule + " on this line (nginxls:ignore)",
		Edits: []TextEdit{{File: f, Span: syntax.Span{Start: start, End: start},
			NewText: indent + "# " + IgnorePrefix + " " + d.Rule + nl}},
	}
}
