package config

import (
	"errors"
	"path/filepath"
	"strings"
)

// PathMap says where a folder nginx sees (an absolute path written in the
// configuration) is found on the checking machine: a copy of /etc/nginx in
// a repository, /etc/letsencrypt mapped to a folder of test files.
type PathMap struct {
	From string // absolute, clean: the folder nginx sees
	To   string // absolute, clean: the folder here
}

// MapPath rewrites an absolute path by the first mapping whose From holds
// it; maps are tried in order (longest From first, as the workspace sorts
// them).
func MapPath(maps []PathMap, path string) string {
	for _, m := range maps {
		if path == m.From {
			return m.To
		}
		if rest, ok := strings.CutPrefix(path, m.From); ok && (strings.HasPrefix(rest, string(filepath.Separator)) || m.From == string(filepath.Separator)) {
			return filepath.Join(m.To, rest)
		}
	}
	return path
}

// ErrNotMapped is why a copy of a configuration does not read a file at an
// absolute path outside its own folders: this machine's /etc/letsencrypt or
// /etc/ssl is not the server's. A path mapping makes such a folder one of
// its own.
var ErrNotMapped = errors.New("outside the configuration's folders and not mapped")
