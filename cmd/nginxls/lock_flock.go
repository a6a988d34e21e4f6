//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// lockWait is how long --fix waits for another run's lock on a file.
const lockWait = 10 * time.Second

// lockFile takes an exclusive flock(2) on f, so that two --fix runs check
// and replace one file in turn; editors take no such lock. It returns the
// function that releases it.
func lockFile(f *os.File) (func(), error) {
	deadline := time.Now().Add(lockWait)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN) }, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
			// A file system without locks (some network ones): the
			// checks still stand.
			return func() {}, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("locked by another process (waited %v)", lockWait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
