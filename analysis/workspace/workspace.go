// Package workspace is the session both front ends go through: it holds the
// files (the disk, plus an editor's unsaved text), the project file, finds
// the configurations nginx loads each file from, keeps their parse trees
// and analysis caches, and answers "the findings for these files". The
// command line and the language server only translate and schedule.
//
// A configuration is known by its root: a main configuration (nginx.conf,
// or a file with an http, events, stream or mail block) with everything it
// includes, or a fragment that no main configuration here includes, with
// what it includes itself. Each root has one State; dropping one is one
// step.
package workspace

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
)

// Options are what the front end decides: its flags or editor settings,
// which override the project file.
type Options struct {
	Overrides Overrides
	// Roots bound the search for configurations above a file when no
	// project file or repository says where the project ends (the
	// editor's workspace folders); their nginx.conf is a candidate for
	// every file.
	Roots []string
	// Confine keeps discovery inside Roots when there are any (the
	// language server, which should read nothing of a folder above the
	// one the user opened): main configurations and project files above
	// the deepest root holding a file are not looked for, and a file
	// outside every root is judged alone (or in the main configuration
	// named by the Main override).
	Confine bool
	// Analyzers are the rules to run.
	Analyzers []*analysis.Analyzer
	// DetectNginx, when set, asks the nginx on this machine for its version
	// (nginx -v); it is used when neither an override nor the project file
	// sets one.
	DetectNginx func() (config.Version, bool)
	// DetectSystem, when set, tells the platform, the OpenSSL nginx runs
	// with and the system configuration's security level (see System);
	// used for what neither an override nor the project file sets.
	DetectSystem func() System
}

// Overlay is an editor's unsaved text of a file. Tag is the front end's
// own (the document snapshot), handed back in results so that it can tell
// which versions an analysis read.
type Overlay struct {
	Text []byte
	Tag  any
}

// Workspace is the session. It is safe for concurrent use.
type Workspace struct {
	opts Options

	mu        sync.Mutex
	overlays  map[string]*Overlay        // by clean absolute path
	real      map[string]string          // an overlay's real path -> its path
	preferred map[string]string          // real path -> the name the user knows it by
	states    map[string]*State          // by root
	alone     map[string]*State          // texts analysed alone, by name
	roots     map[string][]string        // file -> the roots it is judged in, once decided
	loaded    map[string]map[string]bool // main -> the real paths it reads
	gen       int                        // moves on when what was learnt from disk is forgotten
	projects  map[string]*projectEntry
	mains     map[string][]string // folder -> the main configurations in it
	repos     map[string]string   // folder -> the repository's root holding it, or ""
	reals     *sync.Map           // path -> its real path, this generation
	parse     config.ParseCache
	detected  *detection
}

type projectEntry struct {
	p   *Project
	err error
}

type detection struct {
	once    sync.Once
	v       config.Version
	ok      bool
	sysOnce sync.Once
	sys     System
}

// New makes a workspace.
func New(opts Options) *Workspace {
	w := &Workspace{opts: opts, detected: &detection{}}
	w.reset()
	return w
}

func (w *Workspace) reset() {
	w.overlays = map[string]*Overlay{}
	w.real = map[string]string{}
	w.preferred = map[string]string{}
	w.states = map[string]*State{}
	w.alone = map[string]*State{}
	w.roots = map[string][]string{}
	w.loaded = map[string]map[string]bool{}
	w.projects = map[string]*projectEntry{}
	w.mains = map[string][]string{}
	w.repos = map[string]string{}
	w.reals = new(sync.Map)
}

// Abs is the workspace's name of a path: absolute and clean.
func Abs(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// realPath resolves symbolic links; a path that cannot be resolved is its
// own.
func realPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}

