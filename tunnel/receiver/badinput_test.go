package receiver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestBadInputGetsAClear4xx(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	rec := &memRecorder{}
	url, evs := relay(t, Config{ForwardTo: a.URL, MaxBody: 1000, Recorder: rec})
	tests := []struct {
		name     string
		method   string
		body     io.Reader
		status   int
		says     string
		recorded bool
	}{
		{"not JSON", "POST", strings.NewReader("event=contact.add"), 400, "the body is not JSON", true},
		{"truncated JSON", "POST", strings.NewReader(`{"event_key":`), 400, "the body is not JSON", true},
		{"empty", "POST", strings.NewReader(""), 400, "it is empty", true},
		{"too large with a length", "POST", bytes.NewReader(make([]byte, 1001)), 413, "larger than 1000 bytes", false},
		{"too large, chunked", "POST", io.MultiReader(strings.NewReader(`{"a":"`), strings.NewReader(strings.Repeat("x", 2000))), 413, "larger than 1000 bytes, the relay's limit", false},
		{"PUT", "PUT", strings.NewReader(delivery), 405, "deliveries are POSTs", false},
		{"GET elsewhere", "GET", nil, 405, "GET / shows whether the relay is up", false},
	}
	for _, tc := range tests {
		before := len(rec.all())
		req, _ := http.NewRequest(tc.method, url+"/hooks/contact.add", tc.body)
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.says) {
			t.Errorf("%s: %d %q; want %d saying %q", tc.name, resp.StatusCode, body, tc.status, tc.says)
		}
		ev := evs.last(t)
		if ev.Kind != KindInvalid || ev.Status != tc.status || ev.Reason == "" {
			t.Errorf("%s: event %+v", tc.name, ev)
		}
		if got := len(rec.all()) > before; got != tc.recorded {
			t.Errorf("%s: recorded = %v, want %v", tc.name, got, tc.recorded)
		}
	}
	if n := len(a.received()); n != 0 {
		t.Fatalf("bad input reached the app %d times", n)
	}
}

func TestStatusPage(t *testing.T) {
	t.Parallel()
	url, evs := relay(t, Config{Delayed: true})
	post(t, url, nil, []byte(delivery))
	resp, err := testClient.Get(url + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var status map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&status); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || status["status"] != "up" || status["deliveries"] != 1.0 || status["delayed"] != true || status["signature"] != "none" {
		t.Fatalf("status page %d %v", resp.StatusCode, status)
	}
	if ev := evs.last(t); ev.Kind != KindStatus {
		t.Fatalf("event = %+v", ev)
	}
}

// A sender that stops sending its body mid-way is answered once ReadTimeout passes, rather
// than holding the handler forever.
func TestTricklingBodyTimesOut(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	url, evs := relay(t, Config{ForwardTo: a.URL, ReadTimeout: 50 * time.Millisecond})
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"event_key\":")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "could not read the body") {
		t.Fatalf("answer %d %q", resp.StatusCode, body)
	}
	if len(a.received()) != 0 {
		t.Fatal("a partial body was forwarded")
	}
	if ev := evs.last(t); ev.Kind != KindInvalid {
		t.Fatalf("event %+v", ev)
	}
}
