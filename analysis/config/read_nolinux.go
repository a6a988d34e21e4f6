//go:build !linux

package config

import (
	"os"
	"path/filepath"
)

// systemFile reports a file whose name leads, through links, into one of
// the system's folders.
func systemFile(_ *os.File, name string) (string, bool) {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return "", false
	}
	return systemPath(real)
}
