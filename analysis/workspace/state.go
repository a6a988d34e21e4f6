package workspace

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"sync"

	"github.com/nginxls/nginxls/analysis"
	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// State is one configuration: how it is loaded, and the per-server
// findings kept from one analysis to the next.
type State struct {
	Root     string // the main configuration, or the fragment
	Fragment bool
	Prefix   string // where relative paths resolve: the main configuration's folder
	Paths    []config.PathMap
	Project  *Project // nil: none

	// confined: a copy (in a repository or a project, not /etc/nginx
	// itself) reads nothing at an absolute path outside its folders.
	confined bool
	repo     string // the repository holding it, or ""
	// prefixUnknown: a fragment no main configuration here includes; the
	// folder nginx resolves its relative paths against is a guess.
	prefixUnknown bool

	cache *analysis.Cache // shared with the state made again after a change on disk
	links sync.Map        // path -> resolve's answer
}

// inside reports whether a path lies in the configuration's folders: its
// prefix, its project, its repository, or a folder mapped to.
func (st *State) inside(path string) bool {
	if within(st.Prefix, path) || st.Project != nil && within(st.Project.Dir, path) || st.repo != "" && within(st.repo, path) {
		return true
	}
	for _, m := range st.Paths {
		if within(m.To, path) {
			return true
		}
	}
	return false
}

// Result is one analysis of a configuration.
type Result struct {
	Root        string
	Config      *config.Config
	Settings    SettingsInfo
	Diagnostics []analysis.Diagnostic
	Suppressed  []analysis.Suppressed
	Errors      []error
	// Overlays are the unsaved texts the analysis read, by file name.
	Overlays map[string]*Overlay
}

// state returns the state of a root, making it on first use. fragment
// says how to load a root seen for the first time.
func (w *Workspace) state(root string, fragment bool) (*State, error) {
	w.mu.Lock()
	st := w.states[root]
	gen := w.gen
	w.mu.Unlock()
	if st != nil {
		return st, nil
	}
	st, err := w.newState(root, fragment, new(analysis.Cache))
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	switch old := w.states[root]; {
	case old != nil:
		st = old // made meanwhile
	case w.gen == gen: // else made from what an invalidation since forgot
		w.states[root] = st
	}
	w.mu.Unlock()
	return st, nil
}

// newState decides how a configuration is loaded, from the disk as it is
// now: its project, prefix, mappings and confinement.
func (w *Workspace) newState(root string, fragment bool, cache *analysis.Cache) (*State, error) {
	p, err := w.projectFor(filepath.Dir(root))
	if err != nil {
		return nil, err
	}
	st := &State{Root: root, Fragment: fragment, Project: p, Prefix: filepath.Dir(root), cache: cache}
	if fragment {
		st.Prefix, st.prefixUnknown = w.fragmentPrefix(root, p), true
	}
	st.Paths = w.pathMaps(st.Prefix, p)
	st.repo = w.repository(root)
	live := st.Prefix == "/etc/nginx" || realPath(st.Prefix) == "/etc/nginx"
	st.confined = !live && (p != nil || st.repo != "")
	return st, nil
}

// refreshStates makes every configuration's state again from the disk as
// it is now, keeping its analysis cache: a file changed may have moved a
// fragment's prefix, a repository or the editor's settings.
func (w *Workspace) refreshStates() {
	w.mu.Lock()
	old := make([]*State, 0, len(w.states))
	for _, st := range w.states {
		old = append(old, st)
	}
	w.mu.Unlock()
	for _, st := range old {
		ns, err := w.newState(st.Root, st.Fragment, st.cache)
		w.mu.Lock()
		if w.states[st.Root] == st {
			if err != nil {
				delete(w.states, st.Root)
			} else {
				w.states[st.Root] = ns
			}
		}
		w.mu.Unlock()
	}
}

