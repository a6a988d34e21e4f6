package workspace

import (
	iofs "io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/nginxls/nginxls/analysis/config"
)

// fs is how a configuration's files are read: the editor's buffers first,
// then the disk through the careful reader. For a configuration with path
// mappings, symbolic links are followed with their absolute targets mapped
// too (a copy's sites-enabled/default -> /etc/nginx/sites-available/default
// reads the copy's own file), and a confined configuration reads nothing
// outside its folders.
type fs struct {
	w    *Workspace
	st   *State // nil: plain reads
	mu   sync.Mutex
	used map[string]*Overlay // the overlays read, by the name read
	max  int64               // the size cap, when not the state's
}

func (w *Workspace) files(st *State) *fs {
	return &fs{w: w, st: st, used: map[string]*Overlay{}}
}

func (f *fs) ReadFile(name string) ([]byte, error) {
	path := f.resolve(name)
	if o := f.w.overlay(name, path); o != nil {
		f.mu.Lock()
		f.used[name] = o
		f.mu.Unlock()
		return o.Text, nil
	}
	// The root itself is read wherever it leads: the user named it.
	if f.st != nil && f.st.confined && !f.st.inside(path) && Abs(name) != f.st.Root {
		return nil, &iofs.PathError{Op: "open", Path: name, Err: config.ErrNotMapped}
	}
	limit := f.max
	if limit == 0 {
		limit = f.w.MaxFileSize(f.st)
	}
	return config.ReadFileLimit(path, limit)
}

func (f *fs) Glob(pattern string) ([]string, error) {
	dir, base := filepath.Dir(pattern), filepath.Base(pattern)
	resolved := dir
	if !strings.ContainsAny(dir, "*?[") {
		// A folder reached through a link with an absolute target (a
		// copy's sites-enabled -> /etc/nginx/sites-available) is listed
		// where the mapped link leads; the matches keep the pattern's
		// folder, as nginx names them.
		resolved = f.resolve(dir)
	}
	if f.st != nil && f.st.confined && !f.st.inside(resolved) {
		return nil, config.ErrNotMapped
	}
	matches, err := filepath.Glob(filepath.Join(resolved, base))
	if err != nil {
		return nil, err
	}
	if resolved != dir {
		for i, m := range matches {
			matches[i] = filepath.Join(dir, filepath.Base(m))
		}
	}
	// Unsaved buffers of files not yet on disk match too.
	f.w.mu.Lock()
	for p := range f.w.overlays {
		if ok, _ := filepath.Match(pattern, p); ok {
			matches = append(matches, p)
		}
	}
	f.w.mu.Unlock()
	sort.Strings(matches)
	return compactStrings(matches), nil
}

func (f *fs) Stat(name string) (os.FileInfo, error) {
	path := f.resolve(name)
	if f.st != nil && f.st.confined && !f.st.inside(path) {
		return nil, &iofs.PathError{Op: "stat", Path: name, Err: config.ErrNotMapped}
	}
	return os.Stat(path)
}

func (f *fs) RealPath(name string) (string, error) {
	return filepath.EvalSymlinks(f.resolve(name))
}

// resolve follows the symbolic links of a path, mapping absolute targets
// as the configuration maps absolute paths. Without mappings it is the
// path itself (the disk follows the links).
func (f *fs) resolve(name string) string {
	if f.st == nil || len(f.st.Paths) == 0 {
		return name
	}
	return f.st.resolve(name)
}

// resolve is resolveLinks with the state's mappings, asked once per path:
// each file of a configuration is read, named and matched through it.
func (st *State) resolve(path string) string {
	if len(st.Paths) == 0 {
		return path
	}
	if r, ok := st.links.Load(path); ok {
		return r.(string)
	}
	r := resolveLinks(path, st.Paths)
	st.links.Store(path, r)
	return r
}

// realPath is realPath asked once per path and generation: a check of a
// folder asks it of the same files again and again.
func (w *Workspace) realPath(path string) string {
	w.mu.Lock()
	reals := w.reals
	w.mu.Unlock()
	if r, ok := reals.Load(path); ok {
		return r.(string)
	}
	r := realPath(path)
	reals.Store(path, r)
	return r
}

// maxLinks is how many links a path may go through, as Linux's ELOOP.
const maxLinks = 40

// resolveLinks is filepath.EvalSymlinks with absolute link targets mapped.
// A part that does not exist ends the walk; the rest is kept as written. A
// loop stops after maxLinks links (the read then fails as the disk's).
func resolveLinks(path string, maps []config.PathMap) string {
	path = filepath.Clean(path)
	if !filepath.IsAbs(path) {
		return path
	}
	hops := 0
	cur := string(filepath.Separator)
	rest := strings.Split(strings.TrimPrefix(path, cur), string(filepath.Separator))
	for i := 0; i < len(rest); i++ {
		if rest[i] == "" {
			continue
		}
		next := filepath.Join(cur, rest[i])
		st, err := os.Lstat(next)
		if err != nil {
			return filepath.Join(append([]string{next}, rest[i+1:]...)...)
		}
		if st.Mode()&os.ModeSymlink == 0 {
			cur = next
			continue
		}
		hops++
		target, err := os.Readlink(next)
		if err != nil || hops > maxLinks {
			return path
		}
		if filepath.IsAbs(target) {
			target = config.MapPath(maps, filepath.Clean(target))
		} else {
			target = filepath.Join(cur, target)
		}
		joined := filepath.Join(append([]string{target}, rest[i+1:]...)...)
		cur = string(filepath.Separator)
		rest = strings.Split(strings.TrimPrefix(joined, cur), string(filepath.Separator))
		i = -1
	}
	return cur
}

func compactStrings(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// overlay is the buffer of a file read as name, which resolves to path.
func (w *Workspace) overlay(name, path string) *Overlay {
	w.mu.Lock()
	n := len(w.overlays)
	w.mu.Unlock()
	if n == 0 {
		return nil
	}
	name, path = Abs(name), Abs(path)
	real := w.realPath(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range []string{name, path} {
		if o := w.overlays[p]; o != nil {
			return o
		}
	}
	if p, ok := w.real[real]; ok {
		return w.overlays[p]
	}
	return nil
}

// nameIn is the name a file read as path is reported under in a
// configuration: the name the user knows it by (the buffer's, the command
// line's), else the file a link leads to (sites-available/app, not the
// sites-enabled/app link nginx reads it through), else path.
func (w *Workspace) nameIn(st *State, path string) string {
	resolved := path
	if st != nil && len(st.Paths) > 0 {
		resolved = st.resolve(path)
	} else {
		resolved = w.realPath(path)
	}
	real := w.realPath(resolved)
	w.mu.Lock()
	p, ok := w.preferred[real]
	w.mu.Unlock()
	if ok {
		return p
	}
	if resolved != path {
		if l, err := os.Lstat(path); err == nil && l.Mode()&os.ModeSymlink != 0 {
			return resolved // the file itself is a link: name what it leads to
		}
	}
	return path
}
