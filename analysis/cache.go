package analysis

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Cache carries what the per-server checks (Analyzer.RunServer) found from
// one analysis of a configuration to the next. The language server analyses
// a configuration after every keystroke, and a keystroke changes one server
// of thousands: a server whose text did not change keeps its findings,
// moved to where the server now is. That holds only while nothing outside
// the server blocks changed (the levels servers inherit from, upstreams,
// maps, includes), nor the settings or the rules: any such change empties
// the cache.
//
// A Cache belongs to the successive versions of one configuration. It may
// be shared by concurrent analyses; the last to finish leaves its entries.
// It keeps servers' texts as slices of their files' sources: a source must
// not change once analysed (a new version is a new slice).
type Cache struct {
	mu    sync.Mutex
	state *cacheState
}

type cacheState struct {
	reused, checked int // servers, in the analysis that left this state

	key     cacheKey                  // the settings and rules the entries were found with
	outside string                    // the text outside server blocks, file by file
	layout  map[string]layout         // each file's server blocks then
	entries map[string][]*serverEntry // file by file, by place among the file's servers
}

// Servers tells how many servers the last analysis through c took from the
// cache and how many it checked.
func (c *Cache) Servers() (reused, checked int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state == nil {
		return 0, 0
	}
	return c.state.reused, c.state.checked
}

// serverKey is a server by its place among its file's server blocks.
// While the text outside server blocks is unchanged, that place decides
// the server's context (http, stream or mail, what it inherits): two
// servers of the same text in different contexts have different findings.
type serverKey struct {
	file  string
	index int
}

type serverEntry struct {
	text  []byte      // the block's text, in its file's source (not copied)
	at    syntax.Span // the block, in the analysis that found these
	diags []Diagnostic
}

// layout is the server blocks of one file, in order.
type layout []syntax.Span

// serverSet is how an analysis sees the servers of a configuration: their
// blocks file by file, which of them can be cached, and the text outside.
type serverSet struct {
	layout    map[string]layout
	outside   string
	cacheable map[*config.Server]cacheable
}

// cacheable is a server that may be cached: where it is, and its text.
type cacheable struct {
	key  serverKey
	text []byte
}

// serverLayout finds the server blocks. A server can be cached when its
// text is all there is of it: no include inside it, and its file included
// once (a file included twice holds one text for two servers, each in its
// own context).
func serverLayout(cfg *config.Config) serverSet {
	included := map[*syntax.File]int{}
	for _, inc := range cfg.Includes {
		for _, t := range inc.Targets {
			included[t]++
		}
	}
	byFile := map[*syntax.File][]syntax.Span{}
	for _, s := range cfg.Servers {
		byFile[s.File] = append(byFile[s.File], span(s.Block))
	}
	out := serverSet{layout: map[string]layout{}, cacheable: map[*config.Server]cacheable{}}
	var outside []byte
	for _, f := range cfg.Files {
		spans := byFile[f]
		sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
		var l layout
		for _, sp := range spans {
			if len(l) > 0 && l[len(l)-1] == sp {
				continue // copies of one block, from a file included twice
			}
			l = append(l, sp)
		}
		out.layout[f.Name] = l
		outside = appendChunk(outside, f.Name)
		// Fixes write the file's line break, which its first line decides
		// wherever that is.
		lineBreak := "\n"
		if i := bytes.IndexByte(f.Src, '\n'); i > 0 && f.Src[i-1] == '\r' {
			lineBreak = "\r\n"
		}
		outside = appendChunk(outside, lineBreak)
		outside = binary.AppendUvarint(outside, uint64(len(l)))
		prev := 0
		for _, sp := range l {
			outside = appendChunk(outside, string(f.Src[prev:sp.Start]))
			prev = sp.End
		}
		outside = appendChunk(outside, string(f.Src[prev:]))
	}
	// An include that could not be read holds findings back in the blocks
	// around it: the same text with the file readable is another analysis.
	for _, pr := range cfg.Problems {
		outside = appendChunk(outside, pr.Msg)
	}
	out.outside = string(outside)
	for _, s := range cfg.Servers {
		if included[s.File] > 1 {
			continue
		}
		sp := span(s.Block)
		inner := false
		for _, inc := range cfg.Includes {
			inner = inner || inc.File == s.File && inc.Dir.Start() >= sp.Start && inc.Dir.End() <= sp.End
		}
		if !inner {
			l := out.layout[s.File.Name]
			i := sort.Search(len(l), func(i int) bool { return l[i].Start >= sp.Start })
			// The text is the server's whole lines: fixes indent like the
			// line a directive starts on, and look at what follows a
			// directive on its line, which may lie outside the block.
			// The line index finds them without scanning: in a minified
			// file one line is the whole file, and a server whose lines
			// are mostly other text is not worth caching.
			src := s.File.Src
			lo := s.File.LineStart(sp.Start)
			line, _ := s.File.Position(sp.End)
			hi := s.File.Offset(line+1, 1)
			if sp.Start-lo+hi-sp.End > maxLineContext {
				continue
			}
			out.cacheable[s] = cacheable{serverKey{s.File.Name, i}, src[lo:hi:hi]}
		}
	}
	return out
}

