package config

import (
	"os"
	"syscall"
)

// systemMagic are the file systems of the kernel's state (statfs(2)).
var systemMagic = map[uint32]string{
	0x9fa0:     "/proc", // procfs
	0x62656572: "/sys",  // sysfs
	0x64626720: "/sys",  // debugfs
	0x73636673: "/sys",  // securityfs
	0x74726163: "/sys",  // tracefs
	0x27e0eb:   "/sys",  // cgroup
	0x63677270: "/sys",  // cgroup2
	0x62656570: "/sys",  // configfs
	0xde5e81e4: "/sys",  // efivarfs
	0xcafe4a11: "/sys",  // bpf
	0x6165676c: "/sys",  // pstore
}

// systemFile reports an open file that lies on one of the kernel's file
// systems, whatever name led to it.
func systemFile(f *os.File, _ string) (string, bool) {
	// Through SyscallConn, not Fd, which would make the file blocking.
	var st syscall.Statfs_t
	rc, err := f.SyscallConn()
	if err != nil {
		return "", false
	}
	if cerr := rc.Control(func(fd uintptr) { err = syscall.Fstatfs(int(fd), &st) }); cerr != nil || err != nil {
		return "", false
	}
	where, ok := systemMagic[uint32(st.Type)]
	return where, ok
}
