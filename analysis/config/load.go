package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis/directives"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// Include is an include directive and the files it pulled in.
type Include struct {
	File    *syntax.File      // the file that holds the directive
	Dir     *syntax.Directive // the directive, as in File
	Targets []*syntax.File
}

// Problem is an include that nginx could not follow: a missing file, a
// cycle, a glob with too many matches.
type Problem struct {
	File *syntax.File
	Span syntax.Span
	Msg  string
	// Outside: the file lies outside the configuration's folders and is
	// only missing here, not necessarily where nginx runs.
	Outside bool
	// Packaged: the file is one nginx's packages install beside nginx.conf
	// (mime.types, fastcgi_params, ...), present wherever nginx is.
	Packaged bool
	// NotRead: nginxls chose not to read the file (over its size cap);
	// nothing is known of nginx's view of it.
	NotRead bool
}

// Limits that keep a hostile or broken tree from hanging the loader.
const (
	maxGlobMatches = 1024
	maxCopies      = 200_000 // directives in the expanded tree: far above real trees (3,000 servers of 10 lines), far below what exponential include chains reach
	// The expanded tree holds at most freeCopies directives plus
	// copiesPerDirective for each directive of the files read: real trees
	// repeat snippets a few times over (a 20-line snippet in each of a
	// thousand 3-line servers is 7 copies per directive), while a chain
	// of files that each include the next ten times makes a kilobyte
	// expand to the whole of maxCopies, and the analysis cost as much.
	freeCopies         = 20_000
	copiesPerDirective = 64
)

// Parser parses a file's text; the language server passes one that reuses
// the trees of unchanged files.
type Parser func(name string, src []byte) *syntax.File

// LoadTree loads a whole configuration as nginx does: the main file and,
// recursively, every file it includes, expanded in place. Relative include
// paths are resolved against the directory of the main file (nginx's conf
// prefix). Files are read through fsys; parse may be nil.
func LoadTree(fsys FS, main string, parse Parser) (*Config, error) {
	return Open(fsys, main, Options{Parse: parse})
}

// Options say how Open loads a configuration.
type Options struct {
	Parse Parser // nil: syntax.Parse
	// Prefix is the folder relative paths resolve against; "" is the
	// root file's own.
	Prefix string
	// Paths map absolute folders nginx sees to folders here.
	Paths []PathMap
	// Fragment says the root is not a main configuration but a file meant
	// to be included (a site file no configuration here includes): its
	// context is declared or guessed, not main.
	Fragment bool
	// PrefixUnknown says the prefix is a guess (a fragment no main
	// configuration includes): a relative include missing there is not
	// nginx's failure.
	PrefixUnknown bool
	// Copy says the configuration is a copy (in a repository), not the
	// one nginx runs: files nginx's packages install may be left out.
	Copy bool
	// MaxRefSize caps the certificates, keys and other files the
	// configuration names (0: MaxRefSize).
	MaxRefSize int64
}

// Open loads the configuration rooted at the file name with every file it
// includes, as LoadTree does, with the prefix and path mappings of o.
func Open(fsys FS, name string, o Options) (*Config, error) {
	if fsys == nil {
		fsys = OSFS{}
	}
	parse := o.Parse
	if parse == nil {
		parse = syntax.Parse
	}
	src, err := fsys.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if IsBinary(src) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrBinary}
	}
	c := newConfig()
	c.FS, c.Prefix, c.Paths = fsys, filepath.Dir(name), o.Paths
	if o.Prefix != "" {
		c.Prefix = o.Prefix
	}
	c.prefixUnknown, c.copy = o.PrefixUnknown, o.Copy
	c.maxRef = o.MaxRefSize
	l := &loader{c: c, fs: fsys, parse: parse, files: map[string]*syntax.File{}}
	mf := parse(name, src)
	l.files[filepath.Clean(name)] = mf
	if !o.Fragment {
		c.Main = mf
	}
	c.Files = []*syntax.File{mf}
	if !hasInclude(mf.Directives) {
		// Nothing to splice in: the file's own tree is the configuration,
		// and copying it (as expand does) would only cost time.
		c.roots = []*root{{file: mf, list: mf.Directives}}
		c.build()
		return c, nil
	}
	c.instances = map[*syntax.Directive][]*syntax.Directive{}
	l.count(mf)
	list := l.expand(mf, mf.Directives, nil, 0, []string{filepath.Clean(name)})
	c.roots = []*root{{file: mf, list: list}}
	c.build()
	return c, nil
}

func hasInclude(ds []*syntax.Directive) bool {
	found := false
	syntax.Walk(ds, func(d *syntax.Directive) bool {
		found = found || d.Name.Value == "include"
		return !found
	})
	return found
}