// SetOverlay records an editor's unsaved text of a file; nil removes it.
// The configurations that read the file are analysed again when asked.
func (w *Workspace) SetOverlay(path string, o *Overlay) {
	path = Abs(path)
	r := realPath(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	if o == nil {
		delete(w.overlays, path)
		// Another buffer of the same file (opened through a link) stays
		// the one read and the name findings carry.
		other := ""
		for p := range w.overlays {
			if realPath(p) == r {
				other = p
			}
		}
		if w.real[r] == path || other != "" {
			if other != "" {
				w.real[r] = other
			} else {
				delete(w.real, r)
			}
		}
		if w.preferred[r] == path {
			if other != "" {
				w.preferred[r] = other
			} else {
				delete(w.preferred, r)
			}
		}
		return
	}
	_, known := w.overlays[path]
	w.overlays[path] = o
	w.real[r] = path
	w.preferred[r] = path
	if !known {
		// A new buffer may be a file that did not exist on disk: the
		// configurations that would include it learn of it.
		w.forgetRootsLocked()
	}
}

// Prefer makes findings in a file carry the name the user gave it (the
// command line's argument, sites-available/app rather than the
// sites-enabled/app link nginx reads it through).
func (w *Workspace) Prefer(path string) {
	path = Abs(path)
	r := realPath(path)
	w.mu.Lock()
	if _, ok := w.preferred[r]; !ok { // the first name given wins
		w.preferred[r] = path
	}
	w.mu.Unlock()
}

// Changed tells the workspace that files changed on disk (created,
// edited, deleted): which configuration each file belongs to and what
// each main configuration loads are found again. The configurations keep
// their caches, unless a project file changed: then Invalidate.
func (w *Workspace) Changed(paths []string) {
	for _, p := range paths {
		if filepath.Base(p) == ProjectFileName {
			w.Invalidate()
			return
		}
	}
	w.mu.Lock()
	w.forgetRootsLocked()
	w.mains = map[string][]string{}
	w.repos = map[string]string{}
	w.mu.Unlock()
	// Links may lead elsewhere now, a main configuration or a repository
	// may have appeared above a fragment.
	w.refreshStates()
}

// Invalidate forgets everything learnt from the disk: which configuration
// each file belongs to, the projects, the main configurations of each
// folder, and the configurations' states, whose prefix and mappings may
// have changed with the project file.
func (w *Workspace) Invalidate() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.forgetRootsLocked()
	w.projects = map[string]*projectEntry{}
	w.mains = map[string][]string{}
	w.repos = map[string]string{}
	w.states = map[string]*State{}
}

// forgetRootsLocked forgets which configurations files belong to and what
// each main configuration loads. The generation moves on, so that a
// search begun before is not stored after.
func (w *Workspace) forgetRootsLocked() {
	w.gen++
	w.reals = new(sync.Map)
	w.roots = map[string][]string{}
	w.loaded = map[string]map[string]bool{}
}

// SetRoots sets the editor's workspace folders (Options.Roots).
func (w *Workspace) SetRoots(dirs []string) {
	w.mu.Lock()
	w.opts.Roots = dirs
	w.forgetRootsLocked()
	w.mu.Unlock()
	w.refreshStates()
}

// SetOverrides replaces the front end's overrides (editor settings
// changed).
func (w *Workspace) SetOverrides(o Overrides) {
	w.mu.Lock()
	w.opts.Overrides = o
	w.forgetRootsLocked()
	w.mu.Unlock()
	w.refreshStates() // the mappings may be others
}

// Drop forgets a configuration (or a text analysed alone under that
// name): its caches, and the parse trees kept, which the configurations
// still held parse again once.
func (w *Workspace) Drop(name string) {
	w.mu.Lock()
	delete(w.states, name)
	delete(w.alone, name)
	w.mu.Unlock()
	w.parse.Reset()
}

