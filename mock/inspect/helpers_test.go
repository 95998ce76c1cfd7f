package inspect_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/mocktest"
)

const (
	testToken  = "inspector-test-token"
	testSecret = "signing-secret-never-shown"
)

// browser is a test's view of the inspector: a cookie jar that logged in with ?token=, and
// the CSRF token of its session.
type browser struct {
	t      *testing.T
	mock   *mocktest.Server
	client *http.Client
	csrf   string
}

// page is one answer the browser got, after redirects.
type page struct {
	status int
	url    string
	body   string
}

// newMock starts a virtual-clock mock that signs deliveries, with one token.
func newMock(t *testing.T, opts ...mock.Option) *mocktest.Server {
	t.Helper()
	base := []mock.Option{
		mock.WithTokens(testToken), mock.WithTiming(delivery.TimingVirtual), mock.WithRandSeed(1),
		mock.WithSigning(signingConfig()),
	}
	return mocktest.NewServer(t, append(base, opts...)...)
}

// login opens the inspector with ?token= and keeps the session it gets.
func login(t *testing.T, m *mocktest.Server) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, mock: m, client: &http.Client{Transport: testClient.Transport, Jar: jar}}
	p := b.get("/_mock/ui/?token=" + testToken)
	if p.status != http.StatusOK {
		t.Fatalf("login: %d %s", p.status, p.body)
	}
	b.csrf = csrfOf(t, p.body)
	return b
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field on the page:\n%s", body)
	}
	return m[1]
}

func (b *browser) get(path string, header ...string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.mock.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// post submits a form the way the page does: with the CSRF token and the page to return to.
func (b *browser) post(path string, fields ...string) page {
	b.t.Helper()
	form := url.Values{"csrf": {b.csrf}, "back": {"/_mock/ui/"}}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Set(fields[i], fields[i+1])
	}
	req, _ := http.NewRequest(http.MethodPost, b.mock.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		b.t.Fatalf("%s %s: %d\n%s", req.Method, req.URL.Path, resp.StatusCode, body)
	}
	return page{resp.StatusCode, resp.Request.URL.RequestURI(), string(body)}
}

// flash returns the message the page shows about the last action.
func (p page) flash() string {
	m := regexp.MustCompile(`(?s)<p class="flash (ok|error)"[^>]*>(.*?)</p>`).FindStringSubmatch(p.body)
	if m == nil {
		return ""
	}
	return m[1] + ": " + htmlText(m[2])
}

func htmlText(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#43;", "+").Replace(s)
}

// echoReceiver is a hookUrl that answers handshakes and counts deliveries; fail makes it
// answer deliveries 500.
func echoReceiver(t *testing.T, fail *bool) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := r.Header.Get(keap.HeaderHookSecret); s != "" {
			w.Header().Set(keap.HeaderHookSecret, s)
			return
		}
		w.Header().Set("X-Receiver", "echo")
		if fail != nil && *fail {
			http.Error(w, `{"error":"down for the test"}`, http.StatusInternalServerError)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}