type loader struct {
	c      *Config
	fs     FS
	parse  Parser
	files  map[string]*syntax.File // by clean path: each file is parsed once
	failed map[string]error        // and each file that cannot be read is read once
	copies int
	full   bool // the bound of copies reached
	source int  // directives in the files read
	// at is the include whose files are being expanded (the innermost),
	// where reaching a bound is reported.
	atFile *syntax.File
	at     *syntax.Word
	deep   bool // the nesting bound reached

	reported map[Problem]bool
}

// maxCopies is how many directives the expanded tree may hold, given the
// files read so far.
func (l *loader) maxCopies() int {
	return min(maxCopies, freeCopies+copiesPerDirective*l.source)
}

// count notes the directives of a file read.
func (l *loader) count(f *syntax.File) {
	syntax.Walk(f.Directives, func(*syntax.Directive) bool { l.source++; return true })
}

// expand copies the directives of f under parent, replacing nothing: an
// include stays in place (for links and go-to-definition) and the top-level
// directives of its targets follow it, as nginx reads them there.
//
// depth is parent's: how many blocks enclose the directives. Blocks
// nested past syntax.MaxDepth through includes are copied without their
// bodies, as the parser leaves the bodies of a file's own.
func (l *loader) expand(f *syntax.File, ds []*syntax.Directive, parent *syntax.Directive, depth int, stack []string) []*syntax.Directive {
	out := make([]*syntax.Directive, 0, len(ds))
	for _, d := range ds {
		if max := l.maxCopies(); l.copies >= max {
			if !l.full {
				l.full = true
				l.hole(nil)
				msg := fmt.Sprintf("the configuration expands past %d directives (from %d in its files): the rest is not analysed", max, l.source)
				if l.at != nil {
					l.problem(l.atFile, l.at.Span, "through this include, "+msg)
				} else {
					l.problem(f, d.Name.Span, msg)
				}
			}
			break
		}
		l.copies++
		cp := new(syntax.Directive)
		*cp = *d
		cp.Parent = parent
		l.c.fileOf[cp] = f
		l.c.instances[d] = append(l.c.instances[d], cp)
		if d.Block != nil {
			b := *d.Block
			switch {
			case b.Lua != nil:
			case depth+1 > syntax.MaxDepth && len(b.Directives) > 0:
				b.Directives = nil
				l.hole(cp)
				if !l.deep {
					l.deep = true
					l.problem(f, d.Name.Span, fmt.Sprintf("blocks nest more than %d deep here through includes: the body of this %s block is not analysed",
						syntax.MaxDepth, syntax.Quote(d.Name.Value)))
				}
			default:
				b.Directives = l.expand(f, d.Block.Directives, cp, depth+1, stack)
			}
			cp.Block = &b
		}
		out = append(out, cp)
		if d.Name.Value == "include" && d.Block == nil {
			out = append(out, l.include(f, d, parent, depth, stack)...)
		}
	}
	return out
}

func (l *loader) include(f *syntax.File, d *syntax.Directive, parent *syntax.Directive, depth int, stack []string) []*syntax.Directive {
	inc := &Include{File: f, Dir: d}
	l.c.Includes = append(l.c.Includes, inc)
	if len(d.Args) != 1 {
		return nil // nginx: invalid number of arguments; the directive table says so
	}
	arg := d.Args[0]
	if strings.Contains(arg.Value, "${") {
		l.hole(parent)
		return nil // an envsubst placeholder: the path is only known at deploy time
	}
	path := l.c.Resolve(arg.Value)
	var paths []string
	if strings.ContainsAny(arg.Value, "*?[") {
		matches, err := l.fs.Glob(path)
		if err != nil {
			l.hole(parent)
			l.problem(f, arg.Span, fmt.Sprintf("invalid include pattern %s: %v", syntax.Quote(arg.Value), err))
			return nil
		}
		if len(matches) > maxGlobMatches {
			l.hole(parent)
			l.problem(f, arg.Span, fmt.Sprintf("%s matches %d files; only the first %d are analysed", syntax.Quote(arg.Value), len(matches), maxGlobMatches))
			matches = matches[:maxGlobMatches]
		}
		paths = visible(path, matches) // no match is fine for nginx
	} else {
		paths = []string{path}
	}
	var out []*syntax.Directive
	for _, p := range paths {
		p = filepath.Clean(p)
		if i := indexOf(stack, p); i >= 0 {
			l.problem(f, arg.Span, "include cycle: "+cycle(append(append([]string{}, stack[i:]...), p)))
			continue
		}
		tf, err := l.file(p)
		if err != nil {
			l.hole(parent)
			l.unreadable(f, arg, p, err)
			continue
		}
		inc.Targets = append(inc.Targets, tf)
		atFile, at := l.atFile, l.at
		l.atFile, l.at = f, arg
		out = append(out, l.expand(tf, tf.Directives, parent, depth, append(stack, p))...)
		l.atFile, l.at = atFile, at
	}
	return out
}

