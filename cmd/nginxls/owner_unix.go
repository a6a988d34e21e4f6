//go:build unix

package main

import (
	"os"
	"syscall"
)

// keepOwner gives tmp the owner and group of the file st describes. It
// reports false when it cannot (a user who may not give the file away).
func keepOwner(tmp *os.File, st os.FileInfo) bool {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	now, err := tmp.Stat()
	if err != nil {
		return false
	}
	if n, ok := now.Sys().(*syscall.Stat_t); ok && n.Uid == s.Uid && n.Gid == s.Gid {
		return true
	}
	return tmp.Chown(int(s.Uid), int(s.Gid)) == nil
}
