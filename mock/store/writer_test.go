package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Ops submitted while a commit is being written wait for the next one: many changes, one
// transaction and one sync.
func TestSubmitsGroupIntoOneCommit(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	blocker, err := s.db.Begin(true) // holds bbolt's write lock, as a slow commit would
	if err != nil {
		t.Fatal(err)
	}
	var commits []*Commit
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 10 {
		wg.Go(func() {
			for i := range 100 {
				c := s.Submit(PutOp("deliveries", fmt.Sprintf("d_%03d_%03d", g, i), []byte("v")))
				mu.Lock()
				commits = append(commits, c)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if err := blocker.Rollback(); err != nil {
		t.Fatal(err)
	}
	for _, c := range commits {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	// The first submit may have started a commit of its own before the rest queued up.
	if n := s.commits.Load(); n > 2 {
		t.Errorf("1,000 submits made %d transactions, want at most 2", n)
	}
	n := 0
	s.ForEach("deliveries", func(string, []byte) error { n++; return nil })
	if n != 1000 {
		t.Errorf("%d keys stored, want 1000", n)
	}
}

// The last write to a key wins, across and within commits, and a clear orders with puts.
func TestSubmitKeepsOrder(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	s.Submit(PutOp("b", "k", []byte("1")), PutOp("b", "k", []byte("2")))
	s.Submit(DeleteOp("b", "gone"), PutOp("b", "gone", []byte("x")), DeleteOp("b", "gone"))
	s.Submit(PutOp("b", "z", []byte("1")), PutOp("b", "a", []byte("a")), PutOp("b", "z", []byte("2"))) // out of key order
	s.Submit(PutOp("c", "old", []byte("o")), ClearOp("c"), PutOp("c", "new", []byte("n")))
	if err := s.Submit(PutOp("b", "k", []byte("3"))).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		bucket, key, want string
		found             bool
	}{{"b", "k", "3", true}, {"b", "gone", "", false}, {"b", "z", "2", true}, {"b", "a", "a", true}, {"c", "old", "", false}, {"c", "new", "n", true}} {
		v, ok, err := s.Get(c.bucket, c.key)
		if err != nil || ok != c.found || string(v) != c.want {
			t.Errorf("Get(%s, %s) = %q, %v, %v; want %q, %v", c.bucket, c.key, v, ok, err, c.want, c.found)
		}
	}
}

// One Submit is all or nothing: a bad op refuses the whole call.
func TestSubmitIsAtomic(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	err := s.Submit(PutOp("hooks", "1", []byte("h")), PutOp("meta", "", []byte("m"))).Wait()
	if err == nil || !strings.Contains(err.Error(), "empty key") {
		t.Fatalf("Submit with an empty key = %v", err)
	}
	if _, ok, _ := s.Get("hooks", "1"); ok {
		t.Error("a refused Submit wrote part of its ops")
	}
}

func TestSubmitAfterCloseFails(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	pending := s.Submit(PutOp("b", "k", []byte("v")))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := pending.Wait(); err != nil {
		t.Errorf("an op submitted before Close was not committed: %v", err)
	}
	if err := s.Submit(PutOp("b", "k", []byte("v"))).Wait(); !errors.Is(err, ErrClosed) {
		t.Errorf("Submit after Close = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// Staged ops start no commit of their own: they reach the disk with the next commit a Submit
// starts, in one transaction with it, and their own Wait starts one when nothing else does.
func TestStagedOpsRideTheNextCommit(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	for i := range 3 {
		s.Stage(PutOp("hooks", "1", []byte(fmt.Sprint("staged ", i))))
	}
	if err := s.Submit(PutOp("hooks", "2", []byte("submitted"))).Wait(); err != nil {
		t.Fatal(err)
	}
	if n := s.commits.Load(); n != 1 {
		t.Errorf("3 stages and a submit made %d transactions, want 1", n)
	}
	if v, _, _ := s.Get("hooks", "1"); string(v) != "staged 2" {
		t.Errorf("hooks/1 = %q after the submit's commit, want the last staged value", v)
	}

	if err := s.Stage(PutOp("hooks", "3", []byte("waited for"))).Wait(); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := s.Get("hooks", "3"); string(v) != "waited for" {
		t.Errorf("hooks/3 = %q after waiting for its stage, want it on disk", v)
	}
}

// Close writes what is only staged: nothing queued is lost at a clean stop.
func TestCloseCommitsStagedOps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	staged := s.Stage(PutOp("hooks", "1", []byte("v")))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := staged.Wait(); err != nil {
		t.Errorf("a staged op's commit at Close: %v", err)
	}
	s = open(t, dir)
	defer s.Close()
	if v, ok, _ := s.Get("hooks", "1"); !ok || string(v) != "v" {
		t.Errorf("hooks/1 = %q, %v after reopening, want the staged value", v, ok)
	}
}

// A Submit or a Clear of nothing has nothing to wait for: it returns at once.
func TestSubmitOfNothingIsDone(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	if err := s.Submit().Wait(); err != nil {
		t.Errorf("Submit() = %v", err)
	}
	if err := s.Clear(); err != nil {
		t.Errorf("Clear() = %v", err)
	}
	if err := s.Stage().Wait(); err != nil {
		t.Errorf("Stage() = %v", err)
	}
}

// The Store keeps a Submit's slice but never writes past its end: what lies beyond it in the
// caller's array is still the caller's.
func TestSubmitLeavesTheRestOfTheCallersArray(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	buf := []Op{PutOp("b", "1", []byte("v")), PutOp("b", "2", []byte("kept by the caller"))}
	staged := s.Stage(buf[:1]...)
	if err := s.Submit(PutOp("b", "3", []byte("v"))).Wait(); err != nil {
		t.Fatal(err)
	}
	if err := staged.Wait(); err != nil {
		t.Fatal(err)
	}
	if buf[1].key != "2" || string(buf[1].value) != "kept by the caller" {
		t.Errorf("the op after the submitted slice became %+v", buf[1])
	}
}

// A transaction takes whole Submits until it holds TxOps ops; the next Submit starts
// another, while a single Submit of more stays one transaction. Waiting for any of them
// writes them all, in the order submitted.
func TestCommitsAreCutAtSubmitsOnceFull(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	puts := func(prefix string, n int) []Op {
		ops := make([]Op, n)
		for i := range ops {
			ops[i] = PutOp("deliveries", fmt.Sprintf("%s_%05d", prefix, i), []byte(prefix))
		}
		return ops
	}
	// Staged, so that no commit starts before all are queued.
	half1 := s.Stage(puts("a", TxOps/2)...)
	half2 := s.Stage(append(puts("b", TxOps/2-1), PutOp("deliveries", "same", []byte("first")))...)
	one := s.Stage(PutOp("deliveries", "same", []byte("second")))
	big := s.Stage(puts("c", 2*TxOps)...)
	last := s.Stage(puts("d", 1)...)
	if half1 != half2 {
		t.Error("two Submits that fit in TxOps ops together got separate commits")
	}
	if one == half2 || big == one || last == big {
		t.Error("a Submit that would take a commit past TxOps ops joined it")
	}
	if err := one.Wait(); err != nil { // a cut-off commit, not the newest: waiting starts it
		t.Fatal(err)
	}
	for _, c := range []*Commit{half1, big, last} {
		if err := c.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.commits.Load(); n != 4 {
		t.Errorf("%d transactions, want 4 (a+b, the one op, c, d)", n)
	}
	if v, _, _ := s.Get("deliveries", "same"); string(v) != "second" {
		t.Errorf("deliveries/same = %q: a later commit's write did not win", v)
	}
	n := 0
	s.ForEach("deliveries", func(string, []byte) error { n++; return nil })
	if want := TxOps/2 + (TxOps/2 - 1) + 1 + 2*TxOps + 1; n != want { // a, b, "same", c, d
		t.Errorf("%d keys stored, want %d", n, want)
	}
}
