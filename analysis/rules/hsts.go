package rules

import (
	"fmt"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
	"github.com/nginxls/nginxls/analysis/tlsdata"
)

// The HSTS rules follow the Strict-Transport-Security header through
// nginx's add_header inheritance: a level that has any add_header of its
// own inherits none from above (unless `add_header_inherit merge`, nginx
// 1.29.3), which is how a location silently loses the server's HSTS.

var HSTSMissing = &analysis.Analyzer{
	ID:        "hsts-missing",
	Title:     "HTTPS server does not send Strict-Transport-Security",
	Severity:  analysis.Warning,
	RunServer: runHSTSMissing,
}

var HSTSMaxAge = &analysis.Analyzer{
	ID:        "hsts-max-age",
	Title:     "HSTS max-age is zero, too short or malformed",
	Severity:  analysis.Warning,
	Run:       hstsMaxAge.Run,
	RunServer: hstsMaxAge.RunServer,
}

var hstsMaxAge = analysis.Split(headerSetters, checkHSTSMaxAge)

var HSTSNotAlways = &analysis.Analyzer{
	ID:       "hsts-not-always",
	Title:    "HSTS header is not sent with error responses",
	Severity: analysis.Info,
	Run:      runHSTSNotAlways,
}

var HSTSDropped = &analysis.Analyzer{
	ID:        "hsts-dropped-in-block",
	Title:     "A block's own add_header drops the inherited HSTS header",
	Severity:  analysis.Warning,
	RunServer: runHSTSDropped,
}

var HSTSOnPlainHTTP = &analysis.Analyzer{
	ID:        "hsts-on-plain-http",
	Title:     "HSTS header sent over plain HTTP",
	Severity:  analysis.Info,
	RunServer: runHSTSOnPlainHTTP,
}

var alwaysSince = config.MustVersion("1.7.5")

// hstsLine is the directive the fixes write.
func hstsLine(p *analysis.Pass) string {
	line := fmt.Sprintf("add_header %s \"max-age=%d; includeSubDomains\"", stsHeader, profile(p).HSTSMinAge)
	if p.Settings.Nginx.AtLeast(alwaysSince) {
		line += " always"
	}
	return line + ";"
}

func runHSTSMissing(p *analysis.Pass, s *config.Server) {
	// An include that could not be read may send the header.
	if !isHTTPS(p, s) || hasSTS(p, s.Block) || p.Config.Incomplete(s.Block) || loopbackOnly(s) || closesConnections(s) {
		return
	}
	// Every location may set it itself; then nothing is missing that
	// hsts-dropped-in-block would not report.
	locs, covered := 0, 0
	for _, b := range config.Descendants(s.Block) {
		if b.Name.Value == "location" {
			locs++
			if hasSTS(p, b) || p.Config.Incomplete(b) {
				covered++
			}
		}
	}
	if locs > 0 && covered == locs {
		return
	}
	line := hstsLine(p)
	// A server with no add_header of its own inherits the upper level's;
	// adding one would drop those, so they are copied along.
	var inherited []*syntax.Directive
	if len(kidsNamed(s.Block, "add_header")) == 0 {
		inherited = inheritedHeaders(p, s.Block)
	}
	anchor := tlsAnchor(p, s)
	diag := analysis.Diagnostic{
		File: p.Config.FileOf(anchor), Span: anchorSpan(anchor),
		Message: "this HTTPS server sends no Strict-Transport-Security header",
	}
	if onlyRedirects(s) {
		// Its visitors land on the target, whose own finding says
		// whether it sends the header: here it is a note (preload asks it).
		diag.Severity = analysis.Info
		diag.Message = "this HTTPS server only redirects, without a Strict-Transport-Security header"
	}
	if len(inherited) <= maxCopiedHeaders {
		diag.Fixes = []analysis.SuggestedFix{{Unsafe: true, Title: "Add " + line,
			Edits: []analysis.TextEdit{insertHSTS(p, s, line, inherited)}}}
	}
	p.Report(diag)
}

// maxCopiedHeaders is how many inherited headers the fix copies into a
// server: beyond, the fix would hold more copied headers than anyone
// wants in each server (and a file of many headers and many servers,
// fixes as large as their product).
const maxCopiedHeaders = 50

// hstsFixKey names the text of a fix shared by the servers that inherit
// the same headers and are laid out alike.
type hstsFixKey struct {
	first           *syntax.Directive // the first header inherited: it stands for the level they come from
	n               int
	line            string
	pre, sep, suffx string
}

