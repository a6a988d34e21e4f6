package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MaxFileSize is the largest configuration file nginxls reads unless told
// otherwise (Limits): far above any hand-written configuration (the
// largest known, a 4,500-line map, is 100 KB) and room for generated
// map and geo lists, far below what would exhaust memory.
const MaxFileSize = 16 << 20

// MaxRefSize is the largest certificate, key, DH parameter or other file
// a configuration names that nginxls reads: a full CA bundle is 220 KB.
const MaxRefSize = 4 << 20

// ErrNotRegular is returned for a path that is not a regular file: a
// device (/dev/zero, /dev/stdin), a FIFO, a socket or a folder.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is what a TooLargeError is (errors.Is).
var ErrTooLarge = errors.New("file too large")

// TooLargeError is returned for a file over the cap it was read with.
type TooLargeError struct {
	Limit int64
}

func (e *TooLargeError) Error() string {
	return "larger than " + FormatSize(e.Limit) + ", not read"
}

func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// FormatSize writes a size in bytes as ParseSize reads it: 16M, 512K, 100.
func FormatSize(n int64) string {
	for _, u := range []struct {
		suffix string
		shift  uint
	}{{"G", 30}, {"M", 20}, {"K", 10}} {
		if n >= 1<<u.shift && n%(1<<u.shift) == 0 {
			return fmt.Sprintf("%d%s", n>>u.shift, u.suffix)
		}
	}
	return fmt.Sprint(n)
}

// ParseSize reads a size as nginx writes them: a number of bytes with an
// optional K, M or G suffix (any case). It accepts 1 byte to 1 GiB.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	shift := uint(0)
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			shift = 10
		case 'm', 'M':
			shift = 20
		case 'g', 'G':
			shift = 30
		}
		if shift > 0 {
			t = t[:n-1]
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v < 1 || v > 1<<30>>shift {
		return 0, fmt.Errorf("invalid size %q (want bytes with an optional K, M or G suffix, from 1 to 1G)", s)
	}
	return v << shift, nil
}

// ErrSystemFile is what a SystemFileError is (errors.Is).
var ErrSystemFile = errors.New("a system file, not read")

// SystemFileError is returned for a file that holds the state of the
// system or of nginxls itself, never configuration: anything under /proc,
// /sys or /dev (but /dev/shm), a file of those file systems reached by
// another name, and nginxls's own standard streams (/dev/stdin, a link to
// /proc/self/fd/0). Reading them would at best waste the analysis and at
// worst put their text (/proc/self/environ: the environment, with its
// tokens) into messages and reports.
type SystemFileError struct {
	Where string // "/proc", "/sys", "/dev" or "the standard input"
}

func (e *SystemFileError) Error() string {
	if strings.HasPrefix(e.Where, "/") {
		return "a file of " + e.Where + ", not read"
	}
	return e.Where + " of nginxls, not read"
}

func (e *SystemFileError) Is(target error) bool { return target == ErrSystemFile }

// ErrBinary is returned for a file with NUL bytes near its start: no
// configuration, a binary file (or a copy of /proc/self/environ).
var ErrBinary = errors.New("a binary file (NUL bytes), not a configuration")

// binaryPrefix is how much of a file is searched for a NUL byte, as grep and
// git do, to tell binary files from configurations.
const binaryPrefix = 8 << 10

// IsBinary reports a text that is no configuration: a NUL byte early on.
func IsBinary(src []byte) bool {
	return bytes.IndexByte(src[:min(len(src), binaryPrefix)], 0) >= 0
}

// systemDirs are the folders of the system's state.
var systemDirs = []string{"/proc", "/sys", "/dev"}

// systemPath reports a path under one of systemDirs (/dev/shm, where
// programs share ordinary files, aside), as written and cleaned.
func systemPath(name string) (string, bool) {
	if !filepath.IsAbs(name) {
		abs, err := filepath.Abs(name)
		if err != nil {
			return "", false
		}
		name = abs
	}
	name = filepath.ToSlash(filepath.Clean(name))
	for _, d := range systemDirs {
		if name == d || strings.HasPrefix(name, d+"/") {
			if d == "/dev" && (name == "/dev/shm" || strings.HasPrefix(name, "/dev/shm/")) {
				return "", false
			}
			return d, true
		}
	}
	return "", false
}

// stdStreams reports a file that is one of nginxls's standard streams.
func stdStreams(st fs.FileInfo) bool {
	for _, s := range []*os.File{os.Stdin, os.Stdout, os.Stderr} {
		if s == nil {
			continue
		}
		if sst, err := s.Stat(); err == nil && os.SameFile(st, sst) {
			return true
		}
	}
	return false
}

// ReadFile is the one careful reader of the file system: it reads regular
// files only, never blocks on a FIFO (it is opened without waiting for a
// writer, then refused), refuses the files of the system's state and
// nginxls's own standard streams (SystemFileError), and stops at
// MaxFileSize. Every file nginxls reads from disk on a configuration's
// word goes through it (or ReadFileLimit).
func ReadFile(name string) ([]byte, error) { return ReadFileLimit(name, MaxFileSize) }

// ReadFileLimit is ReadFile with another cap: a file over limit bytes is
// refused with a TooLargeError.
func ReadFileLimit(name string, limit int64) ([]byte, error) {
	// Before opening: opening a device may do something.
	if where, ok := systemPath(name); ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &SystemFileError{Where: where}}
	}
	f, err := openNonBlocking(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The same files by another name: a link to /proc/self/environ, a
	// mount of procfs elsewhere.
	if where, ok := systemFile(f, name); ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &SystemFileError{Where: where}}
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if stdStreams(st) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &SystemFileError{Where: "the standard input"}}
	}
	if !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	if st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
	}
	// The size may change under us (a file being written): read at most one
	// byte past the cap to tell.
	// The buffer starts at the size stat gave (plus room to see growth):
	// ReadAll alone would double its way up, three times the file in
	// garbage for a large one.
	buf := bytes.NewBuffer(make([]byte, 0, st.Size()+512))
	_, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	b := buf.Bytes()
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if int64(len(b)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Limit: limit}}
	}
	return b, nil
}