// maxLineContext bounds the text around a server block on its first and
// last lines that its cached findings depend on.
const maxLineContext = 4096

func span(d *syntax.Directive) syntax.Span { return syntax.Span{Start: d.Start(), End: d.End()} }

// appendChunk appends a length-prefixed string: concatenations of chunks
// are equal only when the chunks are.
func appendChunk(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// cacheKey is what an analysis's findings depend on besides the
// configuration: the settings, field by field, and the rules. Findings
// found under another key are not reused.
type cacheKey struct {
	settings settingsKey
	rules    []*Analyzer // the registry the analysis ran, by identity
}

// settingsKey is Settings as a comparable value.
type settingsKey struct {
	nginx          config.Version
	openssl        string
	profile        string
	platform       string
	systemLevel    int
	systemFrom     string
	certExpiryDays int
	rules          string // the overrides, as sorted lines of quoted id and value
}

func keyOf(analyzers []*Analyzer, s Settings) cacheKey {
	overrides := make([]string, 0, len(s.Rules))
	for id, v := range s.Rules {
		overrides = append(overrides, strconv.Quote(id)+strconv.Quote(fmt.Sprint(v))+"\n")
	}
	slices.Sort(overrides)
	return cacheKey{
		settings: settingsKey{nginx: s.Nginx, openssl: s.OpenSSL, profile: s.Profile, platform: s.Platform,
			systemLevel: s.SystemLevel, systemFrom: s.SystemLevelFrom, certExpiryDays: s.CertExpiryDays, rules: strings.Join(overrides, "")},
		rules: slices.Clone(analyzers),
	}
}

func (k cacheKey) equal(o cacheKey) bool {
	return k.settings == o.settings && slices.Equal(k.rules, o.rules)
}

// cacheUse is one analysis's use of a Cache: which servers it may take
// from it, worked out while the first rules run, and what it leaves for
// the next analysis. A nil cacheUse (no Cache) reuses and keeps nothing.
type cacheUse struct {
	cache   *Cache
	key     cacheKey
	servers []*config.Server
	keep    []bool // what the next analysis may reuse
	reused  []bool // what this one did

	ready chan struct{} // closed once the fields below are set
	lay   serverSet
	prev  *cacheState // what may be reused; nil when nothing
	files map[string]*syntax.File
}

// use starts an analysis of cfg through c, with the analyzers and
// settings given, whose per-server checks check servers.
func (c *Cache) use(cfg *config.Config, analyzers []*Analyzer, s Settings, servers []*config.Server) *cacheUse {
	if c == nil || len(servers) == 0 {
		return nil
	}
	u := &cacheUse{cache: c, key: keyOf(analyzers, s), servers: servers, keep: make([]bool, len(servers)), reused: make([]bool, len(servers)),
		ready: make(chan struct{}), files: map[string]*syntax.File{}}
	go u.prepare(cfg)
	return u
}

// prepare finds the servers and what of the previous analysis is still
// valid: nothing once the key or the text outside servers changed.
func (u *cacheUse) prepare(cfg *config.Config) {
	defer close(u.ready)
	defer func() {
		if recover() != nil { // nothing is reused, nothing kept
			u.prev, u.lay = nil, serverSet{}
		}
	}()
	u.lay = serverLayout(cfg)
	for _, f := range cfg.Files {
		u.files[f.Name] = f
	}
	u.cache.mu.Lock()
	st := u.cache.state
	u.cache.mu.Unlock()
	if st != nil && st.key.equal(u.key) && st.outside == u.lay.outside {
		u.prev = st
	}
}

// wait returns once prepare is done.
func (u *cacheUse) wait() {
	if u != nil {
		<-u.ready
	}
}

// reuse returns the cached findings of server i, moved to where it is now,
// or false when it must be checked. Call wait first.
func (u *cacheUse) reuse(i int, sl *slabs) ([]Diagnostic, bool) {
	if u == nil {
		return nil, false
	}
	srv := u.servers[i]
	c, ok := u.lay.cacheable[srv]
	u.keep[i] = ok
	if !ok || u.prev == nil {
		return nil, false
	}
	ds, ok := u.prev.reuse(c, span(srv.Block), u.lay, u.files, sl)
	u.reused[i] = ok
	return ds, ok
}

// failed tells that a check of server i failed: the next analysis checks
// it again.
func (u *cacheUse) failed(i int) {
	if u != nil {
		u.keep[i] = false
	}
}

// finish leaves what the servers were found to have for the next analysis.
func (u *cacheUse) finish(found [][]Diagnostic) {
	if u == nil {
		return
	}
	n := 0
	for _, r := range u.reused {
		if r {
			n++
		}
	}
	next := &cacheState{reused: n, checked: len(u.servers) - n,
		key: u.key, outside: u.lay.outside, layout: u.lay.layout, entries: map[string][]*serverEntry{}}
	for i, srv := range u.servers {
		if !u.keep[i] {
			continue
		}
		c := u.lay.cacheable[srv]
		es := next.entries[c.key.file]
		for len(es) <= c.key.index {
			es = append(es, nil)
		}
		es[c.key.index] = &serverEntry{text: c.text, at: span(srv.Block), diags: found[i]}
		next.entries[c.key.file] = es
	}
	u.cache.mu.Lock()
	u.cache.state = next
	u.cache.mu.Unlock()
}

// reuse returns the cached findings of a server, moved to where it is now,
// or false when there are none to reuse.
func (st *cacheState) reuse(c cacheable, now syntax.Span, cur serverSet, files map[string]*syntax.File, sl *slabs) ([]Diagnostic, bool) {
	k := c.key
	var e *serverEntry
	if es := st.entries[k.file]; k.index < len(es) {
		e = es[k.index]
	}
	if e == nil || !bytes.Equal(e.text, c.text) {
		return nil, false
	}
	ok := true
	var lastOld, lastNew *syntax.File // most places are in the server's own file
	move := func(f *syntax.File, sp syntax.Span) (*syntax.File, syntax.Span) {
		if f != lastOld {
			lastOld, lastNew = f, files[f.Name]
		}
		if lastNew == nil {
			ok = false
			return f, sp
		}
		return lastNew, syntax.Span{Start: st.moveOffset(f.Name, sp.Start, k.file, e.at, now, cur), End: st.moveOffset(f.Name, sp.End, k.file, e.at, now, cur)}
	}
	var nFix, nEdit, nRel int
	for _, d := range e.diags {
		nFix += len(d.Fixes)
		nRel += len(d.Related)
		for _, fx := range d.Fixes {
			nEdit += len(fx.Edits)
		}
	}
	fixSlab, editSlab, relSlab := cut(&sl.fixes, nFix), cut(&sl.edits, nEdit), cut(&sl.related, nRel)
	out := cut(&sl.diags, len(e.diags))
	for i, d := range e.diags {
		d.File, d.Span = move(d.File, d.Span)
		if len(d.Fixes) > 0 {
			fixes := fixSlab[:len(d.Fixes):len(d.Fixes)]
			fixSlab = fixSlab[len(d.Fixes):]
			for j, fx := range d.Fixes {
				edits := editSlab[:len(fx.Edits):len(fx.Edits)]
				editSlab = editSlab[len(fx.Edits):]
				for k, ed := range fx.Edits {
					ed.File, ed.Span = move(ed.File, ed.Span)
					edits[k] = ed
				}
				fx.Edits = edits // the rest (title, Unsafe) as found
				fixes[j] = fx
			}
			d.Fixes = fixes
		}
		if len(d.Related) > 0 {
			rel := relSlab[:len(d.Related):len(d.Related)]
			relSlab = relSlab[len(d.Related):]
			for j, r := range d.Related {
				if r.File != nil {
					r.File, r.Span = move(r.File, r.Span)
				}
				rel[j] = r
			}
			d.Related = rel
		}
		out[i] = d
	}
	return out, ok
}

// slabs are what a task moving servers' findings cuts their copies from:
// thousands of servers are moved on every edit of another one.
type slabs struct {
	diags   []Diagnostic
	fixes   []SuggestedFix
	edits   []TextEdit
	related []Related
}

// cut returns the next n elements of a slab, capped so that appending to
// them never runs into the next ones.
func cut[T any](slab *[]T, n int) []T {
	if len(*slab) < n {
		*slab = make([]T, max(n, 256))
	}
	out := (*slab)[:n:n]
	*slab = (*slab)[n:]
	return out
}

// moveOffset maps an offset of the previous analysis to this one: inside
// the server the finding belongs to, by that server's move; elsewhere by
// the move of the server block before it (the text between blocks is
// unchanged).
func (st *cacheState) moveOffset(file string, off int, own string, was, now syntax.Span, cur serverSet) int {
	if file == own && off >= was.Start && off <= was.End {
		return off + now.Start - was.Start
	}
	old, next := st.layout[file], cur.layout[file]
	i := sort.Search(len(old), func(i int) bool { return old[i].Start > off }) - 1
	switch {
	case i < 0 || i >= len(next):
		return off
	case off <= old[i].End:
		return off + next[i].Start - old[i].Start
	}
	return off + next[i].End - old[i].End
}
