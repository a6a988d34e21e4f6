// Package config turns syntax trees into the configuration nginx would load:
// the servers of every module, the context each directive lands in, and the
// effective value of a directive at any level, following nginx's inheritance
// and its defaults for a target version.
package config

import (
	"path/filepath"
	"sort"
	"sync"

	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Module is the top-level module a server belongs to.
type Module int

const (
	HTTP Module = iota
	Stream
	Mail
)

func (m Module) String() string {
	return [...]string{"http", "stream", "mail"}[m]
}

// Config is a loaded configuration.
type Config struct {
	Files   []*syntax.File
	Servers []*Server

	// FS reads the files the configuration refers to (nil: the disk), and
	// Prefix is the directory relative paths are resolved against.
	FS     FS
	Prefix string
	// Paths map absolute folders nginx sees to folders here (Resolve).
	Paths []PathMap
	// Refs, when set, reads the files the configuration names that are not
	// configuration (certificates, keys, DH parameters) instead of FS.
	Refs FS
	// Elsewhere says the configuration was taken from another machine
	// (nginx -T): a file it names that is missing here was not checked,
	// it is not missing.
	Elsewhere bool

	// Main is the main file of a configuration loaded with LoadTree.
	// Includes are its include directives and what they resolved to;
	// Problems are the includes that could not be followed.
	Main     *syntax.File
	Includes []*Include
	Problems []Problem

	// roots are the top levels: one per file for Load, the main file with
	// every include expanded in place for LoadTree. In an expanded tree the
	// directives are copies of the files' own (a snippet included in three
	// servers has three copies, each with its own parent); their words and
	// spans still point into the file they come from.
	roots     []*root
	topOf     map[*syntax.Directive]*root
	fileOf    map[*syntax.Directive]*syntax.File
	instances map[*syntax.Directive][]*syntax.Directive // a file's directive -> its copies

	byName map[string][]Located // every directive, map entries and Lua aside
	blocks []Located            // every block directive, in the same order
	// kids indexes by name the children of large blocks: inheritance
	// lookups are then a few map reads per level instead of a scan of, say,
	// an http block of 3,000 servers. Small blocks are scanned; indexing
	// them would cost more.
	kids map[*syntax.Directive]map[string][]*syntax.Directive
	// serverOf finds a Server by its block.
	serverOf      map[*syntax.Directive]*Server
	prefixUnknown bool  // see Options.PrefixUnknown
	copy          bool  // see Options.Copy
	maxRef        int64 // see Options.MaxRefSize
	// holes are the blocks (nil: the top level) holding an include that
	// could not be followed.
	holes map[*syntax.Directive]bool
}

// Incomplete reports whether what a block holds or inherits may be set by
// an include that could not be read: the block, a block around it or the
// top level holds one. Findings that assert an absence or an effective
// value there are not certain.
func (c *Config) Incomplete(block *syntax.Directive) bool {
	if len(c.holes) == 0 {
		return false
	}
	for b := block; b != nil; b = b.Parent {
		if c.holes[b] {
			return true
		}
	}
	return c.holes[nil]
}

// Holes is how many blocks hold an include that could not be followed
// (part of what a cache of findings depends on).
func (c *Config) Holes() int { return len(c.holes) }

// root is one top level of the configuration.
type root struct {
	file  *syntax.File
	list  []*syntax.Directive
	index map[string][]*syntax.Directive

	known    sync.Once // rules ask for each of thousands of servers
	knownCtx directives.Context
	knownOK  bool
}

// Located is a directive with the file that holds it.
type Located struct {
	File *syntax.File
	Dir  *syntax.Directive
}

// Server is a `server { }` block of http, stream or mail.
type Server struct {
	// File holds the server block itself. Directives inside it may come
	// from included files: use Config.FileOf for those.
	File    *syntax.File
	Block   *syntax.Directive
	Module  Module
	Listens []*syntax.Directive
}

// Load builds the model of the given files, each on its own: a whole
// configuration, or a fragment whose top level is the http context (or the
// module block that holds it). Includes are not followed (see LoadTree).
func Load(files ...*syntax.File) *Config {
	c := newConfig()
	c.Files = files
	if len(files) > 0 {
		c.Prefix = filepath.Dir(files[0].Name)
	}
	for _, f := range files {
		c.roots = append(c.roots, &root{file: f, list: f.Directives})
	}
	c.build()
	return c
}

func newConfig() *Config {
	return &Config{fileOf: map[*syntax.Directive]*syntax.File{}, topOf: map[*syntax.Directive]*root{},
		byName: map[string][]Located{}, kids: map[*syntax.Directive]map[string][]*syntax.Directive{},
		serverOf: map[*syntax.Directive]*Server{}}
}

// build indexes the roots: one walk records every directive's file, indexes
// directives by name (so rules look up what they judge instead of each
// walking the whole tree) and finds the servers.
func (c *Config) build() {
	// Names are looked up once per directive, not once more to store.
	byName := map[string]*[]Located{}
	for _, r := range c.roots {
		if len(r.list) > indexMin {
			r.index = indexByName(r.list)
		}
		for _, d := range r.list {
			c.topOf[d] = r
		}
		c.collectServers(r.list, HTTP)
		syntax.Walk(r.list, func(d *syntax.Directive) bool {
			// Only copies spliced in from other files are in fileOf;
			// FileOf finds the others through their top-level directive.
			f := c.fileOf[d]
			if f == nil {
				f = r.file
			}
			if d.InEntryBlock() {
				return false
			}
			l := byName[d.Name.Value]
			if l == nil {
				l = new([]Located)
				byName[d.Name.Value] = l
			}
			*l = append(*l, Located{f, d})
			if d.Block != nil {
				c.blocks = append(c.blocks, Located{f, d})
				if len(d.Block.Directives) > indexMin {
					c.kids[d] = indexByName(d.Block.Directives)
				}
			}
			return true
		})
	}
	for name, l := range byName {
		c.byName[name] = *l
	}
}

// Instances returns the directives of the model that stand for a
// directive of a file: the directive itself when includes were not
// expanded, else one copy per place the file is included (none when the
// file is not part of the configuration).
func (c *Config) Instances(d *syntax.Directive) []*syntax.Directive {
	if c.instances == nil {
		return []*syntax.Directive{d}
	}
	return c.instances[d]
}

// indexMin is the number of children from which a block is indexed.
const indexMin = 32

func indexByName(ds []*syntax.Directive) map[string][]*syntax.Directive {
	m := make(map[string][]*syntax.Directive, len(ds))
	for _, d := range ds {
		m[d.Name.Value] = append(m[d.Name.Value], d)
	}
	return m
}

// Named returns every directive with one of the given names, in file and
// source order (map-like entries excluded).
func (c *Config) Named(names ...string) []Located {
	if len(names) == 1 {
		return c.byName[names[0]]
	}
	var out []Located
	for _, n := range names {
		out = append(out, c.byName[n]...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return c.fileIndex(a.File) < c.fileIndex(b.File)
		}
		return a.Dir.Start() < b.Dir.Start()
	})
	return out
}

