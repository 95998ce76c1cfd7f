package store

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return s
}

func TestPutGetDelete(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	if _, ok, err := s.Get("hooks", "12"); ok || err != nil {
		t.Fatalf("Get before Put = found %v, err %v; want not found, nil", ok, err)
	}
	if err := s.Put("hooks", "12", []byte(`{"key":"12"}`)); err != nil {
		t.Fatal(err)
	}
	v, ok, err := s.Get("hooks", "12")
	if err != nil || !ok || string(v) != `{"key":"12"}` {
		t.Fatalf("Get = %q, %v, %v", v, ok, err)
	}
	v[0] = 'X' // the caller owns the copy
	if again, _, _ := s.Get("hooks", "12"); string(again) != `{"key":"12"}` {
		t.Fatalf("changing a returned value changed the store: %q", again)
	}
	if err := s.Delete("hooks", "12"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Get("hooks", "12"); ok {
		t.Fatal("key still present after Delete")
	}
	if err := s.Delete("hooks", "12"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	if err := s.Delete("nobucket", "1"); err != nil {
		t.Fatalf("Delete in a missing bucket: %v", err)
	}
}

func TestForEachInKeyOrderAndStops(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	for _, k := range []string{"d_000003", "d_000001", "d_000002"} {
		if err := s.Put("deliveries", k, []byte("v"+k)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	if err := s.ForEach("deliveries", func(k string, v []byte) error {
		got = append(got, k+"="+string(v))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"d_000001=vd_000001", "d_000002=vd_000002", "d_000003=vd_000003"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ForEach (-want +got):\n%s", diff)
	}
	stop := errors.New("stop")
	n := 0
	err := s.ForEach("deliveries", func(string, []byte) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("ForEach with an error from fn = %v after %d calls; want stop after 1", err, n)
	}
	if err := s.ForEach("missing", func(string, []byte) error { return stop }); err != nil {
		t.Errorf("ForEach on a missing bucket = %v, want nil", err)
	}
}

func TestValuesSurviveReopen(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	s := open(t, dir)
	if err := s.Put("secrets", "12", []byte("s3cret")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); err != nil {
		t.Fatalf("database file: %v", err)
	}
	s = open(t, dir)
	defer s.Close()
	if v, ok, err := s.Get("secrets", "12"); !ok || err != nil || string(v) != "s3cret" {
		t.Fatalf("after reopen Get = %q, %v, %v", v, ok, err)
	}
}

func TestBadNames(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	defer s.Close()
	for _, c := range []struct{ bucket, key, want string }{
		{"", "k", "empty bucket"},
		{"b", "", "empty key"},
		{"b", strings.Repeat("k", 40000), "longer than"},
	} {
		if err := s.Put(c.bucket, c.key, []byte("v")); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Put(%q, %.10q) = %v, want an error containing %q", c.bucket, c.key, err, c.want)
		}
	}
	if _, err := Open(""); err == nil {
		t.Error("Open(\"\") succeeded")
	}
}

// TestSecondOpenIsRefused is not parallel: it shortens the package's lock timeout.
func TestSecondOpenIsRefused(t *testing.T) {
	old := lockTimeout
	lockTimeout = 20 * time.Millisecond
	t.Cleanup(func() { lockTimeout = old })
	dir := t.TempDir()
	s := open(t, dir)
	defer s.Close()
	_, err := Open(dir)
	if err == nil || !strings.Contains(err.Error(), "in use by another keaphook process") {
		t.Fatalf("second Open = %v, want an in-use error", err)
	}
}

func TestClear(t *testing.T) {
	st, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, kv := range [][3]string{{"a", "1", "x"}, {"a", "2", "y"}, {"b", "1", "z"}, {"keep", "1", "k"}} {
		if err := st.Put(kv[0], kv[1], []byte(kv[2])); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Clear("a", "b", "never-made"); err != nil {
		t.Fatalf("Clear: %v", err)
	}
	for _, bucket := range []string{"a", "b"} {
		st.ForEach(bucket, func(k string, _ []byte) error {
			t.Errorf("bucket %s still holds %s", bucket, k)
			return nil
		})
	}
	if _, ok, _ := st.Get("keep", "1"); !ok {
		t.Error("Clear removed a bucket it was not given")
	}
	if err := st.Put("a", "3", []byte("w")); err != nil {
		t.Errorf("a cleared bucket cannot be written again: %v", err)
	}
	if err := st.Clear(""); err == nil {
		t.Error("Clear of an empty bucket name succeeded")
	}
}

// Two Closes at once both return once the database is closed: the directory opens again.
func TestClosesAtOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	s.Submit(PutOp("b", "k", []byte("v")))
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- s.Close() }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("Close = %v", err)
		}
		// Whichever returns first, the close is over: the clean-stop marker is gone.
		if _, err := os.Stat(filepath.Join(dir, openMarker)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a Close returned before the Store was closed: the open marker is still there (%v)", err)
		}
	}
	s = open(t, dir)
	defer s.Close()
	if v, ok, _ := s.Get("b", "k"); !ok || string(v) != "v" {
		t.Errorf("b/k = %q, %v after both Closes, want the value submitted before them", v, ok)
	}
}
