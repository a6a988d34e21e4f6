//go:build !unix

package main

import (
	"errors"
	"io/fs"
	"os"
)

// closeBeforeRename: Windows refuses to rename over a file open without
// FILE_SHARE_DELETE, which os.Open does not ask for.
const closeBeforeRename = true

// keepOwner: files have no owner and group to keep here.
func keepOwner(*os.File, os.FileInfo) bool { return true }

// keepMeta gives tmp target's mode; there is no owner, group or extended
// attribute to keep here.
func keepMeta(tmp *os.File, _ string, st os.FileInfo) bool {
	return tmp.Chmod(st.Mode().Perm()) == nil
}

func keepMode(*os.File, os.FileInfo) {}

// readOnly reports whether the file has the read-only attribute, which Go
// shows as a mode without write bits.
func readOnly(_ string, st os.FileInfo) bool { return st.Mode().Perm()&0o200 == 0 }

func isReadOnlyErr(err error) bool { return errors.Is(err, fs.ErrPermission) }

// linkCount: the link count is not known here; a file is taken to have one
// name.
func linkCount(os.FileInfo) uint64 { return 1 }

func openFile(name string, flag int) (*os.File, error) { return os.OpenFile(name, flag, 0) }

func syncDir(string) {}
