package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FS is how the configuration layer reads files: the disk for the command
// line, the editor's unsaved buffers first for the language server. Rules
// never open files themselves; they ask the Config (ReadFile), so both front
// ends see the same text.
type FS interface {
	ReadFile(name string) ([]byte, error)
	// Glob returns the names matching pattern, sorted, as filepath.Glob.
	Glob(pattern string) ([]string, error)
}

// OSFS reads the real file system.
type OSFS struct{}

func (OSFS) ReadFile(name string) ([]byte, error) { return ReadFile(name) }

func (OSFS) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

func (OSFS) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

func (OSFS) RealPath(name string) (string, error) { return filepath.EvalSymlinks(name) }

// StatFS is an FS that knows files' modes and links (the disk does; an
// nginx -T dump does not).
type StatFS interface {
	FS
	Stat(name string) (fs.FileInfo, error)
	// RealPath resolves symbolic links, as filepath.EvalSymlinks does.
	RealPath(name string) (string, error)
}

// Resolve turns a path written in the configuration into a file name:
// relative paths are relative to the prefix (the directory of the main
// configuration file, as nginx resolves them).
func (c *Config) Resolve(path string) string {
	if filepath.IsAbs(path) || c.Prefix == "" {
		return MapPath(c.Paths, filepath.Clean(path))
	}
	return filepath.Join(c.Prefix, path)
}

// inside reports whether a resolved path lies in the configuration's own
// folders: under its prefix or a mapped folder.
func (c *Config) inside(path string) bool {
	under := func(dir string) bool {
		rel, err := filepath.Rel(dir, path)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if c.Prefix != "" && under(c.Prefix) {
		return true
	}
	for _, m := range c.Paths {
		if under(m.To) {
			return true
		}
	}
	return false
}

// ReadFile reads a file the configuration names (a certificate, a key, a
// dhparam file) through the configuration's FS.
func (c *Config) ReadFile(path string) ([]byte, error) {
	limit := c.maxRef
	if limit <= 0 {
		limit = MaxRefSize
	}
	return readRef(c.refs(), c.Resolve(path), limit)
}

// readRef reads a file a configuration names, refusing the system's
// folders whatever the FS (an editor's buffer, a copy with its own
// confinement): what they hold is never configuration, nor a certificate.
// A file over limit (when above 0) is refused too; the FS has read it
// within its own cap, the configuration files' one.
func readRef(fsys FS, name string, limit int64) ([]byte, error) {
	if where, ok := systemPath(name); ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &SystemFileError{Where: where}}
	}
	// Told by its size first, when the FS knows it: reading a large file
	// only to refuse it costs the read.
	if sf, ok := fsys.(StatFS); ok && limit > 0 {
		if st, err := sf.Stat(name); err == nil && st.Mode().IsRegular() && st.Size() > limit {
			return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
		}
	}
	b, err := fsys.ReadFile(name)
	if err == nil && limit > 0 && int64(len(b)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
	}
	return b, err
}

// refs is where the files a configuration names are read: Refs when set
// (an nginx -T dump holds the configuration files, the machine the
// certificates), else FS.
func (c *Config) refs() FS {
	switch {
	case c.Refs != nil:
		return c.Refs
	case c.FS != nil:
		return c.FS
	}
	return OSFS{}
}

// Stat returns the mode and size of a file the configuration names, when
// its FS knows them.
func (c *Config) Stat(path string) (fs.FileInfo, error) {
	st, err := c.statFS(path)
	if err != nil {
		return nil, err
	}
	return st.Stat(c.Resolve(path))
}

// RealPath returns the name of a file the configuration names with every
// symbolic link resolved, when its FS knows links.
func (c *Config) RealPath(path string) (string, error) {
	st, err := c.statFS(path)
	if err != nil {
		return "", err
	}
	return st.RealPath(c.Resolve(path))
}

func (c *Config) statFS(path string) (StatFS, error) {
	if where, ok := systemPath(c.Resolve(path)); ok {
		return nil, &fs.PathError{Op: "stat", Path: path, Err: &SystemFileError{Where: where}}
	}
	if st, ok := c.refs().(StatFS); ok {
		return st, nil
	}
	return nil, &fs.PathError{Op: "stat", Path: path, Err: errors.ErrUnsupported}
}

// MemFS is a file system in memory: file name to contents. It serves the
// output of `nginx -T` and tests.
type MemFS map[string][]byte

func (m MemFS) ReadFile(name string) ([]byte, error) {
	if b, ok := m[filepath.Clean(name)]; ok {
		return b, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (m MemFS) Glob(pattern string) ([]string, error) {
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, err
	}
	var out []string
	for name := range m {
		if ok, _ := filepath.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}
