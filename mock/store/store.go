// Package store is the mock's small embedded key-value store on bbolt: one file,
// keaphook.db, in a data directory, holding named buckets of byte values. The delivery engine
// keeps its deliveries there; the mock keeps hooks and handshake secrets.
package store

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// FileName is the database file inside the data directory.
const FileName = "keaphook.db"

// initialMmapSize is how much of the file bbolt maps before it first has to remap.
const initialMmapSize = 512 << 20

// lockTimeout is how long Open waits for another process to release the database file.
var lockTimeout = time.Second

// Store is an open database. Its methods are safe for concurrent use. One writer goroutine
// makes every write: Submit queues changes and returns at once, and the writer commits all
// that queued up meanwhile in one transaction (a group commit; several of about TxOps ops
// each when more queued up), written to the OS at once and synced to disk by the sync
// interval (see DefaultSyncEvery) or, with SyncEvery(0), before the commit's Wait returns. Put, Delete and Clear submit and wait: their change survives the
// process being killed when they return.
type Store struct {
	db *bolt.DB

	mu      sync.Mutex
	sealed  []batch // full batches waiting for the writer, oldest first
	pending []Op
	next    *Commit // the commit the pending ops will be part of
	started bool    // a Submit or a Wait wants the pending ops on disk, not only staged them
	closing bool
	kick    chan struct{} // closed by Close; otherwise holds a token when pending ops are due
	stopped chan struct{} // closed when the writer has returned
	closed  chan struct{} // closed when Close has closed the database
	commits atomic.Int64  // transactions the writer made, for tests

	dir        string
	dirty      atomic.Bool           // committed since the last sync
	syncErr    atomic.Pointer[error] // a failed background sync, for the next commit to report
	syncs      atomic.Int64          // background syncs made, for tests
	syncFile   func() error          // the database's Sync, but in tests
	syncFailed atomic.Bool           // a sync failed this run: the file may lack what was committed
	stopSync   chan struct{}         // closed by Close to end the sync loop
	syncDone   chan struct{}         // closed when the sync loop has returned
}

// Open opens (creating if needed) dir/keaphook.db. Only one process may hold it at a time.
// Commits are synced to disk every DefaultSyncEvery unless an Option says otherwise.
func Open(dir string, opts ...Option) (*Store, error) {
	o := options{syncEvery: DefaultSyncEvery}
	for _, opt := range opts {
		opt(&o)
	}
	if dir == "" {
		return nil, errors.New("store: empty data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	if err := checkAfterUncleanEnd(dir); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: lockTimeout,
		// The freelist is not synced: a commit writes fewer pages, and after a crash bbolt
		// rebuilds the freelist by scanning the file.
		NoFreelistSync: true, FreelistType: bolt.FreelistMapType,
		// Address space, not memory or disk: without it a large commit that grows the file
		// remaps it several times, each time copying every page the commit touched.
		InitialMmapSize: initialMmapSize,
		// With a sync interval, commits are written to the OS and syncLoop syncs them.
		NoSync: o.syncEvery > 0,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, errInUse(path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if err := markOpen(dir); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	s := &Store{db: db, kick: make(chan struct{}, 1), stopped: make(chan struct{}), closed: make(chan struct{}), dir: dir, syncFile: db.Sync}
	if o.syncFile != nil {
		s.syncFile = o.syncFile
	}
	s.next = s.newCommit()
	go s.write()
	if o.syncEvery > 0 {
		s.stopSync, s.syncDone = make(chan struct{}), make(chan struct{})
		go s.syncLoop(o.syncEvery, o.tick)
	}
	return s, nil
}

func errInUse(path string) error {
	return fmt.Errorf("store: %s is in use by another keaphook process", path)
}

// Close commits what is still pending, stops the writer and closes the database; the Store
// cannot be used afterwards (a later Submit fails with ErrClosed). It is safe to call twice,
// at once too: a second call returns once the first has closed the database.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		<-s.closed // the first Close has the database closed, the marker removed
		return nil
	}
	s.closing = true
	close(s.kick)
	s.mu.Unlock()
	defer close(s.closed)
	<-s.stopped
	if s.stopSync != nil {
		close(s.stopSync)
		<-s.syncDone
		s.syncNow()
	}
	err := cmp.Or(s.pendingSyncErr(), s.db.Close())
	if err == nil && !s.syncFailed.Load() {
		// A clean end: the next Open need not look the file over.
		err = os.Remove(filepath.Join(s.dir, openMarker))
	}
	return err
}

// pendingSyncErr takes the error of a failed background sync, if any.
func (s *Store) pendingSyncErr() error {
	if p := s.syncErr.Swap(nil); p != nil {
		return *p
	}
	return nil
}

// Put sets key to value in bucket, creating the bucket if needed.
func (s *Store) Put(bucket, key string, value []byte) error {
	return s.Submit(PutOp(bucket, key, value)).Wait()
}

// Get returns a copy of key's value in bucket, and whether it exists.
func (s *Store) Get(bucket, key string) ([]byte, bool, error) {
	if err := checkNames(bucket, key); err != nil {
		return nil, false, err
	}
	var out []byte
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte(bucket)); b != nil {
			if v := b.Get([]byte(key)); v != nil {
				out, found = append([]byte{}, v...), true
			}
		}
		return nil
	})
	return out, found, err
}

// Delete removes key from bucket; a missing key or bucket is not an error.
func (s *Store) Delete(bucket, key string) error {
	return s.Submit(DeleteOp(bucket, key)).Wait()
}

// Clear removes every key of the given buckets in one transaction. A missing bucket is not
// an error.
func (s *Store) Clear(buckets ...string) error {
	ops := make([]Op, len(buckets))
	for i, name := range buckets {
		ops[i] = ClearOp(name)
	}
	return s.Submit(ops...).Wait()
}

// ForEach calls fn for every key in bucket, in byte order of the keys, stopping at the first
// error, which it returns. value is a copy fn may keep. fn must not write to the Store.
// A missing bucket has no keys.
func (s *Store) ForEach(bucket string, fn func(key string, value []byte) error) error {
	if bucket == "" {
		return errors.New("store: empty bucket name")
	}
	return s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if v == nil {
				return nil // a nested bucket, not a value
			}
			return fn(string(k), append([]byte{}, v...))
		})
	})
}

func checkNames(bucket, key string) error {
	switch {
	case bucket == "":
		return errors.New("store: empty bucket name")
	case key == "":
		return errors.New("store: empty key")
	case len(key) > bolt.MaxKeySize:
		return fmt.Errorf("store: key of %d bytes is longer than %d", len(key), bolt.MaxKeySize)
	}
	return nil
}
