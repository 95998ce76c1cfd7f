package receiver

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
)

const whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

func standardSigned(t *testing.T, id string, at time.Time, body string) http.Header {
	t.Helper()
	h := http.Header{}
	if err := (signature.Config{Scheme: signature.Standard, Secrets: []string{whsec}}).Sign(h, id, at, []byte(body)); err != nil {
		t.Fatal(err)
	}
	return h
}

// The same Standard Webhooks message posted three times is forwarded once; the copies get a
// 401 that says why. The sender's own retry, signed afresh, gets through.
func TestStandardWebhooksReplaysAreRefused(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	var clock atomic.Int64 // minutes after now
	a := newApp(t, nil)
	url, evs := relay(t, Config{ForwardTo: a.URL, Now: func() time.Time { return now.Add(time.Duration(clock.Load()) * time.Minute) },
		Signature: signature.Config{Scheme: signature.Standard, Secrets: []string{whsec}}})
	msg := standardSigned(t, "msg_1", now, delivery)
	for i, want := range []int{200, 401, 401} {
		clock.Store(int64(i))
		status, _, body := post(t, url, msg, []byte(delivery))
		if status != want {
			t.Fatalf("post %d: %d %q, want %d", i+1, status, body, want)
		}
		if want == 401 && (!strings.Contains(string(body), `message "msg_1"`) || !strings.Contains(string(body), "replay")) {
			t.Fatalf("post %d: refusal %q does not say it is a replay", i+1, body)
		}
	}
	if n := len(a.received()); n != 1 {
		t.Fatalf("the app received %d copies, want 1", n)
	}
	if ev := evs.last(t); ev.Kind != KindRejected {
		t.Fatalf("a replay is reported as %q", ev.Kind)
	}
	if status, _, _ := post(t, url, standardSigned(t, "msg_1", now.Add(2*time.Minute), delivery), []byte(delivery)); status != 200 {
		t.Fatalf("the sender's retry (same id, new timestamp) got %d", status)
	}
}

// A message whose forward failed is forgotten: the sender retries it, perhaps within the same
// second, and the retry must reach the app.
func TestFailedDeliveryIsNotHeldAsSeen(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	var fail atomic.Bool
	fail.Store(true)
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	url, _ := relay(t, Config{ForwardTo: a.URL, Now: fixedNow(now),
		Signature: signature.Config{Scheme: signature.Standard, Secrets: []string{whsec}}})
	msg := standardSigned(t, "msg_2", now, delivery)
	if status, _, _ := post(t, url, msg, []byte(delivery)); status != 500 {
		t.Fatalf("first attempt %d, want the app's 500", status)
	}
	fail.Store(false)
	if status, _, _ := post(t, url, msg, []byte(delivery)); status != 200 {
		t.Fatalf("retry of a failed message %d, want 200", status)
	}
}

// Memory stays bounded: messages are forgotten once their timestamps are stale, and beyond
// the limit the oldest go first.
func TestSeenMessagesStayBounded(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	s := newSeenMessages(5*time.Minute, 100)
	for i := range 250 {
		s.take(string(rune('a'+i%26))+strings.Repeat("x", i), now.Add(5*time.Minute), now)
	}
	if n := s.remembered(); n != 100 {
		t.Fatalf("remembered %d, want the limit of 100", n)
	}
	if len(s.order) > 200 {
		t.Fatalf("order holds %d entries for a limit of 100", len(s.order))
	}
	s.take("late", now.Add(time.Hour), now.Add(6*time.Minute))
	if n := s.remembered(); n != 1 {
		t.Fatalf("after the window %d remembered, want only the new one", n)
	}
	if _, dup := s.take("late", now.Add(time.Hour), now.Add(7*time.Minute)); !dup {
		t.Fatal("a message within its window was not recognised")
	}
}

func TestOnlyStandardWebhooksAreReplayProtected(t *testing.T) {
	t.Parallel()
	for scheme, want := range map[signature.Scheme]bool{signature.Standard: true, signature.HMACHex: false, signature.None: false} {
		secret := "plain"
		if scheme == signature.Standard {
			secret = whsec
		}
		cfg := Config{Signature: signature.Config{Scheme: scheme, Secrets: []string{secret}}}
		if scheme == signature.None {
			cfg = Config{}
		}
		rv, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if rv.ReplayProtected() != want {
			t.Errorf("%s: ReplayProtected = %v, want %v", scheme, !want, want)
		}
	}
}

// A message answered 503 because it could not be recorded is not taken either.
func TestUnrecordedMessageIsNotHeldAsSeen(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	rec := &memRecorder{fail: errors.New("disk full")}
	url, _ := relay(t, Config{Recorder: rec, Now: fixedNow(now),
		Signature: signature.Config{Scheme: signature.Standard, Secrets: []string{whsec}}})
	msg := standardSigned(t, "msg_3", now, delivery)
	if status, _, _ := post(t, url, msg, []byte(delivery)); status != http.StatusServiceUnavailable {
		t.Fatalf("unrecorded: %d, want 503", status)
	}
	rec.mu.Lock()
	rec.fail = nil
	rec.mu.Unlock()
	if status, _, body := post(t, url, msg, []byte(delivery)); status != http.StatusOK {
		t.Fatalf("the retry got %d %q, want 200", status, body)
	}
}

// retryOnAnswer stands for a sender that retries as soon as a failure reaches it: the first
// write of the answer's body sends the retry, before the relay's handler has returned.
type retryOnAnswer struct {
	*httptest.ResponseRecorder
	retry       func() int
	retryStatus int
}

func (w *retryOnAnswer) Write(b []byte) (int, error) {
	if w.retry != nil {
		w.retryStatus, w.retry = w.retry(), nil
	}
	return w.ResponseRecorder.Write(b)
}

// A failed message is forgotten before its answer goes out: a sender that retries the moment
// the failure reaches it must get through, not be refused as a replay.
func TestFailedDeliveryIsForgottenBeforeItsAnswer(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	var fail atomic.Bool
	fail.Store(true)
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			http.Error(w, "not yet", http.StatusInternalServerError)
		}
	})
	rv, err := New(Config{ForwardTo: a.URL, Now: fixedNow(now),
		Signature: signature.Config{Scheme: signature.Standard, Secrets: []string{whsec}}})
	if err != nil {
		t.Fatal(err)
	}
	msg := standardSigned(t, "msg_4", now, delivery)
	request := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(delivery))
		r.Header = msg.Clone()
		return r
	}
	w := &retryOnAnswer{ResponseRecorder: httptest.NewRecorder(), retry: func() int {
		fail.Store(false)
		retry := httptest.NewRecorder()
		rv.ServeHTTP(retry, request())
		return retry.Code
	}}
	rv.ServeHTTP(w, request())
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("first attempt %d, want the app's 500", w.Code)
	}
	if w.retryStatus != http.StatusOK {
		t.Fatalf("the retry sent on the failure's answer got %d, want 200", w.retryStatus)
	}
}
