package delivery

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

func within(t *testing.T, what string, got time.Duration, lo, hi time.Duration) {
	t.Helper()
	if got < lo || got > hi {
		t.Errorf("%s = %s, want between %s and %s", what, got, lo, hi)
	}
}

func TestFailingReceiverGetsKeapsFourAttemptsThenHookInactive(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusInternalServerError)
	hooks := newHooks(verified("12", "contact.edit", rc.URL()))
	log := &reportLog{}
	e := startEngine(t, Config{Hooks: hooks, Observe: log.observe})

	id := only(t, emit(t, e, "contact.edit", Change{ID: 17738}).Queued)
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("%d requests before anything was due", n)
	}
	advance(t, e, 29*time.Second)
	if n := len(rc.requests()); n != 0 {
		t.Fatalf("%d requests within 29 s of the change; Keap waits at least 30 s", n)
	}
	advance(t, e, 40*time.Minute)

	d := mustGet(t, e, id)
	if d.State != Failed || len(d.Attempts) != 4 || len(rc.requests()) != 4 {
		t.Fatalf("state %s after %d attempts and %d requests; want Failed after 4", d.State, len(d.Attempts), len(rc.requests()))
	}
	a := d.Attempts
	within(t, "first attempt after the change", a[0].At.Sub(t0), 30*time.Second, 60*time.Second)
	within(t, "wait before the 2nd attempt", a[1].At.Sub(a[0].At), 30*time.Second, 60*time.Second)
	within(t, "wait before the 3rd attempt", a[2].At.Sub(a[1].At), 5*time.Minute, 5*time.Minute)
	within(t, "wait before the 4th attempt", a[3].At.Sub(a[2].At), 30*time.Minute, 30*time.Minute)
	for i, at := range a {
		if at.Number != i+1 || at.StatusCode != 500 || at.Status != "500 Internal Server Error" || at.Succeeded {
			t.Errorf("attempt %d = %+v", i+1, at)
		}
		if at.Response != "answer "+string(rune('1'+i)) {
			t.Errorf("attempt %d kept response %q", i+1, at.Response)
		}
	}
	want := "hook 12 is now Inactive: the 4th attempt failed (500 Internal Server Error); Keap stops delivering until POST /v1/hooks/12/verify succeeds"
	if h, _ := hooks.Hook("12"); h.Status != keap.StatusInactive || hooks.reason("12") != want {
		t.Errorf("hook status %s, reason %q; want Inactive, %q", h.Status, hooks.reason("12"), want)
	}
	if rs := log.of(NoticeDeactivated); len(rs) != 1 || rs[0].Message != want {
		t.Errorf("deactivation reports %+v, want one saying %q", rs, want)
	}
	if rs := log.of(NoticeAttempt); len(rs) != 4 || !strings.Contains(rs[0].Message, "next attempt in") {
		t.Errorf("attempt reports %+v", rs)
	}
}

func TestRequestsArePostsOfThePayloadBytes(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, 500, 200)
	hooks := newHooks(verified("3", "contact.add", rc.URL()))
	e := startEngine(t, Config{Hooks: hooks, Signer: testSigner{}})
	id := only(t, emit(t, e, "contact.add", Change{ID: 5}).Queued)
	advance(t, e, 10*time.Minute)

	d := mustGet(t, e, id)
	reqs := rc.requests()
	if d.State != Delivered || len(reqs) != 2 {
		t.Fatalf("state %s after %d requests, want Delivered after 2", d.State, len(reqs))
	}
	for i, r := range reqs {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" ||
			!strings.HasPrefix(r.Header.Get("User-Agent"), "keaphook") {
			t.Errorf("request %d: %s, Content-Type %q, User-Agent %q", i+1, r.Method, r.Header.Get("Content-Type"), r.Header.Get("User-Agent"))
		}
		if !bytes.Equal(r.Body, d.Payload) {
			t.Errorf("request %d body %s differs from the delivery's payload %s", i+1, r.Body, d.Payload)
		}
		// The message id is the delivery's on every attempt; the timestamp is the attempt's.
		if got := r.Header.Get("Webhook-Id"); got != d.MessageID || got == "" {
			t.Errorf("request %d Webhook-Id %q, want %q", i+1, got, d.MessageID)
		}
		if got, want := r.Header.Get("Webhook-Timestamp"), d.Attempts[i].At.Unix(); got != strconv.FormatInt(want, 10) {
			t.Errorf("request %d signed at %s, want attempt time %d", i+1, got, want)
		}
	}
}

