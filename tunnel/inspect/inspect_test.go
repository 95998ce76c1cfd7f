package inspect_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/tunnel/inspect"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

const secret = "relay-signing-secret"

var signing = signature.Config{Scheme: signature.HMACHex, Secrets: []string{secret}}

// setup is a relay forwarding to an app, with its inspector, each on a loopback server.
type setup struct {
	relay, app, inspector *httptest.Server
	in                    *inspect.Inspector
	client                *http.Client
	appCalls              int
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	s := &setup{}
	s.app = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.appCalls++
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-App", "demo")
		io.WriteString(w, `{"app":"took it","n":1}`)
	}))
	t.Cleanup(s.app.Close)
	s.relay = httptest.NewUnstartedServer(nil)
	s.in = inspect.New(inspect.Options{RelayURL: "http://" + s.relay.Listener.Addr().String(),
		Replayer: receiver.Replayer{Sign: signing}, Signing: string(signing.Scheme)})
	rv, err := receiver.New(receiver.Config{ForwardTo: s.app.URL, Signature: signing, Observe: s.in.Observe, ObserveHeaders: true})
	if err != nil {
		t.Fatal(err)
	}
	s.relay.Config.Handler = rv
	s.relay.Start()
	t.Cleanup(s.relay.Close)
	s.inspector = httptest.NewServer(s.in)
	t.Cleanup(s.inspector.Close)
	t.Cleanup(s.in.Close)
	jar, _ := cookiejar.New(nil)
	s.client = &http.Client{Transport: testClient.Transport, Jar: jar}
	s.get(t, "/") // the first visit opens a session
	return s
}

// csrfOf reads the CSRF token from a page with a form.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form on the page:\n%s", page)
	}
	return m[1]
}

func (s *setup) get(t *testing.T, path string) string {
	t.Helper()
	resp, err := s.client.Get(s.inspector.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

// send posts to the relay as Keap would, signed unless sig is false.
func (s *setup) send(t *testing.T, header http.Header, body string, sig bool) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.relay.URL+"/keap", strings.NewReader(body))
	req.Header = header
	req.Header.Set("Content-Type", "application/json")
	if sig {
		if err := signing.Sign(req.Header, "d_1", time.Now(), []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

const delivery = `{"event_key":"contact.add","object_type":"contact","object_keys":[{"apiUrl":"","id":12,"timestamp":"2026-01-02T03:04:05Z"}],"api_url":""}`

func TestListShowsEachKindOfRequest(t *testing.T) {
	s := newSetup(t)
	s.send(t, http.Header{keap.HeaderHookSecret: {"handshake-secret-value"}}, "{}", false)
	s.send(t, http.Header{}, delivery, true)
	s.send(t, http.Header{}, delivery, false)
	page := s.get(t, "/")
	for _, want := range []string{
		"Requests received (3)", "handshake answered with the echo", "contact.add", "12", "valid (hmac-hex)",
		"delivery rejected", "invalid: ", "the app answered 200 OK",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	page += s.get(t, "/requests/1") // the handshake, with the echo in its answer
	if strings.Contains(page, "handshake-secret-value") || strings.Contains(page, secret) {
		t.Error("a page shows a secret")
	}
}

func TestRequestPageAndReplay(t *testing.T) {
	s := newSetup(t)
	s.send(t, http.Header{"Authorization": {"Bearer not-for-show"}}, delivery, true)
	page := s.get(t, "/requests/1")
	for _, want := range []string{`&#34;event_key&#34;: &#34;contact.add&#34;`, "X-Hook-Signature: ", "X-App: demo", `&#34;app&#34;: &#34;took it&#34;`, `id="replay"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the request page lacks %q", want)
		}
	}
	if strings.Contains(page, "not-for-show") {
		t.Error("the page shows an Authorization token")
	}
	form := url.Values{"csrf": {csrfOf(t, page)}, "back": {"/requests/1"}}
	resp, err := s.client.PostForm(s.inspector.URL+"/requests/1/replay", form)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(b, []byte("Replayed request 1 through the relay: it answered 200 OK")) {
		t.Fatalf("after replay:\n%s", b)
	}
	if s.appCalls != 2 || !strings.Contains(s.get(t, "/"), "Requests received (2)") {
		t.Errorf("the replay did not go through the relay to the app (%d app calls)", s.appCalls)
	}
}

func TestReplayNeedsCSRFAndAKnownRequest(t *testing.T) {
	s := newSetup(t)
	s.send(t, http.Header{}, delivery, true)
	csrf := csrfOf(t, s.get(t, "/requests/1"))
	resp, _ := s.client.PostForm(s.inspector.URL+"/requests/1/replay", url.Values{"csrf": {"wrong"}})
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("replay with a wrong CSRF token: %d", resp.StatusCode)
	}
	resp, _ = s.client.PostForm(s.inspector.URL+"/requests/9/replay", url.Values{"csrf": {csrf}, "back": {"/"}})
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte("cannot be replayed")) {
		t.Errorf("replay of an unknown request: %d %s", resp.StatusCode, b)
	}
	if page := s.get(t, "/requests/77"); !strings.Contains(page, "no longer kept") {
		t.Errorf("an unknown request page: %s", page)
	}
}

func TestRefusesOtherHosts(t *testing.T) {
	s := newSetup(t)
	req, _ := http.NewRequest(http.MethodGet, s.inspector.URL+"/", nil)
	req.Host = "evil.example:4040"
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("a request for another host: %d", resp.StatusCode)
	}
	resp, _ = testClient.Get(s.inspector.URL + "/nope")
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown path: %d", resp.StatusCode)
	}
	if css := s.get(t, "/static/style.css"); !strings.Contains(css, "prefers-color-scheme") {
		t.Error("no stylesheet")
	}
}

func TestKeepsOnlyTheLatest(t *testing.T) {
	in := inspect.New(inspect.Options{Keep: 2})
	for i := range 3 {
		in.Observe(receiver.Exchange{Kind: receiver.KindDelivery, Status: 200 + i, Method: "POST", Path: "/"})
	}
	srv := httptest.NewServer(in)
	defer srv.Close()
	resp, _ := testClient.Get(srv.URL + "/")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(b, []byte("Requests received (2)")) || bytes.Contains(b, []byte(`data-n="1"`)) {
		t.Errorf("kept more than 2, or the oldest:\n%s", b)
	}
}

func TestEventsStreamSaysWhenARequestArrived(t *testing.T) {
	s := newSetup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.inspector.URL+"/events", nil)
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	lines.Scan() // "retry: ..."
	s.send(t, http.Header{}, delivery, true)
	for lines.Scan() {
		if lines.Text() == "event: change" {
			return
		}
	}
	t.Fatalf("no change event: %v", lines.Err())
}
