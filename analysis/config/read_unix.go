//go:build unix

package config

import (
	"os"
	"syscall"
)

// openNonBlocking opens a file for reading without waiting: opening a FIFO
// with no writer would otherwise block forever.
func openNonBlocking(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
