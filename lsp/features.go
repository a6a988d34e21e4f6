package lsp

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/explain"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Hover, code actions and document symbols: each reads the analysis of the
// document as it is now (every earlier edit has been applied, since
// notifications run in order) and translates it.

func (s *Server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	d := s.docs.get(p.TextDocument.URI)
	if d == nil {
		return nil, nil
	}
	r, err := s.diag.resultFor(ctx, d)
	if err != nil || r.file == nil {
		return nil, err
	}
	caps, _ := s.snapshot()
	m := d.mapper()
	off := m.offset(p.Position.Line, p.Position.Character, caps.encoding)
	md, span, ok := explain.At(r.cfg, r.file, off, r.settings, r.diags)
	if !ok {
		return nil, nil
	}
	kind := protocol.MarkupKindMarkdown
	if !caps.markdownHover {
		kind, md = protocol.MarkupKindPlainText, plainText(md)
	}
	rng := toRange(m, span, caps.encoding)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: kind, Value: md}, Range: &rng}, nil
}

var autolink = regexp.MustCompile(`<(https?://[^>\s]+)>`)

// plainText strips the Markdown of an explanation for clients that show
// hovers as plain text (eglot without markdown-mode, for one), which would
// otherwise show the asterisks, backticks and fences verbatim. Code blocks
// keep their content as is.
func plainText(md string) string {
	var b strings.Builder
	fenced := false
	for _, line := range strings.SplitAfter(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			line = strings.ReplaceAll(line, "**", "")
			line = strings.ReplaceAll(line, "`", "")
			line = autolink.ReplaceAllString(line, "$1")
		}
		b.WriteString(line)
	}
	return b.String()
}

// fixAllKind is the source action that applies every compatible fix.
const fixAllKind = protocol.CodeActionKind("source.fixAll.nginxls")

// CodeAction offers each fix of the findings in the range as a quick fix,
// and, when asked for source actions, all compatible fixes of the file at
// once. Fixes come from the analysis of the current version, not from the
// diagnostics the client echoes back.
func (s *Server) CodeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	out := []protocol.CommandOrCodeAction{}
	quick, all := len(p.Context.Only) == 0, false
	for _, k := range p.Context.Only {
		quick = quick || kindMatches(protocol.CodeActionKindQuickFix, k)
		all = all || kindMatches(fixAllKind, k)
	}
	d := s.docs.get(p.TextDocument.URI)
	if d == nil || !(quick || all) {
		return out, nil
	}
	r, err := s.diag.resultFor(ctx, d)
	if err != nil || r.file == nil {
		return out, err
	}
	caps, _ := s.snapshot()
	m := d.mapper()
	if all {
		merged, _ := analysis.MergeFixes(safeFixes(fileDiags(r.diags, r.file)))
		if edit := workspaceEdit(r, merged, caps); edit != nil {
			kind := fixAllKind
			out = append(out, &protocol.CodeAction{Title: "Fix all nginxls findings (safe fixes)", Kind: &kind, Edit: edit})
		}
	}
	if !quick {
		return out, nil
	}
	want := fromRange(m, p.Range, caps.encoding)
	diags := fileDiags(r.diags, r.file)
	pds := toProtocol(r.unitResult, r.file, caps.encoding)
	kind := protocol.CodeActionKindQuickFix
	// One action per distinct fix: two findings fixed by the same edit (the
	// TLSv1 and the TLSv1.1 of one ssl_protocols) share it, listing both.
	offered := map[string]*protocol.CodeAction{}
	offer := func(fix analysis.SuggestedFix, pd protocol.Diagnostic, preferred bool) {
		key := fixKey(fix)
		if a := offered[key]; a != nil {
			a.Diagnostics = append(a.Diagnostics, pd)
			return
		}
		byFile := map[*syntax.File][]analysis.TextEdit{}
		for _, e := range fix.Edits {
			byFile[e.File] = append(byFile[e.File], e)
		}
		edit := workspaceEdit(r, byFile, caps)
		if edit == nil {
			return
		}
		a := &protocol.CodeAction{Title: fix.Title, Kind: &kind, Diagnostics: []protocol.Diagnostic{pd},
			IsPreferred: ptr(preferred), Edit: edit}
		offered[key] = a
		out = append(out, a)
	}
	for i, diag := range diags {
		if diag.Span.End < want.Start || diag.Span.Start > want.End {
			continue
		}
		for j, fix := range diag.Fixes {
			offer(fix, pds[i], j == 0 && !fix.Unsafe)
		}
		// Last, the escape hatch: a suppression comment above the line.
		if diag.Rule != analysis.Ignore.ID {
			offer(analysis.SuppressFix(diag), pds[i], false)
		}
	}
	return out, nil
}

