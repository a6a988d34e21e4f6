package config

import (
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

// mapPath rewrites an absolute path by the first mapping whose From holds
// it; maps are tried in order (longest From first, as the workspace sorts
// them).
func mapPath(maps []PathMap, path string) string {
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
