package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

var _ Store = (*store.Store)(nil)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// durable builds and runs an engine on the store in dir, with a virtual clock at start.
func durable(t *testing.T, dir string, hooks *fakeHooks, start time.Time) (*Engine, func()) {
	t.Helper()
	st := openStore(t, dir)
	e, err := New(Config{Hooks: hooks, Timing: TimingVirtual, Clock: NewVirtualClock(start), Store: st})
	if err != nil {
		st.Close()
		t.Fatalf("New on %s: %v", dir, err)
	}
	stop := runUntilCleanup(t, e)
	return e, func() {
		stop()
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	}
}

func TestRestartResumesRetriesAndNeverResendsDelivered(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good, flaky := newReceiver(t), newReceiver(t, 500, 200)
	hooks := newHooks(verified("1", "contact.add", good.URL()), verified("2", "contact.add", flaky.URL()),
		verified("3", "contact.edit", good.URL()))

	e, closeFirst := durable(t, dir, hooks, t0)
	sent := emit(t, e, "contact.add", Change{ID: 1}).Queued
	now := advance(t, e, time.Minute)
	pending := only(t, emit(t, e, "contact.edit", Change{ID: 7}).Queued)
	closeFirst() // stop without finishing: one Retrying, one Pending

	e, closeSecond := durable(t, dir, hooks, now)
	defer closeSecond()
	want := map[State]int{Pending: 1, Attempting: 0, Retrying: 1, Delivered: 1, Failed: 0, Dropped: 0}
	if got := e.Counts(); !equalCounts(got, want) {
		t.Fatalf("after reopening, counts %v, want %v", got, want)
	}
	if again := only(t, emit(t, e, "contact.edit", Change{ID: 8}).Queued); again != pending {
		t.Errorf("a change after the restart went to %s, not the restored Pending %s", again, pending)
	}
	advance(t, e, time.Hour)

	if d := mustGet(t, e, sent[1]); d.State != Delivered || len(d.Attempts) != 2 || d.Attempts[0].StatusCode != 500 {
		t.Errorf("the retrying delivery after restart: %s with attempts %+v", d.State, d.Attempts)
	}
	if d := mustGet(t, e, pending); d.State != Delivered || d.Objects != 2 {
		t.Errorf("the pending delivery after restart: %s with %d objects", d.State, d.Objects)
	}
	if n := len(good.requests()); n != 2 { // hook 1's delivery once, hook 3's once
		t.Errorf("the good receiver got %d requests, want 2: a Delivered delivery was sent again", n)
	}
	if re, err := e.Redeliver(sent[0]); err != nil || re.ID <= pending {
		t.Errorf("Redeliver after restart = %s, %v; want a fresh id after %s", re.ID, err, pending)
	}
}

func TestAttemptInFlightAtShutdownIsMadeAgain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	arrived := make(chan struct{})
	rc := newReceiverFunc(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			close(arrived)
			<-r.Context().Done() // the mock dies before the answer
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	hooks := newHooks(verified("1", "contact.add", rc.URL()))
	e, closeFirst := durable(t, dir, hooks, t0)
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	advanced := make(chan error, 1)
	go func() { _, err := e.Advance(context.Background(), time.Minute); advanced <- err }()
	<-arrived
	now := e.Now()
	closeFirst()
	if err := <-advanced; err == nil || !strings.Contains(err.Error(), "stopped") {
		t.Errorf("Advance cut short by shutdown = %v", err)
	}
	st := openStore(t, dir)
	raw, _, _ := st.Get(StoreBucket, id)
	st.Close()
	var saved Delivery
	if err := json.Unmarshal(raw, &saved); err != nil || saved.State != Pending || len(saved.Attempts) != 0 {
		t.Fatalf("saved at shutdown: %s with %d attempts (%v); want Pending, the attempt unacknowledged", saved.State, len(saved.Attempts), err)
	}

	e, closeSecond := durable(t, dir, hooks, now)
	defer closeSecond()
	advance(t, e, 0)
	if d := mustGet(t, e, id); d.State != Delivered || len(d.Attempts) != 1 || len(rc.requests()) != 2 {
		t.Errorf("after restart: %s, %d attempts, %d requests; want the attempt made again", d.State, len(d.Attempts), len(rc.requests()))
	}
}

// failingStore refuses every write.
type failingStore struct{}

func (failingStore) Submit(...store.Op) *store.Commit { return store.Failed(errors.New("disk full")) }
func (failingStore) ForEach(string, func(string, []byte) error) error {
	return nil
}

func TestStoreErrorsAreReturnedAndReported(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	log := &reportLog{}
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL())), Store: failingStore{}, Observe: log.observe})
	out, err := e.Emit("contact.add", Change{ID: 1})
	if err == nil || !strings.Contains(err.Error(), "save delivery d_000001: disk full") {
		t.Errorf("Emit with a failing store = %v", err)
	}
	advance(t, e, time.Minute)
	if d := mustGet(t, e, only(t, out.Queued)); d.State != Delivered {
		t.Errorf("state %s: a store failure must not stop delivery", d.State)
	}
	// Two saves failed: the new delivery, Delivered.
	rs := log.of(NoticeStoreError)
	if len(rs) != 2 {
		t.Errorf("%d store-error reports, want one per failed save (2)", len(rs))
	}
	for _, r := range rs {
		if !strings.Contains(r.Message, "save delivery d_000001: disk full") {
			t.Errorf("store-error report %q does not say which save failed and why", r.Message)
		}
	}
}

func TestCorruptStoredDeliveryIsAnError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := openStore(t, dir)
	defer st.Close()
	if err := st.Put(StoreBucket, "d_000001", []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	_, err := New(Config{Hooks: newHooks(), Store: st})
	if err == nil || !strings.Contains(err.Error(), "delivery d_000001 in the store") {
		t.Errorf("New on a corrupt store = %v", err)
	}
}

func equalCounts(a, b map[State]int) bool {
	for _, s := range States {
		if a[s] != b[s] {
			return false
		}
	}
	return true
}

// storedIDs lists the delivery ids the store in dir holds.
func storedIDs(t *testing.T, st *store.Store) []string {
	t.Helper()
	var ids []string
	if err := st.ForEach(StoreBucket, func(key string, _ []byte) error {
		ids = append(ids, key)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

// Retention forgets deliveries on disk as in memory, including those one Emit drops at once.
func TestRetainForgetsStoredDeliveriesToo(t *testing.T) {
	t.Parallel()
	st := openStore(t, t.TempDir())
	defer st.Close()
	hooks := newHooks(
		keap.RestHook{Key: "1", EventKey: "contact.add", HookURL: "http://127.0.0.1:1/hook", Status: keap.StatusUnverified},
		keap.RestHook{Key: "2", EventKey: "contact.add", HookURL: "http://127.0.0.1:1/hook", Status: keap.StatusInactive},
	)
	e := startEngine(t, Config{Hooks: hooks, Store: st, Retain: Retention{Count: 1}})
	out := emit(t, e, "contact.add", Change{ID: 1})
	if len(out.Dropped) != 2 {
		t.Fatalf("Emit = %+v, want 2 dropped", out)
	}
	held := e.List(Filter{})
	if len(held) != 1 || held[0].ID != out.Dropped[1] {
		t.Fatalf("the engine holds %d deliveries, want only the newest, %s", len(held), out.Dropped[1])
	}
	if diff := cmp.Diff([]string{out.Dropped[1]}, storedIDs(t, st)); diff != "" {
		t.Errorf("stored deliveries with Retain 1 (-want +got):\n%s", diff)
	}
}
