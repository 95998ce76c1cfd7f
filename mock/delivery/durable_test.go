package delivery

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// savingHooks saves a deactivation as a store op, as the mock does.
type savingHooks struct{ *fakeHooks }

func (h savingHooks) Deactivate(key, reason string, save func(...store.Op)) {
	h.fakeHooks.Deactivate(key, reason, func(...store.Op) {
		save(store.PutOp("hooks", key, []byte(keap.StatusInactive)))
	})
}

// recordingStore remembers which keys each Submit carried.
type recordingStore struct {
	*store.Store
	mu      sync.Mutex
	submits [][]string
}

func (s *recordingStore) Submit(ops ...store.Op) *store.Commit {
	keys := make([]string, len(ops))
	for i, o := range ops {
		keys[i] = o.Bucket() + "/" + o.Key()
	}
	s.mu.Lock()
	s.submits = append(s.submits, keys)
	s.mu.Unlock()
	return s.Store.Submit(ops...)
}

// A delivery's Failed state and its hook's Inactive status go to the Store in one Submit,
// hence one transaction: no crash can keep one without the other.
func TestFailedDeliveryAndInactiveHookAreOneTransaction(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusGone)
	st := &recordingStore{Store: openStore(t, t.TempDir())}
	defer st.Close()
	hooks := savingHooks{newHooks(verified("7", "contact.add", rc.URL()))}
	e := startEngine(t, Config{Hooks: hooks, Store: st})
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	advance(t, e, time.Minute)
	if d := mustGet(t, e, id); d.State != Failed {
		t.Fatalf("delivery %s, want Failed after a 410", d.State)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	together := slices.ContainsFunc(st.submits, func(keys []string) bool {
		return slices.Contains(keys, StoreBucket+"/"+id) && slices.Contains(keys, "hooks/7")
	})
	if !together {
		t.Errorf("the Failed delivery and the Inactive hook were saved apart: %v", st.submits)
	}
}

// A message id is the same on every attempt of a delivery, different for every delivery,
// and never repeats in a new engine, even one with the same seed (a restart or a reset).
func TestMessageIDsAreUniqueAcrossEngines(t *testing.T) {
	t.Parallel()
	rc := newReceiverFunc(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader([]int{http.StatusOK, http.StatusInternalServerError}[n%2]) // every delivery fails once
	})
	seen := map[string]string{}
	for range 3 {
		e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL())), Signer: testSigner{}})
		for i := range 2 {
			id := only(t, emit(t, e, "contact.add", Change{ID: int64(i)}).Queued)
			advance(t, e, time.Hour)
			msg := mustGet(t, e, id).MessageID
			seq := "_" + strings.TrimLeft(strings.TrimPrefix(id, "d_"), "0")
			if !strings.HasPrefix(msg, "msg_") || !strings.HasSuffix(msg, seq) || len(msg) != len("msg_")+16+len(seq) {
				t.Errorf("message id %q of %s, want msg_, the run's 16 hex digits, then %s", msg, id, seq)
			}
			if other, dup := seen[msg]; dup {
				t.Fatalf("message id %s of %s was already used by %s", msg, id, other)
			}
			seen[msg] = id
		}
	}
	attempts := map[string]int{}
	for _, r := range rc.requests() {
		attempts[r.Header.Get("Webhook-Id")]++
	}
	for msg := range seen {
		if attempts[msg] != 2 {
			t.Errorf("message %s was sent %d times, want both attempts under it", msg, attempts[msg])
		}
	}
	if len(attempts) != len(seen) {
		t.Errorf("requests carried %d message ids, want %d", len(attempts), len(seen))
	}
}

// A Pending delivery already due when the engine restarts may have been sent before the
// crash (its attempt is never saved): it takes no more changes, so the payload its message id
// is sent with again is the one it may already have carried.
func TestRestoredDuePendingTakesNoMoreChanges(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	hooks := newHooks(verified("1", "contact.add", "http://127.0.0.1:1/hook"))
	e, closeFirst := durable(t, dir, hooks, t0)
	first := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	closeFirst()

	e, closeSecond := durable(t, dir, hooks, t0.Add(2*time.Minute)) // past its due time
	defer closeSecond()
	if d := mustGet(t, e, first); d.State != Pending {
		t.Fatalf("restored %s, want Pending", d.State)
	}
	if next := only(t, emit(t, e, "contact.add", Change{ID: 2}).Queued); next == first {
		t.Errorf("a change after the restart joined %s, which was already due", first)
	}
	if d := mustGet(t, e, first); d.Objects != 1 {
		t.Errorf("%s carries %d objects after the restart, want its 1", first, d.Objects)
	}
}

