//go:build unix

package main

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"
)

// closeBeforeRename: a file may be renamed over while it is open, and the
// lock on it is held until then.
const closeBeforeRename = false

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

// keepMeta gives tmp, the new text of target, what target has besides its
// text: owner and group, extended attributes (SELinux label, ACLs) and mode
// bits, setuid, setgid and sticky included. The order matters: a chown
// clears the setuid and setgid bits, and setting an ACL changes the group
// bits, so the mode comes last. It reports false when any of them cannot
// be given, or did not take (the kernel drops setgid, without an error,
// for a group the user is not in): the file is then rewritten in place.
func keepMeta(tmp *os.File, target string, st os.FileInfo) bool {
	if !keepOwner(tmp, st) || !keepXattrs(target, tmp.Name()) {
		return false
	}
	if err := tmp.Chmod(st.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky)); err != nil {
		return false
	}
	now, err := tmp.Stat()
	return err == nil && now.Mode() == st.Mode()
}

// keepMode sets f's mode back to st's when writing to it dropped setuid or
// setgid, as the kernel does for a writer without CAP_FSETID. It does what
// it may.
func keepMode(f *os.File, st os.FileInfo) {
	if now, err := f.Stat(); err == nil && now.Mode() != st.Mode() {
		f.Chmod(st.Mode() & (os.ModePerm | os.ModeSetuid | os.ModeSetgid | os.ModeSticky))
	}
}

// readOnly reports whether the user may not write the file at path: no
// write permission (the mode, an ACL), an immutable file or a read-only
// file system. Root passes every permission check, so for root the mode
// decides: a file without the owner's write bit (when root owns it) or
// without any write bit is read-only all the same.
func readOnly(path string, st os.FileInfo) bool {
	if os.Geteuid() == 0 {
		perm := st.Mode().Perm()
		if s, ok := st.Sys().(*syscall.Stat_t); (ok && s.Uid == 0 && perm&0o200 == 0) || perm&0o222 == 0 {
			return true
		}
	}
	return isReadOnlyErr(unix.Access(path, unix.W_OK))
}

// isReadOnlyErr reports whether err says a file may not be written.
func isReadOnlyErr(err error) bool {
	return errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) || errors.Is(err, unix.EROFS)
}

// linkCount is how many names the file st describes has.
func linkCount(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}

// openFile opens a file without waiting on it: a FIFO put where the file
// was would block an open for reading until a writer comes.
func openFile(name string, flag int) (*os.File, error) {
	return os.OpenFile(name, flag|syscall.O_NONBLOCK, 0)
}

// syncDir makes a rename in dir durable. It does what it may.
func syncDir(dir string) {
	if d, err := os.Open(filepath.Clean(dir)); err == nil {
		d.Sync()
		d.Close()
	}
}