// insertHSTS inserts the HSTS line and the inherited headers in a server.
// The text is made once for every server that inherits from the same
// level with the same layout, and shared by their fixes.
func insertHSTS(p *analysis.Pass, s *config.Server, line string, inherited []*syntax.Directive) analysis.TextEdit {
	if len(inherited) == 0 {
		return insertInServer(p, s, line)
	}
	// The edit with a mark for each of two lines gives the layout: what
	// comes before the first, between lines and after the last.
	e := insertInServer(p, s, "\x00", "\x00")
	pre, rest, _ := strings.Cut(e.NewText, "\x00")
	sep, suffix, _ := strings.Cut(rest, "\x00")
	key := hstsFixKey{first: inherited[0], n: len(inherited), line: line, pre: pre, sep: sep, suffx: suffix}
	e.NewText = analysis.Shared(p, key, func() string {
		var b strings.Builder
		b.WriteString(pre)
		b.WriteString(line)
		for _, d := range inherited {
			b.WriteString(sep)
			b.WriteString(directiveText(p.Config.FileOf(d), d))
		}
		b.WriteString(suffix)
		return b.String()
	})
	return e
}

// headerDirectives are the directives that set response headers.
var headerDirectives = []string{"add_header", "more_set_headers"}

var headerSetters = analysis.Named(headerDirectives...)

// stsHeaders calls fn for each HSTS header a directive sets, with the
// header's value.
func stsHeaders(l config.Located, fn func(f *syntax.File, d *syntax.Directive, h headerArg)) {
	for _, h := range headerName(l.Dir) {
		if strings.EqualFold(h.name, stsHeader) {
			fn(l.File, l.Dir, h)
		}
	}
}

func checkHSTSMaxAge(p *analysis.Pass, l config.Located) {
	pr := profile(p)
	stsHeaders(l, func(f *syntax.File, d *syntax.Directive, h headerArg) {
		if hasVar(h.value) {
			return
		}
		hs := tlsdata.ParseHSTS(h.value)
		fixed := hs
		if !hs.HasMaxAge {
			// Keep the flags that did parse.
			fixed = tlsdata.HSTS{IncludeSubDomains: hs.IncludeSubDomains, Preload: hs.Preload}
		}
		var sev analysis.Severity
		var msg string
		switch {
		case len(hs.Problems) > 0:
			sev, msg = analysis.Warning, "browsers ignore this Strict-Transport-Security header: "+hs.Problems[0]
			if len(hs.Problems) > 1 {
				msg += fmt.Sprintf(" (and %d more problems)", len(hs.Problems)-1)
			}
		case hs.MaxAge == 0:
			sev, msg = analysis.Warning, "max-age=0 tells browsers to forget the HSTS policy: HTTPS is no longer enforced"
		case hs.MaxAge < tlsdata.HSTSMinAgeGrade:
			sev, msg = analysis.Warning, fmt.Sprintf("max-age of %s is below the 180 days SSL Labs and testssl want (Mozilla sends %s)",
				tlsdata.HumanDuration(hs.MaxAge), tlsdata.HumanDuration(int64(pr.HSTSMinAge)))
		case hs.MaxAge < tlsdata.HSTSMinAgePreload:
			sev, msg = analysis.Info, fmt.Sprintf("max-age of %s is below one year, the minimum of the HSTS preload list (Mozilla sends %s)",
				tlsdata.HumanDuration(hs.MaxAge), tlsdata.HumanDuration(int64(pr.HSTSMinAge)))
		case hs.MaxAge < int64(pr.HSTSMinAge):
			sev, msg = analysis.Hint, fmt.Sprintf("max-age of %s is below the %s minimum of %s",
				tlsdata.HumanDuration(hs.MaxAge), pr, tlsdata.HumanDuration(int64(pr.HSTSMinAge)))
		default:
			return
		}
		value := fixed.Value(int64(pr.HSTSMinAge))
		p.Report(analysis.Diagnostic{File: f, Span: h.word.Span, Severity: sev, Message: msg,
			Fixes: []analysis.SuggestedFix{{Unsafe: true, Title: "Use " + value,
				Edits: []analysis.TextEdit{replace(f, h.word.Span, headerWord(d, h, value))}}}})
	})
}

// headerWord is the replacement text of a header argument with a new value,
// quoted as nginx needs it.
func headerWord(d *syntax.Directive, h headerArg, value string) string {
	if d.Name.Value == "more_set_headers" {
		return `"` + h.name + ": " + value + `"`
	}
	return `"` + value + `"`
}