// An emit to more hooks than a transaction takes is saved in parts of at most store.TxOps
// deliveries, each hook's in one part, and all of it is on disk when Emit returns.
func TestLargeEmitIsSavedInParts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const n = 2*store.TxOps + 10
	hooks := fanOutHooks(n, "http://127.0.0.1:1/hook")
	st := &recordingStore{Store: openStore(t, dir)}
	e, err := New(Config{Hooks: hooks, Timing: TimingVirtual, Clock: NewVirtualClock(t0), Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if out := emit(t, e, "contact.add", Change{ID: 1}); len(out.Queued) != n {
		t.Fatalf("%d deliveries queued, want %d", len(out.Queued), n)
	}
	st.mu.Lock()
	saved := 0
	for _, keys := range st.submits {
		if len(keys) > store.TxOps {
			t.Errorf("one Submit saved %d deliveries, more than a transaction takes (%d)", len(keys), store.TxOps)
		}
		saved += len(keys)
	}
	if len(st.submits) != 3 || saved != n {
		t.Errorf("%d deliveries saved in %d Submits, want %d in 3", saved, len(st.submits), n)
	}
	st.mu.Unlock()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	again := openStore(t, dir)
	defer again.Close()
	e, err = New(Config{Hooks: hooks, Timing: TimingVirtual, Clock: NewVirtualClock(t0), Store: again})
	if err != nil {
		t.Fatal(err)
	}
	if c := e.Counts(); c[Pending] != n {
		t.Errorf("after a restart: %v, want all %d deliveries Pending", c, n)
	}
}

// A part of an emit of many changes takes fewer hooks: each may take several deliveries,
// and a part saves at most store.TxOps. The most one hook can take is checked against the
// engine itself: its open delivery one change short of full, then the emit.
func TestHooksPerPartLeaveRoomForEveryDelivery(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 999, 1000, 1001, 1999, 2000, 2001, 5000} {
		e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", "http://127.0.0.1:1/h"))})
		first := make([]Change, keap.MaxObjectsPerDelivery-1)
		for i := range first {
			first[i] = Change{ID: int64(i + 1)}
		}
		emit(t, e, "contact.add", first...)
		changes := make([]Change, n)
		for i := range changes {
			changes[i] = Change{ID: int64(10_000 + i)}
		}
		most := len(emit(t, e, "contact.add", changes...).Queued)
		if got := hooksPerPart(n); got != store.TxOps/most {
			t.Errorf("%d changes: %d hooks a part, each taking up to %d deliveries; want the most that fit in %d", n, got, most, store.TxOps)
		}
	}
}

// A large emit that cannot be saved says which deliveries of each part were not, in one
// report.
func TestLargeEmitSaveErrorsNameEachPart(t *testing.T) {
	t.Parallel()
	log := &reportLog{}
	const n = store.TxOps + 1
	e, err := New(Config{Hooks: fanOutHooks(n, "http://127.0.0.1:1/hook"), Timing: TimingVirtual,
		Clock: NewVirtualClock(t0), Store: failingStore{}, Observe: log.observe})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Emit("contact.add", Change{ID: 1})
	if len(out.Queued) != n {
		t.Errorf("%d deliveries queued, want %d: a failed save must not lose them", len(out.Queued), n)
	}
	for _, want := range []string{"save 4096 deliveries (d_000001 to d_004096): disk full", "save delivery d_004097: disk full"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Emit = %v, want it to say %q", err, want)
		}
	}
	if rs := log.of(NoticeStoreError); len(rs) != 1 {
		t.Errorf("%d store-error reports, want 1 for the emit", len(rs))
	}
}

// firstSubmitsStore writes only its first n Submits, as a store the process died under would.
type firstSubmitsStore struct {
	*store.Store
	n int
}

func (s *firstSubmitsStore) Submit(ops ...store.Op) *store.Commit {
	if s.n == 0 {
		return store.Failed(errors.New("killed"))
	}
	s.n--
	return s.Store.Submit(ops...)
}

// A large emit cut short keeps whole parts: a restart finds every delivery of the parts
// written and none of the rest, and sends those it finds.
func TestLargeEmitCutShortKeepsWholeParts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rc := newReceiver(t)
	const n = 2*store.TxOps + 10
	hooks := fanOutHooks(n, rc.URL())
	st := &firstSubmitsStore{Store: openStore(t, dir), n: 1}
	e, err := New(Config{Hooks: hooks, Timing: TimingVirtual, Clock: NewVirtualClock(t0), Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Emit("contact.add", Change{ID: 1}); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Emit = %v, want the failed parts' error", err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	e, closeAgain := durable(t, dir, hooks, t0)
	defer closeAgain()
	if c := e.Counts(); c[Pending] != store.TxOps {
		t.Fatalf("after a restart: %v, want the first part's %d deliveries Pending", c, store.TxOps)
	}
	advance(t, e, time.Hour)
	if c := e.Counts(); c[Delivered] != store.TxOps {
		t.Errorf("after an advance: %v, want the first part's %d deliveries Delivered", c, store.TxOps)
	}
}

// An engine whose Run has returned (the mock was reset or closed) saves nothing more, and says
// so: an emit still reaching it must not put deliveries into a Store the next engine now owns.
func TestStoppedEngineSavesNothing(t *testing.T) {
	t.Parallel()
	st := &recordingStore{Store: openStore(t, t.TempDir())}
	defer st.Close()
	e, err := New(Config{Hooks: newHooks(verified("1", "contact.add", "http://127.0.0.1:1/h")), Timing: TimingVirtual,
		Clock: NewVirtualClock(t0), Store: st})
	if err != nil {
		t.Fatal(err)
	}
	emit(t, e, "contact.add", Change{ID: 1})
	runUntilCleanup(t, e)()
	out, err := e.Emit("contact.add", Change{ID: 2})
	if !errors.Is(err, ErrStopped) {
		t.Errorf("Emit after Run returned = %v, want ErrStopped: the caller must learn nothing was kept", err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.submits) != 1 {
		t.Errorf("Submits %v: the emit after Run returned saved %v", st.submits, out.Queued)
	}
}
