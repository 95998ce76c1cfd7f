package receiver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
)

func TestImmediateHandshakeIsEchoedAndNotForwarded(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	rec := &memRecorder{}
	url, evs := relay(t, Config{ForwardTo: a.URL, Recorder: rec})

	status, h, _ := post(t, url+"/hooks/contact.add", http.Header{
		keap.HeaderHookSecret: {"s3cret-value"}, "Content-Type": {"application/json"},
	}, []byte("{}"))
	if status != http.StatusOK || h.Get(keap.HeaderHookSecret) != "s3cret-value" {
		t.Fatalf("answer %d with X-Hook-Secret %q; want 200 echoing the secret", status, h.Get(keap.HeaderHookSecret))
	}
	if n := len(a.received()); n != 0 {
		t.Fatalf("the app received %d requests; a handshake must not be forwarded", n)
	}
	ev := evs.last(t)
	if ev.Kind != KindHandshake || ev.Path != "/hooks/contact.add" || ev.Delayed || ev.Seq != 1 {
		t.Fatalf("event = %+v", ev)
	}
	recs := rec.all()
	if len(recs) != 1 || recs[0].Kind != KindHandshake || recs[0].Header.Get(keap.HeaderHookSecret) != redactedSecret {
		t.Fatalf("records = %+v; want one handshake with the secret redacted", recs)
	}
}

func TestDelayedHandshakeKeepsTheSecretAndDoesNotEcho(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []Handshake
	url, evs := relay(t, Config{Delayed: true, OnHandshake: func(h Handshake) {
		mu.Lock()
		got = append(got, h)
		mu.Unlock()
	}})
	status, h, _ := post(t, url+"/hooks/contact.edit", http.Header{keap.HeaderHookSecret: {"abc123"}}, []byte("{}"))
	if status != http.StatusOK || h.Get(keap.HeaderHookSecret) != "" {
		t.Fatalf("answer %d echo %q; want 200 without the echo", status, h.Get(keap.HeaderHookSecret))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Secret != "abc123" || got[0].Path != "/hooks/contact.edit" {
		t.Fatalf("OnHandshake got %+v", got)
	}
	if ev := evs.last(t); !ev.Delayed || ev.Kind != KindHandshake {
		t.Fatalf("event = %+v", ev)
	}
}

func TestEmptyHookSecretIsABadRequest(t *testing.T) {
	t.Parallel()
	url, evs := relay(t, Config{})
	status, h, body := post(t, url, http.Header{keap.HeaderHookSecret: {" "}}, []byte("{}"))
	if status != http.StatusBadRequest || h.Get(keap.HeaderHookSecret) != "" || !strings.Contains(string(body), "X-Hook-Secret is empty") {
		t.Fatalf("answer %d %q", status, body)
	}
	if ev := evs.last(t); ev.Kind != KindInvalid || ev.Reason == "" {
		t.Fatalf("event = %+v", ev)
	}
}

// The event reported for a handshake never carries the secret, nor does its record.
func TestHandshakeEventHoldsNoSecret(t *testing.T) {
	t.Parallel()
	for _, delayed := range []bool{false, true} {
		rec := &memRecorder{}
		url, evs := relay(t, Config{Delayed: delayed, Recorder: rec, OnHandshake: func(Handshake) {}})
		post(t, url, http.Header{keap.HeaderHookSecret: {"very-secret-token"}}, []byte("{}"))
		ev := evs.last(t)
		js, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(ev.Body)+fmt.Sprintf("%+v", ev)+string(js), "very-secret-token") {
			t.Fatalf("delayed=%v: the secret leaked into the event: %+v", delayed, ev)
		}
		recs := rec.all()
		if len(recs) != 1 {
			t.Fatalf("delayed=%v: %d records, want 1", delayed, len(recs))
		}
		if line, err := jsonLine(recs[0]); err != nil || strings.Contains(string(line), "very-secret-token") {
			t.Fatalf("delayed=%v: record %s (%v); want it without the secret", delayed, line, err)
		}
	}
}

// A handshake the relay cannot record is answered 503 without the echo, and its secret is
// not handed on: a hook must not be confirmed through a relay that cannot keep its traffic.
func TestUnrecordedHandshakeIsNeitherEchoedNorHandedOn(t *testing.T) {
	t.Parallel()
	for _, delayed := range []bool{false, true} {
		var handed []Handshake
		var mu sync.Mutex
		url, evs := relay(t, Config{Delayed: delayed, Recorder: &memRecorder{fail: errors.New("disk full")},
			OnHandshake: func(h Handshake) {
				mu.Lock()
				handed = append(handed, h)
				mu.Unlock()
			}})
		status, h, body := post(t, url+"/hooks/contact.add", http.Header{keap.HeaderHookSecret: {"s3cret-value"}}, []byte("{}"))
		if status != http.StatusServiceUnavailable || h.Get(keap.HeaderHookSecret) != "" || strings.Contains(string(body), "s3cret-value") {
			t.Fatalf("delayed=%v: answer %d echo %q body %q; want a 503 without the secret", delayed, status, h.Get(keap.HeaderHookSecret), body)
		}
		mu.Lock()
		if len(handed) != 0 {
			t.Fatalf("delayed=%v: OnHandshake got %+v for a handshake answered 503", delayed, handed)
		}
		mu.Unlock()
		if ev := evs.last(t); ev.Status != http.StatusServiceUnavailable || !strings.Contains(ev.Reason, "could not record") {
			t.Fatalf("delayed=%v: event %+v", delayed, ev)
		}
	}
}
