package delivery

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock/keap"
)

func TestRedeliverSendsTheSamePayloadAgainNow(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL()))})
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}, Change{ID: 2}).Queued)
	if _, err := e.Redeliver(id); err == nil || !strings.Contains(err.Error(), "still Pending") {
		t.Errorf("Redeliver of a Pending delivery = %v, want a still-Pending error", err)
	}
	advance(t, e, time.Minute)
	orig := mustGet(t, e, id)

	re, err := e.Redeliver(id)
	if err != nil {
		t.Fatal(err)
	}
	if re.ID == id || re.RedeliveryOf != id || re.State != Pending || !bytes.Equal(re.Payload, orig.Payload) || re.Objects != 2 {
		t.Fatalf("redelivery %+v", re)
	}
	if !re.NextAttemptAt.Equal(e.Now()) {
		t.Errorf("redelivery due %s, want now (%s)", re.NextAttemptAt, e.Now())
	}
	advance(t, e, 0)
	reqs := rc.requests()
	if len(reqs) != 2 || !bytes.Equal(reqs[1].Body, orig.Payload) {
		t.Fatalf("%d requests; the redelivery must send the same bytes", len(reqs))
	}
	if d := mustGet(t, e, re.ID); d.State != Delivered || len(d.Attempts) != 1 {
		t.Errorf("redelivery ended %s after %d attempts", d.State, len(d.Attempts))
	}
	if _, err := e.Redeliver("d_999999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Redeliver of an unknown id = %v, want ErrNotFound", err)
	}
}

func TestListFiltersNewestFirstAndReturnsCopies(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	hooks := newHooks(verified("1", "contact.add", rc.URL()), verified("2", "contact.edit", rc.URL()))
	e := startEngine(t, Config{Hooks: hooks})
	a := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	advance(t, e, time.Minute)
	b := only(t, emit(t, e, "contact.edit", Change{ID: 2}).Queued)
	c := only(t, emit(t, e, "contact.add", Change{ID: 3}).Queued)

	ids := func(ds []Delivery) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	for _, tc := range []struct {
		f    Filter
		want []string
	}{
		{Filter{}, []string{c, b, a}},
		{Filter{HookKey: "1"}, []string{c, a}},
		{Filter{EventKey: "contact.edit"}, []string{b}},
		{Filter{State: Pending}, []string{c, b}},
		{Filter{HookKey: "1", State: Delivered}, []string{a}},
		{Filter{Limit: 1}, []string{c}},
		{Filter{HookKey: "nope"}, nil},
	} {
		if diff := cmp.Diff(tc.want, ids(e.List(tc.f))); diff != "" {
			t.Errorf("List(%+v) (-want +got):\n%s", tc.f, diff)
		}
	}
	got := e.List(Filter{HookKey: "1", State: Delivered})[0]
	got.Payload[0] = 'X'
	got.Attempts[0].Status = "tampered"
	if d := mustGet(t, e, a); d.Payload[0] != '{' || d.Attempts[0].Status != "200 OK" {
		t.Error("changing a listed delivery changed the engine's copy")
	}
	want := map[State]int{Pending: 2, Attempting: 0, Retrying: 0, Delivered: 1, Failed: 0, Dropped: 0}
	if diff := cmp.Diff(want, e.Counts()); diff != "" {
		t.Errorf("Counts (-want +got):\n%s", diff)
	}
}

func TestDeliveryJSONEmbedsThePayload(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, 500)
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL()))})
	id := only(t, emit(t, e, "contact.add", Change{ID: 17738}).Queued)
	advance(t, e, time.Minute)
	d := mustGet(t, e, id)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"id":"` + id + `"`, `"payload":{"event_key":"contact.add","object_type":"contact","object_keys":[{"apiUrl":"","id":17738,`,
		`"state":"Retrying"`, `"statusCode":500`, `"status":"500 Internal Server Error"`, `"duration":"`, `"nextAttemptAt":"2025-03-29T`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var back Delivery
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
}

func TestRetainForgetsTheOldestFinishedDeliveries(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL())), Retain: Retention{Count: 2}})
	var ids []string
	for i := range 3 {
		ids = append(ids, only(t, emit(t, e, "contact.add", Change{ID: int64(i + 1)}).Queued))
		advance(t, e, time.Minute)
	}
	if _, ok := e.Get(ids[0]); ok {
		t.Error("the oldest finished delivery is still held with Retain 2")
	}
	if got := len(e.List(Filter{})); got != 2 || e.Counts()[Delivered] != 2 {
		t.Errorf("List holds %d, Counts %v; want 2 Delivered", got, e.Counts())
	}
}

// A limited List walks back from the newest delivery; it must agree with a full scan, for
// dense and sparse matches alike.
func TestLimitedListAgreesWithAScan(t *testing.T) {
	t.Parallel()
	hook := verified("1", "contact.add", "http://127.0.0.1:1/")
	hook.Status = keap.StatusUnverified
	hooks := newHooks(hook)
	e := startEngine(t, Config{Hooks: hooks})
	for i := range 300 {
		emit(t, e, "contact.add", Change{ID: int64(i + 1)}) // Dropped at once: the hook is not Verified
	}
	e.mu.Lock()
	e.setStateLocked(e.records[7], Failed) // one sparse match, deep in the list
	e.mu.Unlock()
	for _, f := range []Filter{{Limit: 51}, {Limit: 1}, {State: Failed, Limit: 51}, {State: Dropped, Limit: 10}, {HookKey: "2", Limit: 5}} {
		e.mu.Lock()
		want := e.scanLocked(f)
		e.mu.Unlock()
		got := e.List(f)
		if len(got) != len(want) {
			t.Fatalf("%+v: %d deliveries, a scan finds %d", f, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("%+v: #%d is %s, a scan says %s", f, i, got[i].ID, want[i].ID)
			}
		}
	}
}

// A delivery is found by its id exactly: the same number spelt otherwise is no id.
func TestGetTakesExactIDs(t *testing.T) {
	t.Parallel()
	hook := verified("1", "contact.add", "http://127.0.0.1:1/")
	hook.Status = keap.StatusUnverified
	e := startEngine(t, Config{Hooks: newHooks(hook)})
	emit(t, e, "contact.add", Change{ID: 1})
	if _, ok := e.Get("d_000001"); !ok {
		t.Fatal("Get(d_000001) found nothing")
	}
	for _, id := range []string{"d_1", "d_0000001", "1", "d_", "d_000002", ""} {
		if d, ok := e.Get(id); ok {
			t.Errorf("Get(%q) found %s", id, d.ID)
		}
		if _, err := e.Redeliver(id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Redeliver(%q): %v, want ErrNotFound", id, err)
		}
	}
}

// A limited List walks back over the newest sequence numbers under the engine's lock; a step
// of that walk allocates nothing, however far it goes before it gives up.
func TestLimitedListWalkAllocatesNothingPerStep(t *testing.T) {
	hook := verified("1", "contact.add", "http://127.0.0.1:1/")
	hook.Status = keap.StatusUnverified
	e := startEngine(t, Config{Hooks: newHooks(hook)})
	for i := range 300 {
		emit(t, e, "contact.add", Change{ID: int64(i + 1)}) // Dropped at once: the hook is not Verified
	}
	none := Filter{State: Failed, Limit: 50} // no match: the walk runs its whole budget, 264 steps
	allocs := testing.AllocsPerRun(20, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if _, ok := e.newestLocked(none); ok {
			t.Fatal("the walk found its matches; want it to give up")
		}
	})
	if allocs > 0 {
		t.Errorf("a walk of 264 steps allocates %.0f times; want none", allocs)
	}
}