// workspaceEdit turns edits, possibly in several files of the
// configuration, into a WorkspaceEdit. Each open document's edit is pinned
// to the version it was computed for when the client supports that, so a
// stale fix is refused, not misapplied.
func workspaceEdit(r *result, byFile map[*syntax.File][]analysis.TextEdit, caps clientCaps) *protocol.WorkspaceEdit {
	cache := map[*syntax.File]*mapper{}
	var files []*syntax.File
	for f, es := range byFile {
		if len(es) > 0 && f != nil {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return nil
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	we := &protocol.WorkspaceEdit{}
	for _, f := range files {
		m := mapperFor(r.unitResult, f, cache)
		var edits []protocol.TextEdit
		for _, e := range byFile[f] {
			edits = append(edits, protocol.TextEdit{Range: toRange(m, e.Span, caps.encoding), NewText: e.NewText})
		}
		edits = sortEdits(edits)
		u := uriOf(r.unitResult, f)
		if !caps.versionedEdits {
			if we.Changes == nil {
				we.Changes = map[uri.URI][]protocol.TextEdit{}
			}
			we.Changes[u] = edits
			continue
		}
		elems := make([]protocol.TextDocumentEditElement, len(edits))
		for i := range edits {
			elems[i] = &edits[i]
		}
		var version *int32
		if d := r.docs[u]; d != nil {
			v := d.version
			version = &v
		}
		we.DocumentChanges = append(we.DocumentChanges, &protocol.TextDocumentEdit{
			TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{
				TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
			Edits: elems,
		})
	}
	return we
}

// kindMatches reports whether a requested kind covers kind: "source"
// covers "source.fixAll.nginxls".
func kindMatches(kind, requested protocol.CodeActionKind) bool {
	return kind == requested || strings.HasPrefix(string(kind), string(requested)+".")
}

// sortEdits orders edits by position, as clients apply them most reliably.
func sortEdits(es []protocol.TextEdit) []protocol.TextEdit {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Range.Start, es[j].Range.Start
		return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
	})
	return es
}

// DocumentSymbol outlines the blocks: http, server (named by server_name and
// listen), location, upstream, map, ...
func (s *Server) DocumentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	d := s.docs.get(p.TextDocument.URI)
	if d == nil {
		return protocol.DocumentSymbolSlice{}, nil
	}
	f := syntax.Parse(displayName(d.uri), d.text)
	caps, _ := s.snapshot()
	return protocol.DocumentSymbolSlice(symbols(d.mapper(), f.Directives, caps.encoding)), nil
}

func symbols(m *mapper, ds []*syntax.Directive, enc Encoding) []protocol.DocumentSymbol {
	out := []protocol.DocumentSymbol{}
	for _, d := range ds {
		if d.Block == nil || d.InEntryBlock() {
			continue
		}
		name := d.Name.Value
		detail := strings.Join(d.ArgValues(), " ")
		kind := protocol.SymbolKindNamespace
		switch name {
		case "server":
			kind = protocol.SymbolKindClass
			detail = serverDetail(d)
		case "location", "if", "limit_except":
			kind = protocol.SymbolKindMethod
		case "upstream", "map", "geo", "types", "split_clients":
			kind = protocol.SymbolKindStruct
		}
		if detail != "" {
			name += " " + detail
		}
		sym := protocol.DocumentSymbol{
			Name:           name,
			Kind:           kind,
			Range:          toRange(m, syntax.Span{Start: d.Start(), End: d.End()}, enc),
			SelectionRange: toRange(m, d.Name.Span, enc),
		}
		if d.Block.Lua == nil {
			sym.Children = symbols(m, d.Block.Directives, enc)
		}
		out = append(out, sym)
	}
	return out
}

func serverDetail(d *syntax.Directive) string {
	var names, listens []string
	for _, c := range d.Children() {
		switch c.Name.Value {
		case "server_name":
			names = append(names, c.ArgValues()...)
		case "listen":
			listens = append(listens, strings.Join(c.ArgValues(), " "))
		}
	}
	parts := strings.Join(names, " ")
	if len(listens) > 0 {
		if parts != "" {
			parts += " "
		}
		parts += "(" + strings.Join(listens, ", ") + ")"
	}
	return parts
}

// fixKey identifies a fix by its title and edits.
func fixKey(f analysis.SuggestedFix) string {
	var b strings.Builder
	b.WriteString(f.Title)
	for _, e := range f.Edits {
		name := ""
		if e.File != nil {
			name = e.File.Name
		}
		fmt.Fprintf(&b, "\x00%s:%d:%d:%s", name, e.Span.Start, e.Span.End, e.NewText)
	}
	return b.String()
}

// safeFixes keeps, of each finding, the fixes that change nothing beyond
// what it names (SuggestedFix.Unsafe): fixing all applies those only.
func safeFixes(diags []analysis.Diagnostic) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, d := range diags {
		var fixes []analysis.SuggestedFix
		for _, f := range d.Fixes {
			if !f.Unsafe {
				fixes = append(fixes, f)
			}
		}
		if len(fixes) > 0 {
			d.Fixes = fixes
			out = append(out, d)
		}
	}
	return out
}