func (l *loader) file(path string) (*syntax.File, error) {
	if f, ok := l.files[path]; ok {
		return f, nil
	}
	if err, ok := l.failed[path]; ok {
		return nil, err
	}
	src, err := readRef(l.fs, path, 0) // the FS's cap
	if err == nil && IsBinary(src) {
		// Not parsed: its "words" are whatever it holds.
		err = &fs.PathError{Op: "read", Path: path, Err: ErrBinary}
	}
	if err != nil {
		if l.failed == nil {
			l.failed = map[string]error{}
		}
		l.failed[path] = err
		return nil, err
	}
	f := l.parse(path, src)
	l.count(f)
	l.files[path] = f
	l.c.Files = append(l.c.Files, f)
	return f, nil
}

// problem reports an include that could not be followed, once however
// many times its file is included.
func (l *loader) problem(f *syntax.File, s syntax.Span, msg string) {
	l.add(Problem{File: f, Span: s, Msg: msg})
}

func (l *loader) add(p Problem) {
	if l.reported == nil {
		l.reported = map[Problem]bool{}
	}
	if !l.reported[p] {
		l.reported[p] = true
		l.c.Problems = append(l.c.Problems, p)
	}
}

// unreadable reports an included file that could not be read. A file the
// configuration's own folders should hold is nginx's own failure; an
// absolute path outside them (/etc/letsencrypt/... in a repository) is only
// absent from this machine, which says nothing of the server's. The
// messages are one short sentence on the include's argument; the findings
// held back meanwhile are explained in the nginx-include rule's Doc.
func (l *loader) unreadable(f *syntax.File, arg *syntax.Word, path string, err error) {
	// What the file is, not where it is, is the matter: no mapping helps.
	var sys *SystemFileError
	switch {
	case errors.As(err, &sys) && sys.Where == "the standard input":
		l.problem(f, arg.Span, fmt.Sprintf("%s is not read: it is nginxls's own standard input, not a configuration", syntax.Quote(path)))
		return
	case errors.As(err, &sys):
		l.problem(f, arg.Span, fmt.Sprintf("%s is not read: the files of %s hold the system's state, not configuration", syntax.Quote(path), sys.Where))
		return
	case errors.Is(err, ErrBinary):
		l.problem(f, arg.Span, fmt.Sprintf("%s is not a configuration: it holds NUL bytes (a binary file), so it is not analysed", syntax.Quote(path)))
		return
	}
	own := errors.Is(err, fs.ErrNotExist) && packaged(arg.Value)
	if l.c.prefixUnknown && (!filepath.IsAbs(arg.Value) || strings.HasPrefix(arg.Value, "/etc/nginx/")) {
		l.add(Problem{File: f, Span: arg.Span, Outside: true, Packaged: own,
			Msg: "no main configuration here includes this file, so where nginx finds this include is not known"})
		return
	}
	if own && l.c.copy {
		l.add(Problem{File: f, Span: arg.Span, Outside: true, Packaged: true, Msg: fmt.Sprintf(
			"%s is not in this folder: nginx's packages install it beside nginx.conf, and that copy is not checked",
			filepath.Base(arg.Value))})
		return
	}
	if filepath.IsAbs(arg.Value) && !l.c.inside(path) || errors.Is(err, ErrNotMapped) {
		l.add(Problem{File: f, Span: arg.Span, Outside: true, Msg: fmt.Sprintf(
			"this file cannot be read here (%v): map its folder with --path %s=DIR or .nginxls.toml [paths]",
			pathErr(err), syntax.Excerpt(filepath.Dir(arg.Value)))})
		return
	}
	if errors.Is(err, ErrTooLarge) {
		l.add(Problem{File: f, Span: arg.Span, NotRead: true, Msg: fmt.Sprintf(
			"this file was not analysed: it is %v (the max-file-size setting raises the cap)", pathErr(err))})
		return
	}
	msg := fmt.Sprintf("open() %s failed: %v", syntax.Quote(path), pathErr(err))
	if errors.Is(err, fs.ErrNotExist) {
		msg = fmt.Sprintf("open() %s failed (No such file or directory): nginx will not start", syntax.Quote(path))
	}
	l.problem(f, arg.Span, msg)
}

// packagedFiles are the files nginx's packages (and Docker's nginx
// image) install beside nginx.conf: a repository holding only its own
// nginx.conf and sites usually leaves them out, and nginx finds them where
// it runs.
var packagedFiles = map[string]bool{
	"mime.types": true, "fastcgi_params": true, "fastcgi.conf": true, "scgi_params": true,
	"uwsgi_params": true, "proxy_params": true, "koi-utf": true, "koi-win": true, "win-utf": true,
	"fastcgi-php.conf": true, "snakeoil.conf": true,
}

