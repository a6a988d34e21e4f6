package main

import (
	"os"
	"syscall"
)

// Linux's fcntl commands for a pipe's capacity.
const (
	fSetPipeSize = 1031
	fGetPipeSize = 1032
)

// pipeSize is what growPipe asks for: the most an unprivileged process may
// ask for by default.
const pipeSize = 1 << 20

// growPipe enlarges the pipe f writes into, when it is one and holds less
// than 1 MiB. The diagnostics of a large file are megabytes, which a
// default 64 KiB pipe passes in a hundred rounds between the server and the
// editor; in 1 MiB pieces they arrive in less than half the time. Best
// effort: nothing changes when f is not a pipe or the system refuses (the
// user's pipe quota is spent, say).
func growPipe(f *os.File) {
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		return
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		if size, _, errno := syscall.Syscall(syscall.SYS_FCNTL, fd, fGetPipeSize, 0); errno != 0 || size >= pipeSize {
			return // an editor may have made it larger already
		}
		_, _, _ = syscall.Syscall(syscall.SYS_FCNTL, fd, fSetPipeSize, pipeSize)
	})
}
