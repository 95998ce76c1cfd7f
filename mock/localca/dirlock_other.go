//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package localca

import "os"

// lockDir takes no lock here: without one, a reader may find a CA being linked into a
// directory holding other files with only its key yet, and call it incomplete. Creators
// still never make two CAs: the files are only ever linked in, never replaced.
func lockDir(*os.Root, bool) (unlock func()) { return func() {} }