// packaged reports an include of one of the packaged files.
func packaged(arg string) bool {
	return packagedFiles[filepath.Base(arg)]
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// hole records that an include in block (nil: the top level) could not be
// followed: what the block holds and what its children inherit is not
// known for certain.
func (l *loader) hole(block *syntax.Directive) {
	if l.c.holes == nil {
		l.c.holes = map[*syntax.Directive]bool{}
	}
	l.c.holes[block] = true
}

// visible drops the matches glob(3), which nginx uses, would not return:
// names starting with a dot (editor lock and backup files, disabled
// snippets) unless the pattern's name starts with one too.
func visible(pattern string, matches []string) []string {
	if strings.HasPrefix(filepath.Base(pattern), ".") {
		return matches
	}
	out := matches[:0:0]
	for _, m := range matches {
		if !strings.HasPrefix(filepath.Base(m), ".") {
			out = append(out, m)
		}
	}
	return out
}

// cycle names the files of an include cycle, the long ones cut short.
func cycle(paths []string) string {
	names := make([]string, 0, len(paths))
	for i, p := range paths {
		if len(paths) > 8 && i == 3 {
			names = append(names, "…")
		}
		if len(paths) > 8 && i >= 3 && i < len(paths)-3 {
			continue
		}
		names = append(names, syntax.Excerpt(filepath.Base(p)))
	}
	return strings.Join(names, " → ")
}

func indexOf(ss []string, s string) int {
	for i, x := range ss {
		if x == s {
			return i
		}
	}
	return -1
}

// DeclaredContext reads a `# nginxls: context http` comment (or server,
// location, stream, main, ...), which tells the context of a fragment that
// no loaded configuration includes. Only a comment outside every block
// counts: the file's top level is what it speaks of (and what is inside a
// server block may change without the others being judged again).
func DeclaredContext(f *syntax.File) (directives.Context, bool) {
	top := f.Directives // in order, as the comments are
	for _, cm := range f.Comments {
		for len(top) > 0 && top[0].End() <= cm.Start && (top[0].Block == nil || top[0].Block.Close >= 0) {
			top = top[1:]
		}
		if len(top) > 0 && cm.Start > top[0].Start() && (top[0].Block != nil && top[0].Block.Close < 0 || cm.Start < top[0].End()) {
			continue // inside a directive: its block, or between its words
		}
		text := strings.TrimSpace(strings.TrimPrefix(f.Text(cm), "#"))
		rest, ok := strings.CutPrefix(text, "nginxls:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) == 2 && fields[0] == "context" {
			if ctx, ok := directives.ParseContext(fields[1]); ok {
				return ctx, true
			}
		}
	}
	return 0, false
}

// ParseCache is a Parser that reuses the tree of a file whose text has not
// changed since it was last parsed, and the rest of the tree of a file
// edited since (syntax.Reparse): re-loading a configuration after an edit
// re-parses only the edited block of the edited file. It is safe for
// concurrent use.
type ParseCache struct {
	mu    sync.Mutex
	files map[string]*syntax.File
}

// Parse returns the cached tree when name's text is unchanged.
func (p *ParseCache) Parse(name string, src []byte) *syntax.File {
	p.mu.Lock()
	f := p.files[name]
	p.mu.Unlock()
	switch {
	case f != nil && bytes.Equal(f.Src, src):
		return f
	case f != nil:
		f = syntax.Reparse(f, src) // an edit: the edited block alone is read again
	default:
		f = syntax.Parse(name, src)
	}
	p.mu.Lock()
	if p.files == nil {
		p.files = map[string]*syntax.File{}
	}
	p.files[name] = f
	p.mu.Unlock()
	return f
}

// Reset drops every tree (the configurations that read them are gone).
func (p *ParseCache) Reset() {
	p.mu.Lock()
	p.files = nil
	p.mu.Unlock()
}

// IsMain reports whether a file is a main configuration (not a fragment
// meant to be included): it has a block of the main context (http, events,
// stream, mail), or it is called nginx.conf and its top level is not an
// http fragment (server, location or upstream blocks, as some projects ship
// a site under that name).
func IsMain(f *syntax.File) bool {
	fragment := false
	for _, d := range f.Directives {
		if d.Block == nil {
			continue
		}
		switch d.Name.Value {
		case "http", "events", "stream", "mail":
			return true
		case "server", "location", "upstream":
			fragment = true
		}
	}
	return !fragment && filepath.Base(f.Name) == "nginx.conf"
}
