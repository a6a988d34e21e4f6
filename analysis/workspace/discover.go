package workspace

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nginxls/nginxls/analysis/config"
)

// maxUpward bounds the search for main configurations above a file when
// neither a project file, a repository nor the editor's folder says where
// the project ends.
const maxUpward = 3

// RootsOf returns the configurations a file is judged in: the main
// configurations in its folder and the folders above it, up to the project
// root, whose includes reach it (by real path, so through globs and
// symbolic links); else the file itself, as a main configuration when it
// is one, else as a fragment. A file named nginx.conf is always its own.
func (w *Workspace) RootsOf(file string) ([]string, error) {
	file = Abs(file)
	w.mu.Lock()
	roots, ok := w.roots[file]
	gen := w.gen
	w.mu.Unlock()
	if ok {
		return roots, nil
	}
	p, err := w.projectFor(filepath.Dir(file))
	if err != nil {
		return nil, err
	}
	if filepath.Base(file) != "nginx.conf" {
		target := w.realPath(file)
		// A file on disk reached through no link is the same file in
		// every configuration's mapping: asking each (and remembering
		// the answer in each) would cost candidates x files in a folder
		// of many main configurations.
		_, lerr := os.Lstat(file)
		linked := target != file || lerr != nil
		seen := map[string]bool{file: true}
		for _, m := range w.candidates(file, p) {
			if seen[m] {
				continue
			}
			seen[m] = true
			loaded := w.loads(m)
			if loaded[target] {
				roots = append(roots, m)
			} else if !linked {
				continue
			} else if st, err := w.state(m, false); err == nil && loaded[w.realPath(st.resolve(file))] {
				// A copy's link to /etc/nginx/..., which leads into the
				// copy as that configuration maps it.
				roots = append(roots, m)
			}
		}
	}
	if len(roots) == 0 {
		if _, err := w.state(file, !w.isMain(file)); err != nil {
			return nil, err
		}
		roots = []string{file}
	}
	w.mu.Lock()
	if w.gen == gen { // not what an invalidation since would have found
		w.roots[file] = roots
	}
	w.mu.Unlock()
	return roots, nil
}

// candidates lists the main configurations that may include file: the one
// the front end or the project names, the editor folders' own, then those
// of file's folder and of every folder above it, up to the project's end.
func (w *Workspace) candidates(file string, p *Project) []string {
	var out []string
	w.mu.Lock()
	main, roots := w.opts.Overrides.Main, w.opts.Roots
	w.mu.Unlock()
	if main != "" {
		out = append(out, Abs(main))
	}
	if p != nil && p.Main != "" {
		out = append(out, p.Main)
	}
	// The editor folders' own configuration (and a repository's usual
	// nginx/ or etc/nginx/ layout), for files it includes from elsewhere.
	for _, root := range roots {
		for _, cand := range []string{"nginx.conf", "nginx/nginx.conf", "etc/nginx/nginx.conf"} {
			if p := filepath.Join(Abs(root), cand); p != file {
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					out = append(out, p)
				}
			}
		}
	}
	if root, ok := w.confinedTo(file); ok && root == "" {
		return out // outside the editor's folders: nothing above is read
	}
	w.upward(file, p, func(dir string) bool {
		out = append(out, w.mainsIn(dir)...)
		return true
	})
	return out
}

// confinedTo reports, when discovery is confined (Options.Confine and
// roots given), the deepest root that holds path, or "" when none does.
func (w *Workspace) confinedTo(path string) (root string, confined bool) {
	w.mu.Lock()
	roots, confine := w.opts.Roots, w.opts.Confine
	w.mu.Unlock()
	if !confine || len(roots) == 0 {
		return "", false
	}
	for _, r := range roots {
		if r = Abs(r); within(r, path) && len(r) > len(root) {
			root = r
		}
	}
	return root, true
}

// upward calls fn for file's folder and the folders above it, up to the
// project's end (boundary), or maxUpward levels when nothing bounds it,
// until fn returns false.
func (w *Workspace) upward(file string, p *Project, fn func(dir string) bool) {
	stop := w.boundary(file, p)
	dir := filepath.Dir(file)
	for i := 0; ; i++ {
		if !fn(dir) || dir == stop || stop == "" && i >= maxUpward {
			return
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return
		}
		dir = parent
	}
}

// boundary is the last folder searched above file: the project file's
// folder, else the repository's root, else the editor's folder; "" when
// none holds the file (the search then stops after a few levels).
func (w *Workspace) boundary(file string, p *Project) string {
	limit, confined := w.confinedTo(file)
	// A project or repository that begins above the editor's folder does
	// not take the search there when discovery is confined.
	inside := func(b string) bool { return !confined || within(limit, b) }
	if p != nil && within(p.Dir, file) && inside(p.Dir) {
		return p.Dir
	}
	if repo := w.repository(file); repo != "" && inside(repo) {
		return repo
	}
	// The deepest editor folder that holds the file.
	w.mu.Lock()
	roots := w.opts.Roots
	w.mu.Unlock()
	best := ""
	for _, r := range roots {
		if r = Abs(r); within(r, file) && len(r) > len(best) {
			best = r
		}
	}
	return best
}

// within reports whether path lies in dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// mainsIn lists the main configurations directly in a folder.
func (w *Workspace) mainsIn(dir string) []string {
	return remember(w, func() map[string][]string { return w.mains }, dir, func() []string {
		var out []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if IsConfigName(e.Name()) && w.isMain(p) {
				out = append(out, p)
			}
		}
		return out
	})
}

