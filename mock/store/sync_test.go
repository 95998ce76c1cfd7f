package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// withTick moves the sync loop by hand.
func withTick(tick <-chan time.Time) Option { return func(o *options) { o.tick = tick } }

// With an interval, a tick syncs only when something was committed since the last sync,
// and Close syncs what is left.
func TestSyncEveryTickSyncsCommittedChanges(t *testing.T) {
	t.Parallel()
	tick := make(chan time.Time) // unbuffered: a send returns once the loop has the tick
	s, err := Open(t.TempDir(), withTick(tick))
	if err != nil {
		t.Fatal(err)
	}
	if !s.db.NoSync {
		t.Fatal("with a sync interval, commits should be written without a sync each")
	}
	tickTwice := func() { tick <- time.Time{}; tick <- time.Time{} } // the second waits out the first's sync
	tickTwice()
	if n := s.syncs.Load(); n != 0 {
		t.Fatalf("%d syncs with nothing committed, want 0", n)
	}
	if err := s.Put("hooks", "1", []byte("a")); err != nil {
		t.Fatal(err)
	}
	tickTwice()
	if n := s.syncs.Load(); n != 1 {
		t.Fatalf("%d syncs after one commit and two ticks, want 1", n)
	}
	if err := s.Put("hooks", "2", []byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := s.syncs.Load(); n != 2 {
		t.Fatalf("%d syncs after Close, want 2: Close syncs what the last tick did not", n)
	}
}

// A failed sync is reported by the next commit, whose change is written all the same; the
// changes stay owed until a sync succeeds, that commit's too, and the open marker stays,
// since after a failed sync the file may not hold what was committed.
func TestFailedSyncIsRetriedAndLeavesTheFileInDoubt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tick := make(chan time.Time)
	failures := 1
	failOnce := func() error { // called only by the sync loop and, after it ends, by Close
		if failures > 0 {
			failures--
			return errors.New("disk said no")
		}
		return nil
	}
	s, err := Open(dir, withTick(tick), func(o *options) { o.syncFile = failOnce })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put("hooks", "1", []byte("a")); err != nil {
		t.Fatal(err)
	}
	tick <- time.Time{} // the sync fails
	tick <- time.Time{}
	tick <- time.Time{} // waits out the second tick's sync
	if n := s.syncs.Load(); n != 2 {
		t.Fatalf("%d syncs after a failed one and two more ticks, want 2: the changes stay owed until a sync succeeds", n)
	}
	if err := s.Put("hooks", "2", []byte("b")); err == nil || !strings.Contains(err.Error(), "disk said no") ||
		!strings.Contains(err.Error(), "changes written earlier may not survive") {
		t.Fatalf("the commit after a failed sync: %v; want the sync's error, saying it is about earlier changes", err)
	}
	if v, ok, _ := s.Get("hooks", "2"); !ok || string(v) != "b" {
		t.Fatalf("hooks/2 = %q, %v: the commit that reports a failed sync is written all the same", v, ok)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n := s.syncs.Load(); n != 3 {
		t.Errorf("%d syncs, want 3: Close syncs the commit that reported the failed sync", n)
	}
	if _, err := os.Stat(filepath.Join(dir, openMarker)); err != nil {
		t.Errorf("after a run with a failed sync the open marker is gone (%v); the next Open should look the file over", err)
	}
}

// SyncEvery(0) syncs inside every commit, and runs no sync loop.
func TestSyncEveryCommit(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir(), SyncEvery(0))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.db.NoSync || s.stopSync != nil {
		t.Fatalf("SyncEvery(0): NoSync %v, sync loop %v; want bbolt's own sync on every commit and no loop", s.db.NoSync, s.stopSync != nil)
	}
	if err := s.Put("hooks", "1", []byte("a")); err != nil {
		t.Fatal(err)
	}
}

// A clean Close leaves no open marker; a run that ended without Close is looked over at the
// next Open, which refuses a damaged file with a sentence saying what to do.
func TestOpenAfterUncleanEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	for _, k := range []string{"a", "b", "c"} {
		if err := s.Put("hooks", k, []byte(strings.Repeat(k, 3000))); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, openMarker)
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("after a clean Close the open marker is still there: %v", err)
	}

	// As a killed process leaves it: whole, with the marker. It opens.
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	if v, ok, err := s.Get("hooks", "b"); !ok || err != nil || len(v) != 3000 {
		t.Fatalf("after an unclean end: Get = %d bytes, %v, %v", len(v), ok, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// As a machine crash may leave it: a page the last commit pointed at never written.
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	damagePages(t, filepath.Join(dir, FileName))
	_, err := Open(dir)
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "delete "+dir) {
		t.Fatalf("Open of a damaged file after an unclean end: %v; want ErrDamaged saying to delete %s", err, dir)
	}
}

// A database file deleted after an unclean end, to start afresh, leaves only the open
// marker: Open starts a new file rather than calling the missing one damaged.
func TestOpenAfterUncleanEndWithTheFileDeleted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, openMarker), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s := open(t, dir)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// damagePages zeroes every page after bbolt's two meta pages, as pages that never reached
// the disk may read.
func damagePages(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	page := int64(os.Getpagesize())
	if _, err := f.WriteAt(make([]byte, info.Size()-2*page), 2*page); err != nil {
		t.Fatal(err)
	}
}
