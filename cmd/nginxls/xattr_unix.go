//go:build linux || darwin || freebsd || netbsd

package main

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// keepXattrs gives the file at dst the extended attributes of src, and
// only those: SELinux labels (security.selinux), POSIX ACLs
// (system.posix_acl_access) and user attributes. An attribute dst already
// has with the same value is left alone, so that a label the user may not
// set but the new file already carries is no failure. It reports false
// when one cannot be given or taken away.
func keepXattrs(src, dst string) bool {
	want, err := xattrNames(src)
	if err != nil {
		return errors.Is(err, unix.ENOTSUP) // a file system without them
	}
	have, err := xattrNames(dst)
	if err != nil && len(want) > 0 {
		return false
	}
	for _, name := range have {
		if !slices.Contains(want, name) && unix.Removexattr(dst, name) != nil {
			return false
		}
	}
	for _, name := range want {
		val, err := xattr(src, name)
		if err != nil {
			return false
		}
		if cur, err := xattr(dst, name); err == nil && bytes.Equal(cur, val) {
			continue
		}
		if unix.Setxattr(dst, name, val, 0) != nil {
			return false
		}
	}
	return true
}

// xattrNames lists the extended attributes of the file at path.
func xattrNames(path string) ([]string, error) {
	for {
		n, err := unix.Listxattr(path, nil)
		if err != nil || n == 0 {
			return nil, err
		}
		buf := make([]byte, n)
		n, err = unix.Listxattr(path, buf)
		if errors.Is(err, unix.ERANGE) {
			continue // the list grew in between
		}
		if err != nil {
			return nil, err
		}
		var names []string
		for _, s := range strings.Split(string(buf[:n]), "\x00") {
			if s != "" {
				names = append(names, s)
			}
		}
		return names, nil
	}
}

// xattr is the value of the extended attribute name of the file at path.
func xattr(path, name string) ([]byte, error) {
	for {
		n, err := unix.Getxattr(path, name, nil)
		if err != nil {
			return nil, err
		}
		buf := make([]byte, n)
		n, err = unix.Getxattr(path, name, buf)
		if errors.Is(err, unix.ERANGE) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}
