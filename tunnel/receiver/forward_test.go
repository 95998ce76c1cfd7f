package receiver

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/testkit"
)

func TestDeliveryIsForwardedByteForByte(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-App", "yes")
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte(`{"queued":true}`))
	})
	url, evs := relay(t, Config{ForwardTo: a.URL + "/keap"})
	// Odd spacing, escapes and key order: a re-encoding relay would change them.
	body := []byte("{ \"event_key\" :\"contact.add\",\n\t\"object_keys\":[{\"id\":1,\"apiUrl\":\"\",\"timestamp\":\"2024-01-01T00:00:00Z\"}],\"note\":\"caf\\u00e9 <b>\"}  ")
	status, h, got := post(t, url+"/hooks/contact.add", http.Header{
		"Content-Type": {"application/json"}, "X-Custom": {"kept"}, "Connection": {"X-Per-Hop"}, "X-Per-Hop": {"dropped"},
	}, body)
	if status != http.StatusAccepted || string(got) != `{"queued":true}` || h.Get("X-App") != "yes" {
		t.Fatalf("answer %d %q (X-App %q); want the app's 202 and body", status, got, h.Get("X-App"))
	}
	reqs := a.received()
	if len(reqs) != 1 {
		t.Fatalf("the app received %d requests", len(reqs))
	}
	r := reqs[0]
	if !bytes.Equal(r.Body, body) || r.Method != http.MethodPost || r.Path != "/keap" {
		t.Fatalf("app got %s %s %q; want POST /keap with the body byte for byte", r.Method, r.Path, r.Body)
	}
	if r.Header.Get("X-Custom") != "kept" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Per-Hop") != "" {
		t.Fatalf("app headers = %v; want end-to-end headers only", r.Header)
	}
	ev := evs.last(t)
	if ev.Kind != KindDelivery || ev.EventKey != "contact.add" || ev.Objects != 1 || ev.Forward == nil || ev.Forward.Status != 202 {
		t.Fatalf("event = %+v", ev)
	}
}

func TestAppFailureIsPassedBackToKeap(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database down", http.StatusInternalServerError)
	})
	url, evs := relay(t, Config{ForwardTo: a.URL})
	status, _, body := post(t, url, nil, []byte(delivery))
	if status != http.StatusInternalServerError || strings.TrimSpace(string(body)) != "database down" {
		t.Fatalf("answer %d %q; want the app's 500", status, body)
	}
	if ev := evs.last(t); ev.Status != 500 || ev.Forward.Status != 500 || ev.IDs[0] != 17738 || ev.Objects != 2 {
		t.Fatalf("event = %+v", ev)
	}
}

