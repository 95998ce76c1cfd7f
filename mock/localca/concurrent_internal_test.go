//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

// Interleavings of creators and readers, made to happen at the seams of disk.go. Here only
// where directories are locked and an empty directory can be removed while open.

package localca

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

var hookNow = time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)

func setHook(t *testing.T, hook *func(), f func()) {
	t.Helper()
	*hook = f
	t.Cleanup(func() { *hook = nil })
}

// lockFree reports whether the directory dir could be locked (shared or exclusive) at once,
// which it cannot while another holds a conflicting lock.
func lockFree(t *testing.T, dir string, how int) bool {
	t.Helper()
	f, err := os.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return true
}

// An opener looks in an empty CA directory; between its looks for the certificate and for
// the key, another removes that directory and renames its whole CA onto the name. The first
// must find no CA (not the key without the certificate: "incomplete"), then read the other's,
// without waiting: a rename shows a reader all of a CA or none of it.
func TestOpenStraddlingAnotherCreatorsRename(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ca")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	var other *CA
	var otherErr error
	armed := true
	setHook(t, &hookHalfSeen, func() {
		t.Error("a rename showed half a CA: the reader had to wait and look again")
	})
	setHook(t, &hookBetweenLooks, func() {
		if armed {
			armed = false
			other, otherErr = Open(dir, hookNow)
		}
	})
	ca, err := Open(dir, hookNow)
	if other == nil || otherErr != nil {
		t.Fatalf("the other opener: %v", otherErr)
	}
	if err != nil {
		t.Fatalf("an opener straddling another's rename: %v", err)
	}
	if !bytes.Equal(ca.CertPEM(), other.CertPEM()) {
		t.Error("two different CAs")
	}
}

// Into a directory holding other files the key is linked before the certificate; a reader
// must not be able to look in between, so the directory stays locked until both are in.
func TestCreatorLinkingInHoldsTheLock(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	linkedIn, lockedMeanwhile := false, false
	setHook(t, &hookBetweenLinks, func() {
		linkedIn = true
		lockedMeanwhile = !lockFree(t, dir, syscall.LOCK_SH)
	})
	if _, err := Open(dir, hookNow); err != nil {
		t.Fatal(err)
	}
	if !linkedIn {
		t.Fatal("the CA was not linked into the directory holding other files")
	}
	if !lockedMeanwhile {
		t.Error("the key was in without the certificate while the directory was unlocked")
	}
}

// A reader finding the key alone looks again only once it holds the directory's lock, which
// the creator holds until the certificate is in too; then it reads the whole CA.
func TestLoadFindingHalfACALooksAgainUnderTheLock(t *testing.T) {
	dir := t.TempDir()
	ca, err := New(hookNow)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(ca.key)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	if err := os.WriteFile(filepath.Join(dir, KeyFile), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	creatorDone := lockDir(root, true) // a creator with the key in, the certificate not yet
	setHook(t, &hookHalfSeen, func() {
		os.WriteFile(filepath.Join(dir, CertFile), ca.certPEM, 0o644)
		creatorDone()
	})
	looks := 0
	setHook(t, &hookBetweenLooks, func() {
		looks++
		if looks == 2 && lockFree(t, dir, syscall.LOCK_EX) {
			t.Error("the reader looked again without holding the lock")
		}
	})
	got, err := Load(dir)
	if err != nil {
		t.Fatalf("Load of a CA whose creator was linking it in: %v", err)
	}
	if looks != 2 {
		t.Errorf("%d looks; want the one finding the key alone and one more", looks)
	}
	if !bytes.Equal(got.CertPEM(), ca.certPEM) {
		t.Error("Load read another CA")
	}
}