func Test410MakesHookInactiveAtOnce(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, http.StatusGone)
	hooks := newHooks(verified("7", "contact.add", rc.URL()))
	e := startEngine(t, Config{Hooks: hooks})
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	advance(t, e, 2*time.Hour)

	d := mustGet(t, e, id)
	if d.State != Failed || len(d.Attempts) != 1 || len(rc.requests()) != 1 {
		t.Fatalf("state %s, %d attempts, %d requests; want Failed after 1", d.State, len(d.Attempts), len(rc.requests()))
	}
	want := "hook 7 is now Inactive: the receiver answered 410 Gone at attempt 1; Keap stops delivering until POST /v1/hooks/7/verify succeeds"
	if got := hooks.reason("7"); got != want {
		t.Errorf("deactivation reason %q, want %q", got, want)
	}
}

func TestSuccessOnThirdAttemptIsDelivered(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, 503, 500, 201)
	hooks := newHooks(verified("1", "note.add", rc.URL()))
	e := startEngine(t, Config{Hooks: hooks})
	id := only(t, emit(t, e, "note.add", Change{ID: 9}).Queued)
	advance(t, e, time.Hour)

	d := mustGet(t, e, id)
	if d.State != Delivered || len(d.Attempts) != 3 || !d.Attempts[2].Succeeded || len(rc.requests()) != 3 {
		t.Fatalf("state %s, attempts %+v; want Delivered on the 3rd", d.State, d.Attempts)
	}
	if !d.NextAttemptAt.IsZero() {
		t.Errorf("a delivered delivery still has a next attempt at %s", d.NextAttemptAt)
	}
	if h, _ := hooks.Hook("1"); h.Status != keap.StatusVerified {
		t.Errorf("hook is %s after a delivered delivery", h.Status)
	}
}

func TestSuccessPolicy(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		success Success
		status  int
		want    State
		tries   int
	}{
		{"keap counts 204 as success", KeapSuccess, 204, Delivered, 1},
		{"keap counts 302 as success", KeapSuccess, 302, Delivered, 1},
		{"keap counts 404 as failure", KeapSuccess, 404, Failed, 4},
		{"only-200 counts 204 as failure", OnlyOK, 204, Failed, 4},
		{"only-200 counts 200 as success", OnlyOK, 200, Delivered, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rc := newReceiverFunc(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
				if c.status == 302 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(c.status)
			})
			p := KeapPolicy()
			p.Success = c.success
			e := startEngine(t, Config{Hooks: newHooks(verified("1", "task.add", rc.URL())), Policy: p})
			id := only(t, emit(t, e, "task.add", Change{ID: 1}).Queued)
			advance(t, e, time.Hour)
			if d := mustGet(t, e, id); d.State != c.want || len(d.Attempts) != c.tries {
				t.Errorf("state %s after %d attempts, want %s after %d", d.State, len(d.Attempts), c.want, c.tries)
			}
		})
	}
}

func TestSlowReceiverFailsOnTheAttemptTimeout(t *testing.T) {
	t.Parallel()
	rc := newReceiverFunc(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers; the engine gives up and hangs up
	})
	p := KeapPolicy()
	p.AttemptTimeout = 50 * time.Millisecond
	p.MaxAttempts = 2
	hooks := newHooks(verified("4", "order.add", rc.URL()))
	e := startEngine(t, Config{Hooks: hooks, Policy: p})
	id := only(t, emit(t, e, "order.add", Change{ID: 1}).Queued)
	advance(t, e, time.Hour)

	d := mustGet(t, e, id)
	if d.State != Failed || len(d.Attempts) != 2 {
		t.Fatalf("state %s after %d attempts, want Failed after 2", d.State, len(d.Attempts))
	}
	for _, a := range d.Attempts {
		if a.Error != "no answer within 50ms" || a.StatusCode != 0 || a.Duration < 50*time.Millisecond {
			t.Errorf("attempt %+v, want a 50ms timeout", a)
		}
	}
	if got := hooks.reason("4"); !strings.Contains(got, "the 2nd attempt failed (no answer within 50ms)") {
		t.Errorf("deactivation reason %q", got)
	}
}

func TestUnreachableReceiverFails(t *testing.T) {
	t.Parallel()
	url := "http://" + testkit.RefusedAddr(t) + "/hooks"
	p := KeapPolicy()
	p.MaxAttempts = 1
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "user.add", url)), Policy: p})
	id := only(t, emit(t, e, "user.add", Change{ID: 1}).Queued)
	advance(t, e, time.Hour)
	if a := mustGet(t, e, id).Attempts; len(a) != 1 || !strings.Contains(a[0].Error, "refused") {
		t.Errorf("attempts %+v, want one refused connection", a)
	}
}
