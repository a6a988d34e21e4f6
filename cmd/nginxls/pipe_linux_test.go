package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestServeGrowsItsOutputPipe(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("/proc/sys/fs/pipe-max-size")
	if err != nil {
		t.Skipf("cannot read the system's largest pipe size: %v", err)
	}
	if max, _ := strconv.Atoi(strings.TrimSpace(string(b))); max < 1<<20 {
		t.Skipf("this system allows pipes of %d bytes at most", max)
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
	size, _, errno := syscall.Syscall(syscall.SYS_FCNTL, r.Fd(), 1032 /* F_GETPIPE_SZ */, 0)
	if errno != 0 {
		t.Fatalf("F_GETPIPE_SZ: %v", errno)
	}
	if size != 1<<20 {
		t.Errorf("the server's output pipe holds %d bytes, want %d", size, 1<<20)
	}
}
