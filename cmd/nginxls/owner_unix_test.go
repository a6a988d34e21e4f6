//go:build unix

package main

import (
	"os"
	"syscall"
	"testing"
)

// --fix keeps the mode, the owner and the group of the files it rewrites
// (the owner and the group only when run as root, who may give files away).
func TestFixKeepsOwnerAndMode(t *testing.T) {
	dir := t.TempDir()
	path := copyFile(t, "testdata/rules/tls-protocol-legacy-tls/fix-explicit.conf", dir, 0o604)
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		uid, gid = 4321, 8765
		if err := os.Chown(path, uid, gid); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("not root: the owner and group are the test's own")
	}
	before := readFile(t, path)
	nginxls(t, "", "check", "--fix", path).wantCode(t, 0)
	if readFile(t, path) == before {
		t.Fatal("nothing was fixed")
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o604 {
		t.Errorf("mode %v, want 0604", st.Mode().Perm())
	}
	if s, ok := st.Sys().(*syscall.Stat_t); ok && (int(s.Uid) != uid || int(s.Gid) != gid) {
		t.Errorf("owner %d:%d, want %d:%d", s.Uid, s.Gid, uid, gid)
	}
}
