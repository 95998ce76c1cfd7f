package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// On the mock, sessions come from ?token= logins; when more than maxTokenSessions are opened,
// the one used least recently goes, so a browser in use keeps its session through a burst of
// logins by a script that keeps no cookies.
func TestTokenSessionsForgetTheLeastRecentlyUsed(t *testing.T) {
	g := &Guard{Accept: func(tok string) bool { return tok == "good" }, Path: "/_mock/ui/"}
	page := g.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(CSRF(r))) }))
	login := func() *http.Cookie {
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_mock/ui/?token=good", nil))
		for _, c := range rec.Result().Cookies() {
			if c.Name == CookieName {
				return c
			}
		}
		t.Fatalf("a login got no session cookie: %d", rec.Code)
		return nil
	}
	visit := func(c *http.Cookie) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, "/_mock/ui/", nil)
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, req)
		return rec
	}
	post := func(c *http.Cookie, csrf string) int {
		req := httptest.NewRequest(http.MethodPost, "/_mock/ui/", strings.NewReader(url.Values{CSRFField: {csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(c)
		rec := httptest.NewRecorder()
		page.ServeHTTP(rec, req)
		return rec.Code
	}

	browser, idle := login(), login()
	csrf := visit(browser).Body.String()
	for i := range 2 * maxTokenSessions {
		login()
		if i%100 == 0 {
			visit(browser) // the browser's page keeps being used (live updates, navigation)
		}
	}
	if code := post(browser, csrf); code != http.StatusOK {
		t.Errorf("the browser's form after %d logins: %d; want 200", 2*maxTokenSessions, code)
	}
	if code := visit(idle).Code; code != http.StatusUnauthorized {
		t.Errorf("a session unused through %d logins: %d; want it forgotten (401)", 2*maxTokenSessions, code)
	}
}

// failingOnce is a source of randomness whose first read fails.
type failingOnce struct{ failed bool }

func (f *failingOnce) Read(p []byte) (int, error) {
	if !f.failed {
		f.failed = true
		return 0, io.ErrUnexpectedEOF
	}
	return rand.Read(p)
}

// When randomness fails as the key of open sessions is drawn, that request fails, and the
// next draws the key again: no session is ever signed with an empty key, which anyone
// could compute.
func TestOpenSessionsAreNeverSignedWithAnEmptyKey(t *testing.T) {
	g := &Guard{Path: "/", Random: &failingOnce{}}
	page := g.Wrap(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("a session was opened without randomness")
			}
		}()
		g.sign("session", "n") // the key's draw is the one that fails
	}()
	rec := httptest.NewRecorder()
	page.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("a GET once randomness is back: %d", rec.Code)
	}

	nonce := "0123456789abcdef"
	m := hmac.New(sha256.New, nil)
	m.Write([]byte("session\x00" + nonce))
	forged := &http.Cookie{Name: CookieName, Value: nonce + "." + hex.EncodeToString(m.Sum(nil))}
	if g.session(withCookie(forged)) != nil {
		t.Error("a cookie signed with an empty key opened a session")
	}
}

func withCookie(c *http.Cookie) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.AddCookie(c)
	return r
}
