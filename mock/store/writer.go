package store

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Op is one change to the Store: a put, a delete, or the clearing of a whole bucket. Build
// it with Put, Delete or ClearBucket and hand it to Submit.
type Op struct {
	bucket, key string
	value       []byte
	kind        opKind
}

type opKind uint8

const (
	opPut opKind = iota
	opDelete
	opClear
)

// PutOp sets key to value in bucket, creating the bucket if needed. The Store keeps value
// until it is written: the caller must not change it afterwards.
func PutOp(bucket, key string, value []byte) Op { return Op{bucket: bucket, key: key, value: value} }

// DeleteOp removes key from bucket; a missing key or bucket is not an error.
func DeleteOp(bucket, key string) Op { return Op{bucket: bucket, key: key, kind: opDelete} }

// ClearOp removes every key of bucket; a missing bucket is not an error.
func ClearOp(bucket string) Op { return Op{bucket: bucket, kind: opClear} }

func (o Op) check() error {
	if o.kind == opClear {
		if o.bucket == "" {
			return errors.New("store: empty bucket name")
		}
		return nil
	}
	return checkNames(o.bucket, o.key)
}

// Commit is one group commit: the Ops submitted while the previous commit was being written
// go into one transaction, written to the OS at once and synced to disk once (before Wait
// returns with SyncEvery(0), else by the next background sync). Wait returns its outcome.
// A transaction takes whole Submits until it holds TxOps ops: the next Submit starts another
// Commit, so that a burst of saves is written in parts whose memory the garbage collector can
// have back before the next part, and whose pages bbolt reuses.
type Commit struct {
	done  chan struct{}
	err   error
	store *Store // the Store that writes it; nil for a Commit that failed at once
}

func (s *Store) newCommit() *Commit { return &Commit{done: make(chan struct{}), store: s} }

// Failed returns a Commit that has already failed with err, for a Store that cannot write
// (with a nil err, a Commit of nothing, done at once).
func Failed(err error) *Commit {
	c := &Commit{done: make(chan struct{})}
	c.err = err
	close(c.done)
	return c
}

// Wait blocks until the Ops are written (nil: they survive the process being killed; with
// SyncEvery(0) they are on disk too) or their transaction failed. Waiting for a
// Commit of staged Ops starts it, if no Submit did yet.
func (c *Commit) Wait() error {
	select {
	case <-c.done:
		return c.err
	default:
	}
	if c.store != nil {
		c.store.due(c)
	}
	<-c.done
	return c.err
}

// TxOps is how many ops a transaction takes before the next Submit starts another one. A
// single Submit of more is still one transaction.
const TxOps = 4096

// batch is a Commit and its ops.
type batch struct {
	ops    []Op
	commit *Commit
}

// ErrClosed is the outcome of Ops submitted to a closed Store.
var ErrClosed = errors.New("store: closed")

// Submit queues ops for the next group commit and returns it at once, without any disk I/O,
// so callers may submit while holding their own locks: ops submitted in some order are
// applied in that order (the last write to a key wins). Within one Submit call the ops
// always share one transaction, so they are saved all together or not at all; ops of two
// calls may not (see TxOps), but are applied in the order submitted all the same. The Store may
// keep the slice ops itself until it is written: the caller must not change it afterwards.
func (s *Store) Submit(ops ...Op) *Commit { return s.queue(ops, true) }

// Stage queues ops like Submit, in the same order as submitted ops, but does not start a
// commit for them: they reach the disk with the next commit, which a later Submit starts, or
// waiting for the returned Commit. A call that saves a state it will replace before it
// answers stages the first saves and submits the last, so the call costs one commit and one
// sync, not one per save.
func (s *Store) Stage(ops ...Op) *Commit { return s.queue(ops, false) }

