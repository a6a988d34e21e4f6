//go:build !(linux || darwin || freebsd || netbsd)

package main

// keepXattrs: extended attributes are not read here.
func keepXattrs(src, dst string) bool { return true }
