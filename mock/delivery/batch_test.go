package delivery

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

func TestThousandAndOneChangesMakeTwoDeliveriesNewestFirst(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	apiURL := func(eventKey string, id int64) string {
		return fmt.Sprintf("http://127.0.0.1:8080/crm/rest/v1/contacts/%d", id)
	}
	e := startEngine(t, Config{Hooks: newHooks(verified("12", "contact.edit", rc.URL())), APIURL: apiURL})

	// 500 changes in one call, then 501 one by one: all while the first delivery is Pending.
	var first []Change
	for id := int64(1); id <= 500; id++ {
		first = append(first, Change{ID: id, At: t0.Add(time.Duration(id) * time.Second)})
	}
	ids := emit(t, e, "contact.edit", first...).Queued
	for id := int64(501); id <= 1001; id++ {
		ids = append(ids, emit(t, e, "contact.edit", Change{ID: id, At: t0.Add(time.Duration(id) * time.Second)}).Queued...)
	}
	big, small := ids[0], ids[len(ids)-1]
	if big == small {
		t.Fatal("1,001 changes went into one delivery")
	}
	if d := mustGet(t, e, big); d.State != Pending || d.Objects != 1000 {
		t.Fatalf("first delivery: %s with %d objects, want Pending with 1000", d.State, d.Objects)
	}
	advance(t, e, time.Minute)

	reqs := rc.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for _, c := range []struct {
		id           string
		newest, size int64
	}{{big, 1000, 1000}, {small, 1001, 1}} {
		d := mustGet(t, e, c.id)
		ev := testkit.DecodeEvent(t, d.Payload)
		if ev.EventKey != "contact.edit" || ev.ObjectType != "contact" || int64(len(ev.ObjectKeys)) != c.size {
			t.Fatalf("%s: %s/%s with %d keys", c.id, ev.EventKey, ev.ObjectType, len(ev.ObjectKeys))
		}
		for i, k := range ev.ObjectKeys {
			wantID := c.newest - int64(i)
			want := keap.ObjectKey{APIURL: apiURL("", wantID), ID: wantID, Timestamp: keap.Timestamp(t0.Add(time.Duration(wantID) * time.Second))}
			if k != want {
				t.Fatalf("%s key %d = %+v, want %+v (newest first)", c.id, i, k, want)
			}
		}
		if !bytes.Contains(d.Payload, []byte(`"api_url":""`)) || !bytes.Contains(d.Payload, fmt.Appendf(nil, `"id":%d,`, c.newest)) {
			t.Errorf("%s payload lacks api_url or integer ids: %.200s", c.id, d.Payload)
		}
	}
}

func TestChangesAfterTheFirstAttemptStartANewDelivery(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, 500)
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL()))})
	first := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	again := only(t, emit(t, e, "contact.add", Change{ID: 2}).Queued)
	if again != first {
		t.Fatalf("a change while the delivery is Pending went to %s, not %s", again, first)
	}
	advance(t, e, time.Minute) // first attempt made (and failed): the delivery is Retrying
	later := only(t, emit(t, e, "contact.add", Change{ID: 3}).Queued)
	if later == first {
		t.Fatal("a change after the first attempt joined the retrying delivery")
	}
	if got := testkit.DecodeEvent(t, mustGet(t, e, first).Payload).ObjectKeys; len(got) != 2 {
		t.Errorf("retrying delivery carries %d keys, want 2 (frozen at the first attempt)", len(got))
	}
}

func TestEmptyAPIURLAndEqualTimestamps(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	e := startEngine(t, Config{
		Hooks:       newHooks(verified("1", "invoice.payment.add", rc.URL())),
		APIURL:      func(string, int64) string { return "http://x/1" },
		EmptyAPIURL: true,
	})
	// Zero At means now: both changes carry the clock's time; the later arrival comes first.
	id := only(t, emit(t, e, "invoice.payment.add", Change{ID: 10}, Change{ID: 11}).Queued)
	ev := testkit.DecodeEvent(t, mustGet(t, e, id).Payload)
	want := []keap.ObjectKey{{ID: 11, Timestamp: "2025-03-29T10:55:00Z"}, {ID: 10, Timestamp: "2025-03-29T10:55:00Z"}}
	if ev.ObjectType != "invoice.payment" || len(ev.ObjectKeys) != 2 || ev.ObjectKeys[0] != want[0] || ev.ObjectKeys[1] != want[1] {
		t.Errorf("payload %+v, want object type invoice.payment and keys %+v", ev, want)
	}
}

func TestTagEventsWaitFiveToTenMinutes(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contactGroup.applied", rc.URL()))})
	id := only(t, emit(t, e, "contactGroup.applied", Change{ID: 1}).Queued)
	advance(t, e, 5*time.Minute-time.Second)
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("%d requests within 5 minutes of a tag event", n)
	}
	advance(t, e, 5*time.Minute+time.Second)
	d := mustGet(t, e, id)
	if d.State != Delivered {
		t.Fatalf("state %s 10 minutes after a tag event, want Delivered", d.State)
	}
	within(t, "first attempt after a tag event", d.Attempts[0].At.Sub(t0), 5*time.Minute, 10*time.Minute)
}
