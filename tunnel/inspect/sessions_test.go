package inspect_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/keaphook/keaphook/mock/inspect/ui"
)

// A script polling the inspector without keeping cookies gets a session on every GET; none of
// them may cost a browser its own: the browser's form still posts after 2,000 such polls.
func TestPollingKeepsABrowsersSessionValid(t *testing.T) {
	s := newSetup(t)
	s.send(t, http.Header{}, delivery, true)
	csrf := csrfOf(t, s.get(t, "/requests/1"))
	for range 2000 {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host = "127.0.0.1:4040"
		rec := httptest.NewRecorder()
		s.in.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || len(rec.Result().Cookies()) == 0 {
			t.Fatalf("a cookie-less poll: %d, cookies %v", rec.Code, rec.Result().Cookies())
		}
	}
	resp, err := s.client.PostForm(s.inspector.URL+"/requests/1/replay", url.Values{"csrf": {csrf}, "back": {"/requests/1"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(b, []byte("Replayed request 1")) {
		t.Fatalf("the browser's replay after the polls: %d\n%s", resp.StatusCode, b)
	}
}

// Open sessions are kept nowhere, so their cookies are signed: a cookie the inspector did not
// issue (or one altered) opens nothing, and a form posted with it is refused.
func TestForgedSessionCookieIsRefused(t *testing.T) {
	s := newSetup(t)
	s.send(t, http.Header{}, delivery, true)
	csrf := csrfOf(t, s.get(t, "/requests/1"))
	u, _ := url.Parse(s.inspector.URL)
	var real string
	for _, c := range s.client.Jar.Cookies(u) {
		if c.Name == ui.CookieName {
			real = c.Value
		}
	}
	if real == "" {
		t.Fatal("the browser has no session cookie")
	}
	forged := real[:len(real)-1] + "0"
	if real[len(real)-1] == '0' {
		forged = real[:len(real)-1] + "1"
	}
	for _, cookie := range []string{forged, "x", "nonce.", ".mac"} {
		req, _ := http.NewRequest(http.MethodPost, s.inspector.URL+"/requests/1/replay", bytes.NewBufferString(url.Values{"csrf": {csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: ui.CookieName, Value: cookie})
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusForbidden {
			t.Errorf("a POST with session cookie %q: %d; want it refused", cookie, resp.StatusCode)
		}
	}
	if s.appCalls != 1 {
		t.Errorf("the app was called %d times; want only the original delivery", s.appCalls)
	}
}