// Held returns the names of every configuration (root) and text analysed
// alone that the workspace keeps state for.
func (w *Workspace) Held() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.states)+len(w.alone))
	for r := range w.states {
		out = append(out, r)
	}
	for n := range w.alone {
		if w.states[n] == nil {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// Check analyses the configurations the given files belong to and returns
// the findings that lie in those files and in the files they include, each
// once. A main configuration's findings are those of every file it loads.
// A fragment that another configuration of the same check includes is
// judged there, not also alone (where what it inherits is unknown).
func (w *Workspace) Check(ctx context.Context, files []string) Report {
	var rep Report
	jobs := w.checkJobs(files, &rep)
	for _, j := range jobs {
		res, err := w.Analyze(ctx, j.root)
		if err != nil {
			rep.Errors = append(rep.Errors, err)
			continue
		}
		j.res = res
	}
	w.judgeFragmentsWhereLoaded(jobs)
	w.collect(&rep, jobs)
	analysis.SortDiagnostics(rep.Diagnostics)
	rep.Diagnostics = Dedupe(rep.Diagnostics, func(d analysis.Diagnostic) analysis.Diagnostic { return d })
	rep.Suppressed = Dedupe(rep.Suppressed, func(s analysis.Suppressed) analysis.Diagnostic { return s.Diagnostic })
	return rep
}

// checkJob is a configuration a check analyses, the files whose findings
// are wanted from it (real paths), and its result.
type checkJob struct {
	root string
	want map[string]bool
	res  *Result
}

// checkJobs finds the configurations of the files, in the order of the
// files; a file that cannot be checked is an error in rep.
func (w *Workspace) checkJobs(files []string, rep *Report) []*checkJob {
	var jobs []*checkJob
	byRoot := map[string]*checkJob{}
	for _, f := range files {
		shown := f
		f = Abs(f)
		if src, err := w.readLoose(f); err != nil {
			// A link that leads nowhere here may lead into a copy once its
			// configuration maps it: let that configuration say.
			if l, lerr := os.Lstat(f); lerr != nil || l.Mode()&os.ModeSymlink == 0 || !errors.Is(err, iofs.ErrNotExist) {
				rep.Errors = append(rep.Errors, fmt.Errorf("%s: %v", shown, pathErr(err)))
				continue
			}
		} else if IsBinary(src) {
			rep.Errors = append(rep.Errors, fmt.Errorf("%s: binary file (NUL byte in the first 8 KiB), not an nginx configuration", shown))
			continue
		}
		w.Prefer(f)
		roots, err := w.RootsOf(f)
		if err != nil {
			rep.Errors = append(rep.Errors, err)
			continue
		}
		for _, r := range roots {
			j := byRoot[r]
			if j == nil {
				j = &checkJob{root: r, want: map[string]bool{}}
				byRoot[r] = j
				jobs = append(jobs, j)
			}
			j.want[w.realPath(f)] = true
			if st, err := w.state(r, false); err == nil {
				j.want[w.realPath(st.resolve(f))] = true // as the configuration maps it
			}
		}
	}
	return jobs
}

// judgeFragmentsWhereLoaded drops the result of a fragment another
// configuration of the check loads: its files are wanted from that
// configuration instead.
func (w *Workspace) judgeFragmentsWhereLoaded(jobs []*checkJob) {
	loadedBy := map[string][]*checkJob{} // real path -> the jobs that include it
	for _, j := range jobs {
		if j.res != nil {
			for _, f := range j.res.Config.Files[1:] {
				rp := w.realPath(f.Name)
				loadedBy[rp] = append(loadedBy[rp], j)
			}
		}
	}
	for _, j := range jobs {
		if j.res == nil || j.res.Config.Main != nil {
			continue
		}
		for _, other := range loadedBy[w.realPath(j.root)] {
			if other == j || other.res == nil {
				continue
			}
			for f := range j.want {
				other.want[f] = true
			}
			j.res = nil
			break
		}
	}
}

// collect takes into rep the findings of the jobs' results that lie in
// the files wanted, and their settings and errors.
func (w *Workspace) collect(rep *Report, jobs []*checkJob) {
	n := 0
	for _, j := range jobs {
		if j.res != nil {
			n += len(j.res.Diagnostics)
		}
	}
	// At most every finding: growing by doubling instead would allocate
	// about twice the findings of a large check.
	rep.Diagnostics = make([]analysis.Diagnostic, 0, n)
	for _, j := range jobs {
		res := j.res
		if res == nil {
			continue
		}
		rep.Settings = append(rep.Settings, res.Settings)
		want := res.reach(j.want, w.realPath)
		for _, d := range res.Diagnostics {
			if want[d.File] {
				rep.Diagnostics = append(rep.Diagnostics, d)
			}
		}
		for _, s := range res.Suppressed {
			if want[s.File] {
				rep.Suppressed = append(rep.Suppressed, s)
			}
		}
		rep.Errors = append(rep.Errors, res.Errors...)
	}
}

// Dedupe drops a finding that two configurations (or two reports) give
// of one file (each with its own parse of it): the same when the file
// name, the span, the rule and the message are. Findings sorted by file
// name and start (SortDiagnostics) are compared within each run of one
// name and start, in place and without a set of every finding's key
// (30 MB for 300,000 findings); other orders fall back to such a set.
func Dedupe[T any](xs []T, diag func(T) analysis.Diagnostic) []T {
	out := xs[:0]
	run := 0 // where the run of findings with this file name and start begins in out
	for i, x := range xs {
		d := diag(x)
		if run < len(out) {
			r := diag(out[run])
			// Out of order, or a run so long that comparing within it
			// would be quadratic: the set takes over.
			if c := cmp.Or(strings.Compare(r.File.Name, d.File.Name), cmp.Compare(r.Span.Start, d.Span.Start)); c > 0 || len(out)-run > 64 {
				return append(out, dedupeUnordered(xs[i:], diag, out)...)
			} else if c < 0 {
				run = len(out)
			}
		}
		if !slices.ContainsFunc(out[run:], func(y T) bool { return sameFinding(diag(y), d) }) {
			out = append(out, x)
		}
	}
	return out
}

// dedupeUnordered returns the findings of xs that are neither in kept nor
// earlier in xs.
func dedupeUnordered[T any](xs []T, diag func(T) analysis.Diagnostic, kept []T) []T {
	type key struct {
		file       string
		start, end int
		rule, msg  string
	}
	keyOf := func(d analysis.Diagnostic) key {
		return key{d.File.Name, d.Span.Start, d.Span.End, d.Rule, d.Message}
	}
	seen := map[key]bool{}
	for _, x := range kept {
		seen[keyOf(diag(x))] = true
	}
	var out []T
	for _, x := range xs {
		if k := keyOf(diag(x)); !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

func sameFinding(a, b analysis.Diagnostic) bool {
	return a.File.Name == b.File.Name && a.Span == b.Span && a.Rule == b.Rule && a.Message == b.Message
}

// MaxFileSize is the cap on each configuration file read from disk for
// a configuration (st nil: none yet): the override's (a flag, the
// editor's setting), else the project file's, else config.MaxFileSize.
// The certificates and other files a configuration names are capped at
// config.MaxRefSize, or this when lower.
func (w *Workspace) MaxFileSize(st *State) int64 {
	var p *Project
	if st != nil {
		p = st.Project
	}
	return w.maxFileSize(p)
}

func (w *Workspace) maxFileSize(p *Project) int64 {
	w.mu.Lock()
	n := w.opts.Overrides.MaxFileSize
	w.mu.Unlock()
	switch {
	case n > 0:
		return n
	case p != nil && p.MaxFileSize > 0:
		return p.MaxFileSize
	}
	return config.MaxFileSize
}

// readLoose reads a file given by its path, before any configuration
// holds it: through the editor's buffers, with the cap of the project
// file above it.
func (w *Workspace) readLoose(path string) ([]byte, error) {
	f := w.files(nil)
	if p, err := w.projectFor(filepath.Dir(path)); err == nil {
		f.max = w.maxFileSize(p)
	}
	return f.ReadFile(path)
}

// IsBinary reports a text that is no configuration: a NUL byte early on
// (config.IsBinary, which included files are held to as well).
func IsBinary(src []byte) bool { return config.IsBinary(src) }

func pathErr(err error) error {
	var pe *iofs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Report is what Check found.
type Report struct {
	Diagnostics []analysis.Diagnostic
	Suppressed  []analysis.Suppressed
	Errors      []error
	Settings    []SettingsInfo // of each configuration analysed
}
