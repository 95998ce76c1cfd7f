package receiver

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
)

// A recording made by the relay, replayed to an app, reproduces what the app received.
func TestReplayReproducesARecording(t *testing.T) {
	t.Parallel()
	first := newApp(t, nil)
	rec := &memRecorder{}
	const secret = "shared"
	sig := signature.HexHMAC([]byte(secret), []byte(delivery))
	url, _ := relay(t, Config{ForwardTo: first.URL, Recorder: rec,
		Signature: signature.Config{Scheme: signature.HMACHex, Secrets: []string{secret}}})
	post(t, url+"/hooks/contact.add", http.Header{keap.HeaderHookSecret: {"hs"}}, []byte("{}"))
	post(t, url+"/hooks/contact.edit", http.Header{"X-Hook-Signature": {sig}, "X-Trace": {"t1"}, "Content-Type": {"application/json"}}, []byte(delivery))

	recs, err := SelectRecords(rec.all(), nil, false)
	if err != nil || len(recs) != 1 || recs[0].Kind != KindDelivery {
		t.Fatalf("SelectRecords = %+v, %v; want the one delivery", recs, err)
	}
	second := newApp(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	p := &Replayer{To: second.URL + "/keap"}
	res := p.Send(context.Background(), recs[0])
	if !res.OK() || res.Status != 200 || string(res.Body) != "ok" || res.Seq != 2 {
		t.Fatalf("replay result %+v", res)
	}
	orig, again := first.received()[0], second.received()[0]
	if !bytes.Equal(orig.Body, again.Body) || again.Method != "POST" || again.Path != "/keap" {
		t.Fatalf("replayed %s %s %q; want POST /keap with %q", again.Method, again.Path, again.Body, orig.Body)
	}
	if again.Header.Get("X-Trace") != "t1" || again.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("recorded headers not replayed: %v", again.Header)
	}
	if again.Header.Get("X-Hook-Signature") != "" {
		t.Fatal("a stale signature was replayed without --keep-signatures")
	}

	p.KeepSignatures = true
	p.Send(context.Background(), recs[0])
	if got := second.received()[1].Header.Get("X-Hook-Signature"); got != sig {
		t.Fatalf("KeepSignatures sent %q, want the recorded signature", got)
	}
}

func TestReplayResigns(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	now := time.Unix(1_800_000_000, 0)
	cfg := signature.Config{Scheme: signature.Standard, Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
	var r Record
	r.Seq, r.Kind, r.Method = 7, KindDelivery, "POST"
	r.Header = http.Header{"Webhook-Signature": {"v1,stale"}}
	r.SetBody([]byte(delivery))
	res := (&Replayer{To: a.URL, Sign: cfg, Now: fixedNow(now)}).Send(context.Background(), r)
	if !res.OK() {
		t.Fatalf("result %+v", res)
	}
	got := a.received()[0]
	if err := cfg.Verify(got.Header, got.Body, now); err != nil {
		t.Fatalf("the replayed delivery does not verify: %v", err)
	}
	if got.Header.Get("Webhook-Id") != "keaphook-replay-7" {
		t.Fatalf("webhook-id %q", got.Header.Get("Webhook-Id"))
	}
}

// A replayed handshake carries a fresh secret and succeeds only when it is echoed.
func TestReplayHandshakeChecksTheEcho(t *testing.T) {
	t.Parallel()
	echo := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	})
	silent := newApp(t, nil)
	r := Record{Seq: 1, Kind: KindHandshake, Method: "POST", Header: http.Header{keap.HeaderHookSecret: {redactedSecret}}}
	r.SetBody([]byte("{}"))
	if res := (&Replayer{To: echo.URL}).Send(context.Background(), r); !res.OK() || !res.Echoed {
		t.Fatalf("echoing app: %+v", res)
	}
	if s := echo.received()[0].Header.Get(keap.HeaderHookSecret); s == redactedSecret || len(s) != 64 {
		t.Fatalf("handshake replayed with secret %q, want a fresh one", s)
	}
	if res := (&Replayer{To: silent.URL}).Send(context.Background(), r); res.OK() || res.Status != 200 {
		t.Fatalf("non-echoing app counted as OK: %+v", res)
	}
	twice := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
		w.Header().Add(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	})
	if res := (&Replayer{To: twice.URL}).Send(context.Background(), r); res.OK() || res.Echoed {
		t.Fatalf("an app echoing the secret twice counted as OK (Keap wants one header): %+v", res)
	}
}

func TestReplayReportsFailures(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", http.StatusGone) })
	var r Record
	r.Kind, r.Method = KindDelivery, "POST"
	r.SetBody([]byte(delivery))
	if res := (&Replayer{To: a.URL}).Send(context.Background(), r); res.OK() || res.Status != 410 {
		t.Fatalf("410 counted as OK: %+v", res)
	}
	if res := (&Replayer{To: "http://127.0.0.1:1/"}).Send(context.Background(), r); res.OK() || res.Err == nil {
		t.Fatalf("unreachable target counted as OK: %+v", res)
	}
}

func TestSelectRecords(t *testing.T) {
	t.Parallel()
	recs := []Record{{Seq: 1, Kind: KindHandshake}, {Seq: 2, Kind: KindDelivery}, {Seq: 3, Kind: KindRejected}, {Seq: 4, Kind: KindDelivery}}
	seqs := func(rs []Record) (out []int64) {
		for _, r := range rs {
			out = append(out, r.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		ids        []int64
		handshakes bool
		want       []int64
	}{
		{nil, false, []int64{2, 4}},
		{nil, true, []int64{1, 2, 4}},
		{[]int64{3, 1}, false, []int64{1, 3}},
	} {
		got, err := SelectRecords(recs, tc.ids, tc.handshakes)
		if err != nil || !slices.Equal(seqs(got), tc.want) {
			t.Errorf("SelectRecords(%v, %v) = %v, %v; want %v", tc.ids, tc.handshakes, seqs(got), err, tc.want)
		}
	}
	if _, err := SelectRecords(recs, []int64{2, 9}, false); err == nil || !strings.Contains(err.Error(), "no record with id 9 (the recording has ids 1 to 4)") {
		t.Fatalf("missing id: %v", err)
	}
}
