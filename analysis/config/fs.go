package config

import (
	"os"
	"path/filepath"
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

func (OSFS) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

func (OSFS) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

// Resolve turns a path written in the configuration into a file name:
// relative paths are relative to the prefix (the directory of the main
// configuration file, as nginx resolves them).
func (c *Config) Resolve(path string) string {
	if filepath.IsAbs(path) || c.Prefix == "" {
		return filepath.Clean(path)
	}
	return filepath.Join(c.Prefix, path)
}

// ReadFile reads a file the configuration names (a certificate, a key, a
// dhparam file) through the configuration's FS.
func (c *Config) ReadFile(path string) ([]byte, error) {
	fs := c.FS
	if fs == nil {
		fs = OSFS{}
	}
	return fs.ReadFile(c.Resolve(path))
}
