// Package store is the mock's small embedded key-value store on bbolt: one file,
// keaphook.db, in a data directory, holding named buckets of byte values. The delivery engine
// keeps its deliveries there; the mock keeps hooks and handshake secrets.
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

// FileName is the database file inside the data directory.
const FileName = "keaphook.db"

// lockTimeout is how long Open waits for another process to release the database file.
var lockTimeout = time.Second

// Store is an open database. Its methods are safe for concurrent use; every write is one
// transaction, synced to disk before the method returns.
type Store struct {
	db *bolt.DB
}

// Open opens (creating if needed) dir/keaphook.db. Only one process may hold it at a time.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("store: empty data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("store: %s is in use by another keaphook process", path)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the database; the Store cannot be used afterwards.
func (s *Store) Close() error { return s.db.Close() }

// Put sets key to value in bucket, creating the bucket if needed.
func (s *Store) Put(bucket, key string, value []byte) error {
	return s.PutAll(bucket, map[string][]byte{key: value})
}

// PutAll sets several keys in bucket in one transaction: one sync to disk for all of them.
func (s *Store) PutAll(bucket string, values map[string][]byte) error {
	for key := range values {
		if err := checkNames(bucket, key); err != nil {
			return err
		}
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return fmt.Errorf("store: bucket %s: %w", bucket, err)
		}
		for key, value := range values {
			if err := b.Put([]byte(key), value); err != nil {
				return err
			}
		}
		return nil
	})
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
	if err := checkNames(bucket, key); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if b := tx.Bucket([]byte(bucket)); b != nil {
			return b.Delete([]byte(key))
		}
		return nil
	})
}

// Clear removes every key of the given buckets in one transaction: one sync to disk however
// many keys there were. A missing bucket is not an error.
func (s *Store) Clear(buckets ...string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range buckets {
			if name == "" {
				return errors.New("store: empty bucket name")
			}
			err := tx.DeleteBucket([]byte(name))
			if err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
		}
		return nil
	})
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
