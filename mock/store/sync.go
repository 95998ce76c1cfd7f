package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DefaultSyncEvery is how often, by default, the Store asks the OS to put what it has
// committed on disk. A commit is written to the OS before its Wait returns, so it survives
// the process being killed (kill -9, a panic, the OOM killer) at once; only a crash of the
// machine itself can lose what the last interval committed. Syncing every commit instead
// made each acknowledged hook call wait a millisecond or more for the disk, most of what
// durable mode cost, for a protection a mock's data seldom needs (SyncEvery(0) keeps it).
const DefaultSyncEvery = time.Second

// Option changes how Open opens a Store.
type Option func(*options)

type options struct {
	syncEvery time.Duration
	tick      <-chan time.Time // tests move the sync loop by hand
	syncFile  func() error     // tests make a sync fail; nil: the database's own
}

// SyncEvery sets how often committed changes are synced to disk; 0 syncs every commit
// before its Wait returns, at the cost of waiting for the disk on every call.
func SyncEvery(d time.Duration) Option {
	return func(o *options) { o.syncEvery = max(d, 0) }
}

// syncLoop syncs the database every interval (or on each tick, when tick is given) if
// anything was committed since the last sync, until Close. A failed sync is kept for the next
// commit to report beside its own outcome: the Store has no other way to tell anyone, and the
// sentence says the changes in doubt are earlier ones.
func (s *Store) syncLoop(every time.Duration, tick <-chan time.Time) {
	defer close(s.syncDone)
	if tick == nil {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-tick:
			s.syncNow()
		case <-s.stopSync:
			return
		}
	}
}

// syncNow syncs if anything was committed since the last sync. A failed sync leaves the
// changes owed, for the next tick or Close to try again, and the file in doubt: after a
// failed sync the OS may have dropped pages a later sync will not write, so Close leaves the
// open marker for the next Open to look the file over.
func (s *Store) syncNow() {
	if !s.dirty.Swap(false) {
		return
	}
	s.syncs.Add(1)
	if err := s.syncFile(); err != nil {
		failed := fmt.Errorf("store: changes written earlier may not survive a crash of the machine, since syncing them to disk failed: %w", err)
		s.syncErr.Store(&failed)
		s.syncFailed.Store(true)
		s.dirty.Store(true)
	}
}

// openMarker names the file that exists while a Store is open: finding it at Open means the
// last run ended without Close.
const openMarker = FileName + ".open"

// markOpen creates the open marker and syncs the directory that names it. Commits are
// written to the OS before they are synced, and the OS may put some of their pages on disk
// before a crash of the machine; the marker must be on disk by then, or the next Open would
// trust a file it should look over. Some systems cannot sync a directory (Windows): there the
// marker reaches the disk when the OS puts it there.
func markOpen(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, openMarker), nil, 0o600); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	d.Sync() // see above: an error here leaves the marker as safe as the OS keeps it
	return d.Close()
}

// checkAfterUncleanEnd looks over the database in dir when the last run ended without
// Close. A killed process leaves it whole (its commits were written to the OS); a machine
// that crashed between syncs can leave pages the last commit pointed at unwritten, and the
// Store says so rather than failing inside bbolt, whose own check runs where a damaged page's
// panic cannot be caught. So the file is opened read-only (no free-page scan) and every key
// of every bucket read here, where a panic can be. This finds pages that cannot be read; a
// page that reads well but holds an older version is beyond it, as bbolt keeps no checksums.
func checkAfterUncleanEnd(dir string) error {
	if _, err := os.Stat(filepath.Join(dir, openMarker)); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	path := filepath.Join(dir, FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil // the file was deleted to start afresh: nothing to look over
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, ReadOnly: true})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return errInUse(path) // the marker is a running process's, not a dead one's
	}
	if err != nil {
		return damaged(dir, err)
	}
	defer db.Close()
	if err := readEverything(db); err != nil {
		return damaged(dir, err)
	}
	return nil
}

// readEverything reads every key and value of db, turning a panic on a damaged page into an
// error.
func readEverything(db *bolt.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(_ []byte, b *bolt.Bucket) error {
			return b.ForEach(func(_, _ []byte) error { return nil })
		})
	})
}

func damaged(dir string, err error) error {
	return fmt.Errorf("%w: %s was not closed cleanly and cannot be read (%v); delete %s to start afresh",
		ErrDamaged, filepath.Join(dir, FileName), err, dir)
}

// ErrDamaged is the error of opening a database a machine crash left damaged.
var ErrDamaged = errors.New("store: damaged database")