func TestSlowAppGets504(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		select { // hold the answer until the relay gives up and hangs up
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	url, evs := relay(t, Config{ForwardTo: a.URL, ForwardTimeout: 50 * time.Millisecond})
	status, _, body := post(t, url, nil, []byte(delivery))
	if status != http.StatusGatewayTimeout || !strings.Contains(string(body), "did not answer within 50ms") {
		t.Fatalf("answer %d %q; want 504 saying the app was too slow", status, body)
	}
	ev := evs.last(t)
	if ev.Forward == nil || ev.Forward.Status != 0 || !strings.Contains(ev.Reason, "did not answer") {
		t.Fatalf("event = %+v", ev)
	}
}

func TestAppDownGets502(t *testing.T) {
	t.Parallel()
	down := "http://" + testkit.RefusedAddr(t) + "/keap"
	url, evs := relay(t, Config{ForwardTo: down})
	status, _, body := post(t, url, nil, []byte(delivery))
	if status != http.StatusBadGateway || !strings.Contains(string(body), "connection refused; is it running?") {
		t.Fatalf("answer %d %q; want 502 saying the app is not reachable", status, body)
	}
	if ev := evs.last(t); !strings.Contains(ev.Reason, down) {
		t.Fatalf("reason %q does not name the app URL", ev.Reason)
	}
}

func TestNoForwardToAnswers200(t *testing.T) {
	t.Parallel()
	url, evs := relay(t, Config{})
	status, _, _ := post(t, url, nil, []byte(delivery))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if ev := evs.last(t); ev.Forward != nil || ev.Kind != KindDelivery || string(ev.Body) != delivery {
		t.Fatalf("event = %+v", ev)
	}
}

func TestAppRedirectIsPassedBackNotFollowed(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	url, _ := relay(t, Config{ForwardTo: a.URL})
	client := &http.Client{Transport: testClient.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Post(url, "application/json", strings.NewReader(delivery))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || len(a.received()) != 1 {
		t.Fatalf("status %d after %d app requests; want the 302 passed back after one", resp.StatusCode, len(a.received()))
	}
}

func TestNewRejectsABadForwardURL(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"localhost:3000", "ftp://x", "http://"} {
		if _, err := New(Config{ForwardTo: bad}); err == nil {
			t.Errorf("New(ForwardTo %q) succeeded", bad)
		}
	}
}

func TestEndToEndDropsHopByHopHeaders(t *testing.T) {
	t.Parallel()
	h := http.Header{
		"Connection": {"keep-alive, X-Trace"}, "Keep-Alive": {"timeout=5"}, "X-Trace": {"1"},
		"Transfer-Encoding": {"chunked"}, "Content-Length": {"12"}, "Upgrade": {"h2c"},
		"X-Hook-Signature": {"abc"}, "User-Agent": {"Keap"},
	}
	got := endToEnd(h)
	for _, gone := range []string{"Connection", "Keep-Alive", "X-Trace", "Transfer-Encoding", "Content-Length", "Upgrade"} {
		if got.Get(gone) != "" {
			t.Errorf("%s was kept", gone)
		}
	}
	if got.Get("X-Hook-Signature") != "abc" || got.Get("User-Agent") != "Keap" {
		t.Errorf("end-to-end headers lost: %v", got)
	}
	if h.Get("Connection") == "" {
		t.Error("endToEnd changed its argument")
	}
}

// A password in the app's URL is used to reach the app but never shown: the relay's answers
// go back to whoever sent the request, and through a tunnel that is anyone.
func TestForwardURLPasswordIsNeverShown(t *testing.T) {
	t.Parallel()
	const password = "hunter2-app-pass"
	a := newApp(t, nil)
	rec := &memRecorder{}
	withAuth := strings.Replace(a.URL, "http://", "http://keap:"+password+"@", 1)
	url, evs := relay(t, Config{ForwardTo: withAuth, Recorder: rec})
	if status, _, _ := post(t, url, nil, []byte(delivery)); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if user, pass, ok := (&http.Request{Header: a.received()[0].Header}).BasicAuth(); !ok || user != "keap" || pass != password {
		t.Fatalf("the app got basic auth %q %q %v; want the URL's credentials", user, pass, ok)
	}
	ev := evs.last(t)
	if ev.Forward == nil || strings.Contains(ev.Forward.URL, password) || !strings.Contains(ev.Forward.URL, "keap:xxxxx@") {
		t.Fatalf("event forward %+v; want the URL with the password masked", ev.Forward)
	}

	// Port 1 on loopback: nothing listens there, and unlike a port just closed, no other
	// test's server can take it over in the meantime.
	down := "http://keap:" + password + "@127.0.0.1:1/keap"
	url, evs = relay(t, Config{ForwardTo: down, Recorder: rec})
	status, _, body := post(t, url, nil, []byte(delivery))
	if status != http.StatusBadGateway || strings.Contains(string(body), password) || !strings.Contains(string(body), "keap:xxxxx@") {
		t.Fatalf("answer %d %q; want a 502 naming the app without its password", status, body)
	}
	if ev := evs.last(t); strings.Contains(ev.Reason, password) {
		t.Fatalf("reason %q shows the password", ev.Reason)
	}
	for _, r := range rec.all() {
		if strings.Contains(r.Note+r.Response, password) {
			t.Fatalf("record %+v shows the password", r)
		}
	}
}

// An observer learns of a delivery once it is on record and before the app has it
// (Received), then of its outcome under the same sequence number (Observe).
func TestObserverSeesReceiptThenOutcome(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var order []string
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	a := newApp(t, func(w http.ResponseWriter, r *http.Request) { note("app") })
	var receipt Exchange
	url, evs := relay(t, Config{ForwardTo: a.URL, Recorder: &memRecorder{},
		Received: func(ev Exchange) { mu.Lock(); receipt = ev; mu.Unlock(); note("received") }})
	post(t, url, nil, []byte(delivery))
	done := evs.last(t)
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(order, ",") != "received,app" {
		t.Fatalf("order %v; want the receipt reported before the app had the delivery", order)
	}
	if receipt.Seq != 1 || receipt.Status != 0 || receipt.EventKey != "contact.edit" || receipt.Forward != nil {
		t.Fatalf("receipt = %+v", receipt)
	}
	if done.Seq != receipt.Seq || done.Status != 200 {
		t.Fatalf("outcome = %+v", done)
	}
}

// With 8 deliveries in flight at a time, forwards reuse their connections to the app rather
// than opening (and leaving in TIME_WAIT) one per delivery, as Go's default pool of 2 did.
func TestForwardingReusesConnections(t *testing.T) {
	t.Parallel()
	var conns atomic.Int64
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) }))
	app.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	app.Start()
	defer app.Close()
	url, _ := relay(t, Config{ForwardTo: app.URL})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if err := postOnce(client, url, []byte(delivery)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := conns.Load(); n > 16 { // 8, and slack for a dial that races a connection going back to the pool
		t.Fatalf("800 deliveries from 8 clients opened %d connections to the app, want at most 16", n)
	}
}
