package delivery

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

func TestEventsForHooksNotVerifiedAreDroppedAndCounted(t *testing.T) {
	t.Parallel()
	ok, unverified, inactive := newReceiver(t), newReceiver(t), newReceiver(t)
	hooks := newHooks(
		verified("1", "contact.add", ok.URL()),
		keap.RestHook{Key: "2", EventKey: "contact.add", HookURL: unverified.URL(), Status: keap.StatusUnverified},
		keap.RestHook{Key: "3", EventKey: "contact.add", HookURL: inactive.URL(), Status: keap.StatusInactive},
	)
	log := &reportLog{}
	e := startEngine(t, Config{Hooks: hooks, Observe: log.observe})

	out := emit(t, e, "contact.add", Change{ID: 1}, Change{ID: 2})
	if len(out.Queued) != 1 || len(out.Dropped) != 2 {
		t.Fatalf("Emit = %+v, want 1 queued and 2 dropped", out)
	}
	advance(t, e, time.Hour)

	if n, m, k := len(ok.requests()), len(unverified.requests()), len(inactive.requests()); n != 1 || m != 0 || k != 0 {
		t.Errorf("requests: verified %d, unverified %d, inactive %d; want 1, 0, 0", n, m, k)
	}
	if c := e.Counts(); c[Dropped] != 2 || c[Delivered] != 1 {
		t.Errorf("counts %v, want 2 Dropped and 1 Delivered", c)
	}
	d := mustGet(t, e, out.Dropped[0])
	if d.State != Dropped || d.Objects != 2 || len(d.Attempts) != 0 || !strings.Contains(d.Reason, "hook 2 is Unverified") {
		t.Errorf("dropped delivery %+v", d)
	}
	if rs := log.of(NoticeDropped); len(rs) != 2 || !strings.Contains(rs[1].Message, "hook 3 is Inactive") {
		t.Errorf("drop reports %+v", rs)
	}
}

func TestHookDeletedOrUnverifiedBeforeTheAttemptIsDropped(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, 500)
	hooks := newHooks(verified("1", "note.add", rc.URL()), verified("2", "note.add", rc.URL()))
	e := startEngine(t, Config{Hooks: hooks})
	out := emit(t, e, "note.add", Change{ID: 1})
	hooks.remove("1")
	advance(t, e, time.Minute) // hook 2 gets its first attempt (500)
	h2, _ := hooks.Hook("2")
	h2.Status = keap.StatusUnverified // as after a PUT with a new URL
	hooks.set(h2)
	advance(t, e, time.Hour)

	if d := mustGet(t, e, out.Queued[0]); d.State != Dropped || len(d.Attempts) != 0 || d.Reason != "hook 1 was deleted before the attempt" {
		t.Errorf("delivery to the deleted hook: %s, %d attempts, reason %q", d.State, len(d.Attempts), d.Reason)
	}
	d := mustGet(t, e, out.Queued[1])
	if d.State != Dropped || len(d.Attempts) != 1 || !strings.Contains(d.Reason, "hook 2 was Unverified when the attempt was due") {
		t.Errorf("delivery to the unverified hook: %s, %d attempts, reason %q", d.State, len(d.Attempts), d.Reason)
	}
	if n := len(rc.requests()); n != 1 {
		t.Errorf("%d requests, want only hook 2's first attempt", n)
	}
}

func TestEveryAttemptUsesTheHooksCurrentURL(t *testing.T) {
	t.Parallel()
	old, moved := newReceiver(t, http.StatusInternalServerError), newReceiver(t)
	hooks := newHooks(verified("5", "task.add", old.URL()))
	e := startEngine(t, Config{Hooks: hooks})
	id := only(t, emit(t, e, "task.add", Change{ID: 1}).Queued)
	advance(t, e, time.Minute)
	hooks.set(verified("5", "task.add", moved.URL()))
	advance(t, e, time.Hour)

	d := mustGet(t, e, id)
	if d.State != Delivered || len(old.requests()) != 1 || len(moved.requests()) != 1 {
		t.Fatalf("state %s; old URL got %d, new URL %d requests", d.State, len(old.requests()), len(moved.requests()))
	}
	if d.Attempts[0].URL != old.URL() || d.Attempts[1].URL != moved.URL() || d.URL != moved.URL() {
		t.Errorf("attempt URLs %s, %s; delivery URL %s", d.Attempts[0].URL, d.Attempts[1].URL, d.URL)
	}
}

func TestHookNowListeningForAnotherEventKeyGetsNothing(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	hooks := newHooks(verified("1", "contact.add", rc.URL()))
	e := startEngine(t, Config{Hooks: hooks})
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	hooks.set(verified("1", "contact.edit", rc.URL())) // as after a PUT with a new eventKey
	advance(t, e, time.Hour)

	d := mustGet(t, e, id)
	if d.State != Dropped || len(d.Attempts) != 0 || d.Reason != "hook 1 now listens for contact.edit, not contact.add" {
		t.Errorf("delivery to a hook that changed its event key: %s, %d attempts, reason %q", d.State, len(d.Attempts), d.Reason)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}
