package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// MaxFileSize is the largest file nginxls reads: far above any real
// configuration (the largest known, a 4,500-line map, is 100 KB) or
// certificate, far below what would exhaust memory.
const MaxFileSize = 16 << 20

// ErrNotRegular is returned for a path that is not a regular file: a
// device (/dev/zero, /dev/stdin), a FIFO, a socket or a folder.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is returned for a file over MaxFileSize.
var ErrTooLarge = fmt.Errorf("larger than %d MiB", MaxFileSize>>20)

// ReadFile is the one careful reader of the file system: it reads regular
// files only, never blocks on a FIFO (it is opened without waiting for a
// writer, then refused), and stops at MaxFileSize. Every file nginxls
// reads from disk on a configuration's word goes through it.
func ReadFile(name string) ([]byte, error) {
	f, err := openNonBlocking(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		if st.IsDir() {
			return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	if st.Size() > MaxFileSize {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrTooLarge}
	}
	// The size may change under us (a file being written): read at most one
	// byte past the cap to tell.
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if len(b) > MaxFileSize {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrTooLarge}
	}
	return b, nil
}