// pathMaps are the folders nginx sees mapped to folders here: the front
// end's, the project's, then /etc/nginx to the configuration's own folder,
// so that a copy of /etc/nginx is checked as itself and never mixed with
// this machine's.
func (w *Workspace) pathMaps(prefix string, p *Project) []config.PathMap {
	w.mu.Lock()
	out := append([]config.PathMap(nil), w.opts.Overrides.Paths...)
	w.mu.Unlock()
	if p != nil {
		out = append(out, p.Paths...)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].From) > len(out[j].From) })
	if realPath(prefix) != "/etc/nginx" && prefix != "/etc/nginx" {
		out = append(out, config.PathMap{From: "/etc/nginx", To: prefix})
	}
	return out
}

// loadOptions say how a configuration is loaded: its files named as the
// user knows them, its prefix and mappings.
func (w *Workspace) loadOptions(st *State) config.Options {
	return config.Options{
		Parse:         func(name string, src []byte) *syntax.File { return w.parse.Parse(w.nameIn(st, name), src) },
		Prefix:        st.Prefix,
		Paths:         st.Paths,
		Fragment:      st.Fragment,
		PrefixUnknown: st.prefixUnknown,
		Copy:          st.confined,
		MaxRefSize:    min(config.MaxRefSize, w.MaxFileSize(st)),
	}
}

// Analyze loads a configuration from the newest texts and analyses it.
func (w *Workspace) Analyze(ctx context.Context, root string) (*Result, error) {
	w.mu.Lock()
	st := w.states[root]
	w.mu.Unlock()
	if st == nil {
		// A root is a main configuration or a fragment, as RootsOf found.
		var err error
		if st, err = w.state(root, !w.isMain(root)); err != nil {
			return nil, err
		}
	}
	rfs := w.files(st)
	cfg, err := config.Open(rfs, st.Root, w.loadOptions(st))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", st.Root, err)
	}
	if config.IsMain(cfg.Files[0]) == st.Fragment {
		// Edited from a fragment into a main configuration, or back: its
		// prefix and context are another's now.
		w.mu.Lock()
		delete(w.states, root)
		w.mu.Unlock()
		if st, err = w.state(root, !st.Fragment); err != nil {
			return nil, err
		}
		rfs = w.files(st)
		if cfg, err = config.Open(rfs, st.Root, w.loadOptions(st)); err != nil {
			return nil, fmt.Errorf("%s: %w", st.Root, err)
		}
	}
	si := w.settings(st.Project)
	res := st.cache.Analyze(ctx, cfg, w.opts.Analyzers, si.Settings)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Result{Root: st.Root, Config: cfg, Settings: si, Diagnostics: res.Diagnostics,
		Suppressed: res.Suppressed, Errors: res.Errors, Overlays: rfs.used}, nil
}

// reach returns the files of the result whose real path is among want,
// with every file they include, directly or not.
func (r *Result) reach(want map[string]bool, realPath func(string) string) map[*syntax.File]bool {
	out := map[*syntax.File]bool{}
	var queue []*syntax.File
	for _, f := range r.Config.Files {
		if want[realPath(f.Name)] || want[f.Name] {
			out[f] = true
			queue = append(queue, f)
		}
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		for _, inc := range r.Config.Includes {
			if inc.File != f {
				continue
			}
			for _, t := range inc.Targets {
				if !out[t] {
					out[t] = true
					queue = append(queue, t)
				}
			}
		}
	}
	return out
}

// AnalyzeAlone analyses a text on its own, its includes not followed: an
// editor buffer that is no file on disk (untitled:), or a file whose
// project file cannot be used. The files it names are read as usual; the
// findings of its servers are kept for the next analysis under name.
func (w *Workspace) AnalyzeAlone(ctx context.Context, name string, src []byte) (*Result, error) {
	w.mu.Lock()
	st := w.alone[name]
	if st == nil {
		st = &State{Root: name, cache: new(analysis.Cache)}
		w.alone[name] = st
	}
	w.mu.Unlock()
	rfs := w.files(nil)
	cfg := config.Load(w.parse.Parse(name, src))
	cfg.FS = rfs
	si := w.settings(nil)
	res := st.cache.Analyze(ctx, cfg, w.opts.Analyzers, si.Settings)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Result{Root: name, Config: cfg, Settings: si, Diagnostics: res.Diagnostics,
		Suppressed: res.Suppressed, Errors: res.Errors, Overlays: rfs.used}, nil
}