func runHSTSNotAlways(p *analysis.Pass) {
	if !p.Settings.Nginx.AtLeast(alwaysSince) {
		return
	}
	for _, l := range p.Config.Named("add_header") {
		f, d := l.File, l.Dir
		if len(d.Args) != 2 || !strings.EqualFold(d.Args[0].Value, stsHeader) {
			continue
		}
		last := d.Args[len(d.Args)-1]
		p.Report(analysis.Diagnostic{File: f, Span: directiveSpan(d),
			Message: "without \"always\" nginx leaves the HSTS header out of error responses (4xx, 5xx)",
			Fixes: []analysis.SuggestedFix{{Title: "Append always",
				Edits: []analysis.TextEdit{replace(f, syntax.Span{Start: last.End, End: last.End}, " always")}}}})
	}
}

func runHSTSDropped(p *analysis.Pass, s *config.Server) {
	if !isHTTPS(p, s) {
		return
	}
	for _, b := range serverBlocks(s) {
		own := kidsNamed(b, "add_header")
		if len(own) == 0 || stsIn(own) != nil || moreSetSTS(p, b) != nil || addHeaderInherit(p, b) == "merge" {
			continue
		}
		// An include that could not be read, in the block or above it,
		// may repeat the header, merge, or change what is inherited.
		if p.Config.Incomplete(b) {
			continue
		}
		inherited := inheritedHeaders(p, b)
		sts := stsIn(inherited)
		if sts == nil {
			continue
		}
		var names []string
		for _, d := range inherited {
			if len(d.Args) > 0 {
				names = append(names, d.Args[0].Value)
			}
		}
		where := b.Name.Value
		if b.Name.Value == "location" && len(b.Args) > 0 && len(strings.Join(b.ArgValues(), " ")) <= 40 {
			where = "location " + strings.Join(b.ArgValues(), " ")
		}
		bf, sf := p.Config.FileOf(b), p.Config.FileOf(sts)
		fixes := []analysis.SuggestedFix{{Title: "Repeat the HSTS header in this block",
			Edits: []analysis.TextEdit{insertFirst(bf, b, directiveText(sf, sts))}}}
		if p.Settings.Nginx.AtLeast(addHeaderInheritSince) {
			fixes = append(fixes, analysis.SuggestedFix{Unsafe: true, Title: "Merge the inherited headers (add_header_inherit merge)",
				Edits: []analysis.TextEdit{insertFirst(bf, b, "add_header_inherit merge;")}})
		}
		// No line number in the message: the finding is reused while the
		// server is unchanged, and lines move with edits above it. The
		// related place shows where the header is.
		p.Report(analysis.Diagnostic{File: p.Config.FileOf(own[0]), Span: directiveSpan(own[0]),
			Message: fmt.Sprintf("this add_header makes the %s inherit no add_header: it drops Strict-Transport-Security%s",
				where, others(names)),
			Fixes:   fixes,
			Related: []analysis.Related{{File: sf, Span: directiveSpan(sts), Message: "the HSTS header that is dropped"}},
		})
	}
}

func others(names []string) string {
	var rest []string
	for _, n := range names {
		if !strings.EqualFold(n, stsHeader) {
			rest = append(rest, n)
		}
	}
	switch len(rest) {
	case 0:
		return ""
	case 1:
		return " and " + rest[0]
	}
	return fmt.Sprintf(", %s and %d more headers", rest[0], len(rest)-1)
}

func runHSTSOnPlainHTTP(p *analysis.Pass, s *config.Server) {
	// An include that could not be read may hold a TLS listen.
	if s.Module != config.HTTP || p.Config.IsTLS(s) || p.Config.Incomplete(s.Block) {
		return
	}
	for _, l := range headerSetters.In(p, s) {
		stsHeaders(l, func(f *syntax.File, d *syntax.Directive, h headerArg) {
			diag := analysis.Diagnostic{File: f, Span: directiveSpan(d),
				Message: "this server has no TLS listener: browsers ignore Strict-Transport-Security over plain HTTP",
				Tags:    []analysis.Tag{analysis.Unnecessary}}
			if len(headerName(d)) == 1 {
				diag.Fixes = []analysis.SuggestedFix{{Title: "Remove the header from the plain-HTTP server",
					Edits: []analysis.TextEdit{removeDirective(f, d)}}}
			}
			p.Report(diag)
		})
	}
}
