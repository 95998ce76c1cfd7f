//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package localca

import (
	"errors"
	"os"
	"syscall"
)

// lockDir takes an advisory lock on the directory root, shared or exclusive, and returns
// what releases it. The lock is the directory's own (flock on it), so it leaves no file
// behind, and the kernel releases it when a holder stops, however it stops: a wait lasts
// at most one creator writing two small files. Where the lock cannot be taken (some network
// file systems), the files are still only ever linked in, never replaced.
func lockDir(root *os.Root, exclusive bool) (unlock func()) {
	f, err := root.Open(".")
	if err != nil {
		return func() {}
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err = syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return func() {}
	}
	return func() { f.Close() } // closing the only descriptor releases the lock
}
