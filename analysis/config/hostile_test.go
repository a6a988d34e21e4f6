package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nginxls/nginxls/analysis/config"
	"github.com/nginxls/nginxls/analysis/syntax"
)

// TestReadFileRefusesSystemFiles: the files of the system's state are never
// read, whatever name leads to them.
func TestReadFileRefusesSystemFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc and /dev/stdin are Linux's")
	}
	dir := t.TempDir()
	for name, target := range map[string]string{"env.conf": "/proc/self/environ", "in.conf": "/dev/stdin", "sys.conf": "/sys/kernel/uevent_seqnum"} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"/proc/self/environ", "/proc/self/cmdline", "/dev/stdin", "/dev/fd/0", "/sys/kernel/uevent_seqnum",
		"/proc/../proc/self/environ", filepath.Join(dir, "env.conf"), filepath.Join(dir, "sys.conf")} {
		b, err := config.ReadFile(name)
		if !errors.Is(err, config.ErrSystemFile) {
			t.Errorf("ReadFile(%s) = %d bytes, %v; want a system file refused", name, len(b), err)
		}
	}
	// A link to the standard input: refused as a device here (go test's
	// is /dev/null), as the standard input when it is a file (the
	// command's tests).
	if _, err := config.ReadFile(filepath.Join(dir, "in.conf")); err == nil {
		t.Errorf("a link to /dev/stdin was read")
	}
	ok := filepath.Join(dir, "ok.conf")
	if err := os.WriteFile(ok, []byte("events {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := config.ReadFile(ok); err != nil {
		t.Errorf("an ordinary file: %v", err)
	}
}

// TestIncludeRefused: an include of a system file or of a binary one is
// one finding on the include, and the file is not parsed.
func TestIncludeRefused(t *testing.T) {
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte("events {}\nhttp {\n    include /proc/self/environ;\n    include env.bin;\n    include env.bin;\n    include /dev/stdin;\n}\n"),
		"/proc/self/environ":    []byte("SECRET=1 {\n"),
		"/dev/stdin":            []byte("SECRET=1 {\n"),
		"/etc/nginx/env.bin":    []byte("PATH=/bin\x00SECRET=1\x00X=1\nserver {\n}\n"),
	}
	c, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 1 {
		t.Errorf("%d files parsed, want the main one only", len(c.Files))
	}
	var msgs []string
	for _, p := range c.Problems {
		msgs = append(msgs, p.Msg)
	}
	want := []string{
		`"/proc/self/environ" is not read: the files of /proc hold the system's state, not configuration`,
		`"/etc/nginx/env.bin" is not a configuration: it holds NUL bytes (a binary file), so it is not analysed`,
		`"/etc/nginx/env.bin" is not a configuration: it holds NUL bytes (a binary file), so it is not analysed`,
		`"/dev/stdin" is not read: the files of /dev hold the system's state, not configuration`,
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	if len(c.Servers) != 0 {
		t.Errorf("the binary file's server was loaded")
	}
	// Certificates and keys go through the same refusal.
	if _, err := c.ReadFile("/proc/self/environ"); !errors.Is(err, config.ErrSystemFile) {
		t.Errorf("Config.ReadFile(/proc/self/environ): %v", err)
	}
}

// TestNestingThroughIncludes: files that each nest within the parser's
// bound nest past it once included in one another; the expanded tree
// stops at the bound too, with one finding.
func TestNestingThroughIncludes(t *testing.T) {
	half := syntax.MaxDepth * 3 / 4
	fs := config.MemFS{
		"/etc/nginx/nginx.conf": []byte(strings.Repeat("a {\n", half) + "include b.conf;\n" + strings.Repeat("}\n", half)),
		"/etc/nginx/b.conf":     []byte(strings.Repeat("b {\n", half) + "c;\n" + strings.Repeat("}\n", half)),
	}
	c, err := config.LoadTree(fs, "/etc/nginx/nginx.conf", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Problems) != 1 || !strings.Contains(c.Problems[0].Msg, "nest more than 1000 deep here through includes") {
		t.Errorf("problems: %+v", c.Problems)
	}
	deepest := 0
	for _, l := range c.Blocks() {
		n := 0
		for b := l.Dir; b != nil; b = b.Parent {
			n++
		}
		deepest = max(deepest, n)
	}
	if deepest > syntax.MaxDepth+1 { // a block past the bound, without its body
		t.Errorf("blocks nest %d deep", deepest)
	}
	if len(c.Named("c")) != 0 {
		t.Errorf("the directive past the bound was loaded")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "100": 100, "4k": 4 << 10, "16M": 16 << 20, "1G": 1 << 30, " 2m ": 2 << 20} {
		got, err := config.ParseSize(in)
		if err != nil || got != want {
			t.Errorf("config.ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
		if back, err := config.ParseSize(config.FormatSize(got)); err != nil || back != got {
			t.Errorf("config.FormatSize(%d) = %q reads back as %d, %v", got, config.FormatSize(got), back, err)
		}
	}
	for _, in := range []string{"", "0", "-1", "2G", "1025M", "1.5M", "M", "16MB", "9223372036854775807"} {
		if n, err := config.ParseSize(in); err == nil {
			t.Errorf("config.ParseSize(%q) = %d, want an error", in, n)
		}
	}
}