// remember returns what table (read under the lock: invalidations replace
// the maps) holds for key, else computes it outside the lock and stores it,
// unless the generation moved on meanwhile: an answer found from what an
// invalidation since forgot is returned, not kept.
func remember[V any](w *Workspace, table func() map[string]V, key string, compute func() V) V {
	w.mu.Lock()
	v, ok := table()[key]
	gen := w.gen
	w.mu.Unlock()
	if ok {
		return v
	}
	v = compute()
	w.mu.Lock()
	if w.gen == gen {
		table()[key] = v
	}
	w.mu.Unlock()
	return v
}

// mainWords are the blocks that make a file a main configuration; a file
// without any of these words cannot be one and is not parsed.
var mainWords = [][]byte{[]byte("http"), []byte("events"), []byte("stream"), []byte("mail")}

// IsMain reports whether a file is a main configuration: named
// nginx.conf, or holding an http, events, stream or mail block.
func (w *Workspace) IsMain(path string) bool { return w.isMain(Abs(path)) }

// isMain reports whether a file is a main configuration.
func (w *Workspace) isMain(path string) bool {
	src, err := w.readLoose(path)
	if err != nil {
		// An nginx.conf that cannot be read is still where nginx starts.
		return filepath.Base(path) == "nginx.conf"
	}
	if config.IsBinary(src) {
		return false
	}
	any := filepath.Base(path) == "nginx.conf"
	for _, word := range mainWords {
		any = any || bytes.Contains(src, word)
	}
	// Through the parse cache: a candidate that is a main configuration
	// is loaded next, and its tree is then read once.
	return any && config.IsMain(w.parse.Parse(w.nameIn(nil, path), src))
}

// loads returns the real paths of the files the configuration of main
// reads, found once per generation: every file checked in a folder asks
// it of the same few main configurations.
func (w *Workspace) loads(main string) map[string]bool {
	return remember(w, func() map[string]map[string]bool { return w.loaded }, main, func() map[string]bool {
		set := map[string]bool{}
		if st, err := w.state(main, false); err == nil {
			if cfg, err := config.Open(w.files(st), st.Root, w.loadOptions(st)); err == nil {
				for _, f := range cfg.Files {
					set[f.Name] = true
					set[w.realPath(f.Name)] = true
					set[w.realPath(st.resolve(f.Name))] = true
				}
			}
		}
		return set
	})
}

// fragmentPrefix is where a fragment's relative paths resolve, a guess
// since nothing here includes it: the folder of the nearest main
// configuration above it (the prefix nginx would use once it is included),
// else the project's main configuration's, else the folder above the
// usual sites-available/, sites-enabled/, conf.d/ or snippets/, else the
// fragment's own folder.
func (w *Workspace) fragmentPrefix(file string, p *Project) string {
	prefix := ""
	w.upward(file, p, func(dir string) bool {
		for _, m := range w.mainsIn(dir) {
			if m != file {
				prefix = dir
				return false
			}
		}
		return true
	})
	switch dir := filepath.Dir(file); {
	case prefix != "":
		return prefix
	case p != nil && p.Main != "":
		return filepath.Dir(p.Main)
	case slices.Contains([]string{"sites-available", "sites-enabled", "conf.d", "snippets"}, filepath.Base(dir)):
		return filepath.Dir(dir)
	default:
		return dir
	}
}

// projectFor returns the project file that governs a folder, read once;
// nil when there is none.
func (w *Workspace) projectFor(dir string) (*Project, error) {
	e := remember(w, func() map[string]*projectEntry { return w.projects }, dir, func() *projectEntry {
		e := &projectEntry{}
		if root, confined := w.confinedTo(dir); confined && root == "" {
			return e // outside the editor's folders: no project file is read
		} else if file := FindProject(dir); file != "" && (!confined || within(root, file)) {
			e.p, e.err = LoadProject(file, w.opts.Analyzers)
		}
		return e
	})
	return e.p, e.err
}

// FilesIn lists the files a folder's check covers, in lexical order: the
// configuration files by name (IsConfigFile). Hidden
// folders (.git) are skipped, links to files are followed, links to
// folders are not (no cycles), and the project's exclude patterns apply.
// The main configurations among them bring every file they include,
// whatever its name.
func (w *Workspace) FilesIn(root string) (files []string, errs []error) {
	abs := Abs(root)
	p, perr := w.projectFor(abs)
	if perr != nil {
		return nil, []error{perr}
	}
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if p != nil && p.Excluded(Abs(path)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !IsConfigFile(path) {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil // editor backups, disabled sites: nginx's globs skip them too
		}
		if d.Type()&os.ModeSymlink != 0 {
			// A link that leads nowhere here (a copy's link to
			// /etc/nginx/...) is read through the configuration that
			// includes it, with its target mapped.
			st, err := os.Stat(path)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		files = append(files, path)
		return nil
	})
	return files, errs
}

// repository returns the root of the repository that holds file (the
// folder with a .git entry), or "". Folders are asked once: every file of
// a check asks of the same few.
func (w *Workspace) repository(file string) string {
	return w.repositoryOf(filepath.Dir(file))
}

func (w *Workspace) repositoryOf(dir string) string {
	w.mu.Lock()
	repo, ok := w.repos[dir]
	w.mu.Unlock()
	if ok {
		return repo
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		repo = dir
	} else if parent := filepath.Dir(dir); parent != dir {
		repo = w.repositoryOf(parent)
	}
	w.mu.Lock()
	w.repos[dir] = repo // a stale answer only costs a search: Changed empties it
	w.mu.Unlock()
	return repo
}