func (c *Config) fileIndex(f *syntax.File) int {
	for i, g := range c.Files {
		if g == f {
			return i
		}
	}
	return len(c.Files)
}

// Blocks returns every block directive (map-like entries excluded).
func (c *Config) Blocks() []Located { return c.blocks }

func (c *Config) collectServers(ds []*syntax.Directive, m Module) {
	for _, d := range ds {
		if d.Block == nil || d.InEntryBlock() {
			continue
		}
		switch d.Name.Value {
		case "http":
			c.collectServers(d.Block.Directives, HTTP)
		case "stream":
			c.collectServers(d.Block.Directives, Stream)
		case "mail":
			c.collectServers(d.Block.Directives, Mail)
		case "server":
			s := &Server{File: c.FileOf(d), Block: d, Module: m}
			for _, ch := range d.Block.Directives {
				if ch.Name.Value == "listen" {
					s.Listens = append(s.Listens, ch)
				}
			}
			c.Servers = append(c.Servers, s)
			c.serverOf[d] = s
		}
	}
}

// FileOf returns the file that holds a directive.
func (c *Config) FileOf(d *syntax.Directive) *syntax.File {
	if f := c.fileOf[d]; f != nil {
		return f
	}
	for d.Parent != nil {
		d = d.Parent
	}
	if r := c.topOf[d]; r != nil {
		return r.file
	}
	return nil
}

// lookup returns the directives named name at the nearest level that has
// any, from block outwards to the file's top level.
func (c *Config) lookup(block *syntax.Directive, name string) []*syntax.Directive {
	root := block
	for b := block; b != nil; b = b.Parent {
		if ds := c.named(c.kids[b], b.Children(), name); len(ds) > 0 {
			return ds
		}
		root = b
	}
	if r := c.topOf[root]; r != nil {
		return c.named(r.index, r.list, name)
	}
	return nil
}

// named returns the directives of a level with a name, from its index when
// it has one.
func (c *Config) named(index map[string][]*syntax.Directive, level []*syntax.Directive, name string) []*syntax.Directive {
	if index != nil {
		return index[name]
	}
	var out []*syntax.Directive
	for _, d := range level {
		if d.Name.Value == name {
			out = append(out, d)
		}
	}
	return out
}