func (s *Store) queue(ops []Op, start bool) *Commit {
	if len(ops) == 0 {
		return Failed(nil) // nothing to write; the writer would never finish a commit of nothing
	}
	for _, o := range ops {
		if err := o.check(); err != nil {
			return Failed(err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return Failed(ErrClosed)
	}
	if n := len(s.pending); n > 0 && n+len(ops) > TxOps {
		s.sealed = append(s.sealed, batch{s.pending, s.next})
		s.pending, s.next = nil, s.newCommit()
	}
	if len(s.pending) == 0 {
		// The Store keeps the ops: no copy of a large commit's. Clipped, so that a later
		// append copies them rather than writing past their end into the caller's array.
		s.pending = slices.Clip(ops)
	} else {
		s.pending = append(s.pending, ops...)
	}
	c := s.next
	if start {
		s.startLocked()
	}
	return c
}

// due starts commit c if the writer has not yet taken it and no Submit started it.
func (s *Store) due(c *Commit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	waiting := c == s.next || slices.ContainsFunc(s.sealed, func(b batch) bool { return b.commit == c })
	if waiting && !s.closing {
		s.startLocked()
	}
}

// startLocked tells the writer that the pending ops are due.
func (s *Store) startLocked() {
	s.started = true
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// write is the one writer: it takes whatever was submitted, commits it in one transaction
// per batch (see TxOps), and repeats until the Store closes, committing what is still pending before it stops.
// Staged ops wait for a commit someone started, except at the close.
func (s *Store) write() {
	defer close(s.stopped)
	for {
		_, open := <-s.kick
		for s.commitPending(!open) {
		}
		if !open {
			return
		}
	}
}

// commitPending commits the oldest batch of pending ops if a commit was started (or all is
// true), reporting whether it did.
func (s *Store) commitPending(all bool) bool {
	s.mu.Lock()
	if len(s.sealed)+len(s.pending) == 0 || !s.started && !all {
		s.mu.Unlock()
		return false
	}
	var b batch
	if len(s.sealed) > 0 {
		b = s.sealed[0]
		s.sealed[0] = batch{}
		s.sealed = s.sealed[1:]
		if len(s.sealed)+len(s.pending) == 0 {
			s.started = false
		}
	} else {
		b = batch{s.pending, s.next}
		s.pending, s.next, s.started = nil, s.newCommit(), false
	}
	s.mu.Unlock()
	ops, c := b.ops, b.commit
	s.commits.Add(1)
	err := s.db.Update(func(tx *bolt.Tx) error { return apply(tx, ops) })
	if err == nil {
		// Written, even when the commit reports a failed sync below: the next sync owes it.
		s.dirty.Store(true)
	}
	c.err = errors.Join(err, s.pendingSyncErr())
	close(c.done)
	return true
}

// apply writes ops in order. Between two bucket clears it writes each key once (its last
// value), in key order: bbolt then appends to its pages instead of moving their contents
// for every insert.
func apply(tx *bolt.Tx, ops []Op) error {
	for len(ops) > 0 {
		cut := slices.IndexFunc(ops, func(o Op) bool { return o.kind == opClear })
		if cut == 0 {
			if err := tx.DeleteBucket([]byte(ops[0].bucket)); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return fmt.Errorf("store: clear %s: %w", ops[0].bucket, err)
			}
			ops = ops[1:]
			continue
		}
		if cut < 0 {
			cut = len(ops)
		}
		if err := applyRun(tx, ops[:cut]); err != nil {
			return err
		}
		ops = ops[cut:]
	}
	return nil
}

func applyRun(tx *bolt.Tx, ops []Op) error {
	run := sortedRun(ops)
	var (
		b    *bolt.Bucket
		name string
	)
	for i, o := range run {
		if i+1 < len(run) && run[i+1].bucket == o.bucket && run[i+1].key == o.key {
			continue // a later write to the same key replaces this one
		}
		if b == nil || name != o.bucket {
			var err error
			if b, err = bucketFor(tx, o); err != nil {
				return err
			}
			name = o.bucket
		}
		if err := write(b, o); err != nil {
			return fmt.Errorf("store: %s/%s: %w", o.bucket, o.key, err)
		}
	}
	return nil
}

// sortedRun returns ops in key order, a key's ops in the order they came. Ops mostly arrive in
// key order already (ids grow): then they are returned as they are, without copying a large
// commit's ops twice.
func sortedRun(ops []Op) []Op {
	byBucketKey := func(a, b Op) int { return cmp.Or(cmp.Compare(a.bucket, b.bucket), cmp.Compare(a.key, b.key)) }
	if slices.IsSortedFunc(ops, byBucketKey) {
		return ops
	}
	type indexed struct {
		op  Op
		pos int
	}
	byKey := func(a, b indexed) int { return cmp.Or(byBucketKey(a.op, b.op), cmp.Compare(a.pos, b.pos)) }
	run := make([]indexed, len(ops))
	for i, o := range ops {
		run[i] = indexed{o, i}
	}
	slices.SortFunc(run, byKey)
	out := make([]Op, len(run))
	for i, r := range run {
		out[i] = r.op
	}
	return out
}

// bucketFor returns o's bucket, creating it for a put; nil for a delete in a missing bucket.
func bucketFor(tx *bolt.Tx, o Op) (*bolt.Bucket, error) {
	if o.kind == opDelete {
		return tx.Bucket([]byte(o.bucket)), nil
	}
	b, err := tx.CreateBucketIfNotExists([]byte(o.bucket))
	if err != nil {
		return nil, fmt.Errorf("store: bucket %s: %w", o.bucket, err)
	}
	// Keys mostly grow (delivery ids, hook keys): fuller pages mean fewer of them to write.
	b.FillPercent = 0.9
	return b, nil
}

func write(b *bolt.Bucket, o Op) error {
	switch {
	case o.kind == opPut:
		return b.Put([]byte(o.key), o.value)
	case b != nil:
		return b.Delete([]byte(o.key))
	}
	return nil
}

// Bucket is the bucket the op changes.
func (o Op) Bucket() string { return o.bucket }

// Key is the key the op changes ("" for a ClearOp).
func (o Op) Key() string { return o.key }
