package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

func TestServeGrowsItsOutputPipe(t *testing.T) {
	t.Parallel()
	// Whether this system lets a process have a 1 MiB pipe at all (a small
	// pipe-max-size, or the user's pipe quota spent): if not, the server
	// cannot either.
	probe, probeW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	_, _, errno := syscall.Syscall(syscall.SYS_FCNTL, probe.Fd(), fSetPipeSize, pipeSize)
	probe.Close()
	probeW.Close()
	if errno != 0 {
		t.Skipf("this system does not let a process have a pipe of %d bytes: %v", pipeSize, errno)
	}

	cmd := exec.Command(binary, "serve")
	stdin, _ := cmd.StdinPipe()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	msg := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(msg), msg)
	// Once the reply is here, the server has set its output up.
	if _, err := bufio.NewReader(r).ReadString('\n'); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	size, _, errno := syscall.Syscall(syscall.SYS_FCNTL, r.Fd(), fGetPipeSize, 0)
	if errno != 0 {
		t.Fatalf("F_GETPIPE_SZ: %v", errno)
	}
	if size != pipeSize {
		t.Errorf("the server's output pipe holds %d bytes, want %d", size, pipeSize)
	}
}