// Effective returns the directive that sets a single-valued setting for a
// block (a server, a location): its own, else the nearest enclosing level's;
// nil when nginx's default applies. When a level repeats the directive (an
// error for most), the last one is returned.
func (c *Config) Effective(block *syntax.Directive, name string) *syntax.Directive {
	if ds := c.lookup(block, name); len(ds) > 0 {
		return ds[len(ds)-1]
	}
	return nil
}

// EffectiveAll returns the directives of an array setting (add_header,
// proxy_set_header, ssl_conf_command, ...) for a block: nginx inherits them
// all or nothing, so they come from the nearest level that has at least one.
func (c *Config) EffectiveAll(block *syntax.Directive, name string) []*syntax.Directive {
	return c.lookup(block, name)
}

// Descendants returns the blocks nested in a block (locations, ifs, ...),
// depth first.
func Descendants(block *syntax.Directive) []*syntax.Directive {
	var out []*syntax.Directive
	syntax.Walk(block.Children(), func(d *syntax.Directive) bool {
		if d.Block != nil && d.Block.Lua == nil && !d.InEntryBlock() {
			out = append(out, d)
		}
		return true
	})
	return out
}

// ListenHas reports whether a listen directive has a parameter (ssl, quic,
// http2, default_server, ...).
func ListenHas(listen *syntax.Directive, param string) *syntax.Word {
	for i, a := range listen.Args {
		if i > 0 && a.Value == param {
			return a
		}
	}
	return nil
}

// TLSListen returns the server's first `listen` that speaks TLS (`ssl` or
// `quic`), or nil.
func (s *Server) TLSListen() *syntax.Directive {
	for _, l := range s.Listens {
		if ListenHas(l, "ssl") != nil || ListenHas(l, "quic") != nil {
			return l
		}
	}
	return nil
}

// IsTLS reports whether the server terminates TLS: a `listen ... ssl|quic`,
// or the old `ssl on` (in the server or inherited), or STARTTLS for mail.
func (c *Config) IsTLS(s *Server) bool {
	if s.TLSListen() != nil {
		return true
	}
	if d := c.Effective(s.Block, "ssl"); d != nil && len(d.Args) > 0 && d.Args[0].Value == "on" {
		return true
	}
	if s.Module == Mail {
		if d := c.Effective(s.Block, "starttls"); d != nil && len(d.Args) > 0 && d.Args[0].Value != "off" {
			return true
		}
	}
	return false
}

// ServerOf returns the server block that encloses a directive, or nil.
func (c *Config) ServerOf(d *syntax.Directive) *Server {
	for p := d; p != nil; p = p.Parent {
		if s := c.serverOf[p]; s != nil {
			return s
		}
	}
	return nil
}

// ServersUnder returns the servers that a directive at http/stream/mail (or
// fragment top) level applies to: those in the same enclosing block.
func (c *Config) ServersUnder(d *syntax.Directive) []*Server {
	var out []*Server
	for _, s := range c.Servers {
		if s.Block.Parent != d.Parent {
			continue
		}
		if d.Parent == nil && c.topOf[s.Block] != c.topOf[d] {
			continue // top levels of different files
		}
		out = append(out, s)
	}
	return out
}

// ContextOf returns the context a directive lands in (main, http, server,
// location, stream server, ...). For the top level of a fragment it guesses
// from the contents: server blocks make it http, listen or location make it
// a server; it returns directives.Any when nothing tells.
func (c *Config) ContextOf(d *syntax.Directive) directives.Context {
	if d.Parent == nil {
		return c.topContext(c.topOf[d])
	}
	parent := c.ContextOf(d.Parent)
	if parent == directives.Any {
		// A block in a fragment of unknown context: take the first guess
		// the block's name allows.
		for _, p := range []directives.Context{directives.Main, directives.HTTP, directives.Server, directives.Location} {
			if ctx := directives.BlockContext(d.Parent.Name.Value, p); ctx != 0 {
				return ctx
			}
		}
		return directives.Any
	}
	if ctx := directives.BlockContext(d.Parent.Name.Value, parent); ctx != 0 {
		return ctx
	}
	return directives.Any
}

func (c *Config) topContext(r *root) directives.Context {
	if r == nil {
		return directives.Any
	}
	if r.file == c.Main && c.Main != nil {
		return directives.Main
	}
	if ctx, ok := DeclaredContext(r.file); ok {
		return ctx
	}
	guess := directives.Any
	for _, d := range r.list {
		switch d.Name.Value {
		case "http", "events", "stream", "mail", "worker_processes", "user", "pid", "load_module", "include_main":
			return directives.Main
		case "server", "upstream", "map", "geo":
			if d.Block != nil {
				guess = directives.HTTP
			}
		case "listen", "server_name", "location":
			if guess == directives.Any {
				guess = directives.Server
			}
		}
	}
	return guess
}
