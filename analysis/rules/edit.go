package rules

import (
	"bytes"
	"strings"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Edit helpers shared by the quick fixes. They keep the user's layout: new
// lines take the indentation of their neighbours, and removals take whole
// lines only when nothing else is on them.

func replace(f *syntax.File, s syntax.Span, text string) analysis.TextEdit {
	return analysis.TextEdit{File: f, Span: s, NewText: text}
}

// restOfLineBlank reports whether only blanks and a comment follow off on its line.
func restOfLineBlank(f *syntax.File, off int) (lineEnd int, blank bool) {
	i := off
	for i < len(f.Src) && (f.Src[i] == ' ' || f.Src[i] == '\t' || f.Src[i] == '\r') {
		i++
	}
	if i < len(f.Src) && f.Src[i] == '#' {
		for i < len(f.Src) && f.Src[i] != '\n' {
			i++
		}
	}
	if i >= len(f.Src) {
		return len(f.Src), true
	}
	if f.Src[i] == '\n' {
		return i + 1, true
	}
	return off, false
}

// lineBlankBefore reports whether only blanks precede off on its line.
func lineBlankBefore(f *syntax.File, off int) bool {
	return strings.TrimLeft(string(f.Src[f.LineStart(off):off]), " \t") == ""
}

// newline returns the line break the file uses.
func newline(f *syntax.File) string {
	// bytes, not a string conversion: that would copy the whole file on
	// every fix.
	if i := bytes.IndexByte(f.Src, '\n'); i > 0 && f.Src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// insertAfter adds a directive on its own line after d, indented like d.
func insertAfter(f *syntax.File, d *syntax.Directive, text string) analysis.TextEdit {
	return insertLinesAfter(f, d, text)
}

// insertFirst adds a directive as the first one of a block, or at the top of
// the file when block is nil.
func insertFirst(f *syntax.File, block *syntax.Directive, text string) analysis.TextEdit {
	if block == nil || block.Block == nil {
		return replace(f, syntax.Span{}, text+newline(f))
	}
	open := block.Block.Open + 1
	indent := f.Indent(block.Start()) + "    "
	if kids := block.Block.Directives; len(kids) > 0 && lineBlankBefore(f, kids[0].Start()) {
		indent = f.Indent(kids[0].Start())
	}
	if lineEnd, blank := restOfLineBlank(f, open); blank && lineEnd > open {
		return replace(f, syntax.Span{Start: lineEnd, End: lineEnd}, indent+text+newline(f))
	}
	return replace(f, syntax.Span{Start: open, End: open}, " "+text)
}

// removeDirective deletes a directive, with its whole line when it stands alone.
func removeDirective(f *syntax.File, d *syntax.Directive) analysis.TextEdit {
	start, end := d.Start(), d.End()
	if lineEnd, blank := restOfLineBlank(f, end); blank && lineBlankBefore(f, start) {
		return replace(f, syntax.Span{Start: f.LineStart(start), End: lineEnd}, "")
	}
	for end < len(f.Src) && (f.Src[end] == ' ' || f.Src[end] == '\t') {
		end++
	}
	return replace(f, syntax.Span{Start: start, End: end}, "")
}

// removeArg deletes one argument with the blanks before it.
func removeArg(f *syntax.File, d *syntax.Directive, w *syntax.Word) analysis.TextEdit {
	start := w.Start
	for i, a := range d.Args {
		if a == w {
			prev := d.Name.End
			if i > 0 {
				prev = d.Args[i-1].End
			}
			start = prev
		}
	}
	return replace(f, syntax.Span{Start: start, End: w.End}, "")
}

// directiveSpan covers a directive from its name to its ';' (or last token).
func directiveSpan(d *syntax.Directive) syntax.Span {
	return syntax.Span{Start: d.Start(), End: d.End()}
}

// valueSpan covers the arguments of a directive, or its name when it has none.
func valueSpan(d *syntax.Directive) syntax.Span {
	if s, ok := d.ArgsSpan(); ok {
		return s
	}
	return d.Name.Span
}

// insertInServer adds server-level lines after the server's last listen or
// server_name (where readers look for them), else first in the block.
func insertInServer(p *analysis.Pass, s *config.Server, lines ...string) analysis.TextEdit {
	var last *syntax.Directive
	for _, d := range s.Block.Children() {
		if (d.Name.Value == "listen" || d.Name.Value == "server_name") && p.Config.FileOf(d) == s.File {
			last = d
		}
	}
	if last == nil {
		return insertLinesFirst(s.File, s.Block, lines...)
	}
	return insertLinesAfter(s.File, last, lines...)
}

// blockIndent is the indentation of a new first line in a block, as
// insertFirst computes it.
func blockIndent(f *syntax.File, block *syntax.Directive) string {
	if kids := block.Block.Directives; len(kids) > 0 && lineBlankBefore(f, kids[0].Start()) {
		return f.Indent(kids[0].Start())
	}
	return f.Indent(block.Start()) + "    "
}

// insertLinesFirst adds several directives at the top of a block.
func insertLinesFirst(f *syntax.File, block *syntax.Directive, lines ...string) analysis.TextEdit {
	return insertFirst(f, block, strings.Join(lines, newline(f)+blockIndent(f, block)))
}

// insertLinesAfter adds several directives after d, one per line.
//
// The text is made in one piece: a rule may add lines to thousands of
// servers on every analysis.
func insertLinesAfter(f *syntax.File, d *syntax.Directive, lines ...string) analysis.TextEdit {
	end, nl := d.End(), newline(f)
	lineStart := f.LineStart(d.Start())
	indent := lineStart
	for indent < len(f.Src) && (f.Src[indent] == ' ' || f.Src[indent] == '\t') {
		indent++
	}
	ind := f.Src[lineStart:indent]
	lineEnd, blank := restOfLineBlank(f, end)
	atEOF := blank && lineEnd == len(f.Src) && (len(f.Src) == 0 || f.Src[len(f.Src)-1] != '\n')
	n := len(nl) + len(ind) + 1
	for _, l := range lines {
		n += len(l) + len(nl) + len(ind)
	}
	var b strings.Builder
	b.Grow(n)
	switch {
	case !blank: // something follows d on its line: the text goes after d there
		lineEnd = end
		b.WriteByte(' ')
	case atEOF:
		b.WriteString(nl)
		b.Write(ind)
	default:
		b.Write(ind)
	}
	for i, l := range lines {
		if i > 0 {
			b.WriteString(nl)
			b.Write(ind)
		}
		b.WriteString(l)
	}
	if blank && !atEOF {
		b.WriteString(nl)
	}
	return replace(f, syntax.Span{Start: lineEnd, End: lineEnd}, b.String())
}

// directiveText is a directive as written, on one line.
func directiveText(f *syntax.File, d *syntax.Directive) string {
	return strings.Join(strings.Fields(f.Text(directiveSpan(d))), " ")
}
