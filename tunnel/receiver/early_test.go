package receiver

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/keaphook/keaphook/mock/signature"
)

// A large batch is forwarded while it arrives; the app gets it byte for byte, once, and it
// is on record before the app has it whole.
func TestLargeDeliveryIsForwardedWhole(t *testing.T) {
	t.Parallel()
	body := []byte(batchBody(1000))
	rec := &memRecorder{}
	var recordedFirst atomic.Bool
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		recordedFirst.Store(len(rec.all()) == 1) // the app has read the whole body by now
	})
	url, evs := relay(t, Config{ForwardTo: a.URL + "/keap", Recorder: rec})
	status, _, _ := post(t, url+"/hooks/contact.add", http.Header{"Content-Type": {"application/json"}}, body)
	got := a.received()
	if status != http.StatusOK || len(got) != 1 || !bytes.Equal(got[0].Body, body) || got[0].Path != "/keap" {
		t.Fatalf("answer %d, app got %d requests; want one with the %d-byte body", status, len(got), len(body))
	}
	if !recordedFirst.Load() {
		t.Fatal("the app had the whole delivery before it was on record")
	}
	if ev := evs.last(t); ev.Objects != 1000 || ev.EventKey != "contact.add" || ev.Forward.Status != 200 {
		t.Fatalf("event = %+v", ev)
	}
	if recs := rec.all(); len(recs) != 1 || recs[0].Status != 200 || !bytes.Equal(recs[0].BodyBytes(), body) {
		t.Fatalf("recording = %+v", recs)
	}
}

// A large delivery the relay refuses after its forward began reaches the app cut off, never
// whole: a wrong signature, a body that is not JSON, a recording that fails.
func TestRefusedLargeDeliveryNeverReachesTheAppWhole(t *testing.T) {
	t.Parallel()
	body := []byte(batchBody(1000))
	notJSON := append(bytes.Clone(body[:len(body)-1]), ',')
	sig := signature.Config{Scheme: signature.HMACHex, Secrets: []string{"s3cret"}}
	for _, tc := range []struct {
		name   string
		body   []byte
		header http.Header
		signed bool
		fail   error
		status int
	}{
		{"wrong signature", body, http.Header{"X-Hook-Signature": {signature.HexHMAC([]byte("other"), body)}}, true, nil, 401},
		{"not JSON", notJSON, nil, false, nil, 400},
		{"not recorded", body, nil, false, errors.New("disk full"), 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var whole sync.Map
			a := newApp(t, nil)
			cfg := Config{ForwardTo: a.URL, Recorder: &memRecorder{fail: tc.fail}}
			if tc.signed {
				cfg.Signature = sig
			}
			url, _ := relay(t, cfg)
			status, _, answer := post(t, url, tc.header, tc.body)
			if status != tc.status {
				t.Fatalf("answer %d %q, want %d", status, answer, tc.status)
			}
			for _, r := range a.received() {
				if len(r.Body) == len(tc.body) {
					whole.Store(r.Path, true)
				}
			}
			whole.Range(func(k, _ any) bool { t.Fatalf("the app received the whole refused body at %v", k); return false })
		})
	}
}

// A held body hands on what has arrived, minus its last byte, until release; an abort ends
// it with the error.
func TestHeldBodyKeepsItsLastByte(t *testing.T) {
	t.Parallel()
	h := newHeldBody(4)
	if _, err := h.fill(strings.NewReader("abcd")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	if n, err := h.Read(buf); n != 3 || err != nil || string(buf[:n]) != "abc" {
		t.Fatalf("Read before release = %d %q %v; want the first 3 bytes", n, buf[:n], err)
	}
	h.release()
	if n, _ := h.Read(buf); string(buf[:n]) != "d" {
		t.Fatalf("Read after release = %q", buf[:n])
	}
	if _, err := h.Read(buf); err == nil {
		t.Fatal("no EOF after the last byte")
	}

	cut := newHeldBody(4)
	cut.fill(strings.NewReader("abcd"))
	cut.Read(buf)
	cut.abort(errRefused)
	if _, err := cut.Read(buf); !errors.Is(err, errRefused) {
		t.Fatalf("Read after abort = %v", err)
	}
	if _, err := newHeldBody(4).fill(strings.NewReader("ab")); err == nil {
		t.Fatal("a body shorter than its length was taken")
	}
	if _, err := newHeldBody(2).fill(strings.NewReader("abc")); err == nil {
		t.Fatal("a body longer than its length was taken")
	}
}
