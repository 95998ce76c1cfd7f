package mock_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
)

// The tests in this file measure the process's heap, so none of them is parallel: Go runs
// them before releasing the parallel tests.

func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// heapGrowth reports, in MB, how much the heap grew since before.
func heapGrowth(before int64) float64 { return float64(liveHeap()-before) / (1 << 20) }

// inProcess is a virtual-time mock called without a network, so that only the mock's own
// memory is measured.
type inProcess struct {
	t   *testing.T
	srv *mock.Server
}

func newInProcess(t *testing.T, opts ...mock.Option) inProcess {
	t.Helper()
	srv, err := mock.New(append([]mock.Option{mock.WithTiming(delivery.TimingVirtual)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return inProcess{t, srv}
}

func (p inProcess) do(method, target, token, form string) *httptest.ResponseRecorder {
	var req *http.Request
	if form == "" {
		req = httptest.NewRequest(method, target, nil)
	} else {
		req = httptest.NewRequest(method, target, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	p.srv.ServeHTTP(w, req)
	return w
}

func (p inProcess) doJSON(method, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer dev")
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	p.srv.ServeHTTP(w, req)
	return w
}

func (p inProcess) advance(d time.Duration) {
	if _, err := p.srv.Engine().Advance(context.Background(), d); err != nil {
		p.t.Fatal(err)
	}
}

// distinct returns the i-th of many different strings of n bytes.
func distinct(i, n int) string {
	head := fmt.Sprintf("%06d", i)
	return head + strings.Repeat("x", n-len(head))
}

func authorizeURL(clientID, redirect string) string {
	return "/app/oauth/authorize?response_type=code&client_id=" + url.QueryEscape(clientID) +
		"&redirect_uri=" + url.QueryEscape(redirect)
}

// 1,000 authorizations, each with a 64 KB redirect_uri or client_id, or a 64 KB token:
// each gets a 400 saying what is too long, and the heap grows by less than 1 MB.
func TestOverlongValuesGet400AndAreNotKept(t *testing.T) {
	p := newInProcess(t)
	const big = 64 << 10
	before := liveHeap()
	for i := range 1000 {
		var w *httptest.ResponseRecorder
		var what string
		switch i % 3 {
		case 0:
			w, what = p.do("GET", authorizeURL("app", "https://app.example/"+distinct(i, big)), "", ""), "redirect_uri"
		case 1:
			w, what = p.do("GET", authorizeURL(distinct(i, big), "https://app.example/cb"), "", ""), "client_id"
		default:
			w, what = p.do("GET", "/crm/rest/v1/hooks", distinct(i, big), ""), "the token"
		}
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), what+" is ") || !strings.Contains(w.Body.String(), "at most") {
			t.Fatalf("overlong %s = %d %.200s; want a 400 saying it is too long", what, w.Code, w.Body)
		}
	}
	if grown := heapGrowth(before); grown > 1 {
		t.Errorf("1,000 overlong values (64 MB in all) left the heap %.1f MB larger; want under 1 MB", grown)
	}
	w := p.do("POST", "/token", "", "grant_type=authorization_code&client_id=app&client_secret=s&code="+distinct(0, big))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "invalid_request") {
		t.Errorf("POST /token with an overlong code = %d %.200s; want a 400 invalid_request", w.Code, w.Body)
	}
}

// 1,000 authorizations with distinct 2 KB redirect_uris, half of them exchanged for tokens:
// once codes (10 minutes) and tokens (45 days for the refresh tokens) have expired, the heap
// is back within 256 KB of where it started.
func TestExpiredCodesAndTokensArePruned(t *testing.T) {
	p := newInProcess(t)
	before := liveHeap()
	var codes []string
	for i := range 1000 {
		redirect := "https://app.example/" + distinct(i, 2000)
		w := p.do("GET", authorizeURL(distinct(i, 200), redirect), "", "")
		loc, err := url.Parse(w.Header().Get("Location"))
		if w.Code != http.StatusFound || err != nil {
			t.Fatalf("authorize = %d %s", w.Code, w.Body)
		}
		if i%2 == 0 {
			form := url.Values{"grant_type": {"authorization_code"}, "client_id": {distinct(i, 200)}, "client_secret": {"s"},
				"code": {loc.Query().Get("code")}, "redirect_uri": {redirect}}
			if w := p.do("POST", "/token", "", form.Encode()); w.Code != http.StatusOK {
				t.Fatalf("token exchange = %d %s", w.Code, w.Body)
			}
		} else {
			codes = append(codes, loc.Query().Get("code"))
		}
	}
	if grown := heapGrowth(before); grown < 1 {
		t.Fatalf("500 codes and 500 grants take only %.2f MB: the test measures nothing", grown)
	}
	p.advance(11 * time.Minute)
	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {distinct(1, 200)}, "client_secret": {"s"},
		"code": {codes[0]}, "redirect_uri": {"https://app.example/" + distinct(1, 2000)}}
	if w := p.do("POST", "/token", "", form.Encode()); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Invalid Authorization Code") {
		t.Errorf("a code used after 11 minutes = %d %s; want Keap's invalid_grant", w.Code, w.Body)
	}
	p.advance(46 * 24 * time.Hour)
	p.do("GET", authorizeURL("app", "https://app.example/cb"), "", "") // any OAuth call prunes
	if grown := heapGrowth(before); grown > 0.25 {
		t.Errorf("after every code and token expired the heap is %.2f MB larger; want under 0.25 MB", grown)
	}
}

// With rate limits, 1,000 distinct 2 KB tokens each get counted; once a day has passed their
// windows are forgotten and the heap is back within 256 KB of where it started.
func TestPassedRateLimitWindowsAreDropped(t *testing.T) {
	p := newInProcess(t, mock.WithRateLimits())
	before := liveHeap()
	for i := range 1000 {
		if w := p.do("GET", "/crm/rest/v1/hooks", distinct(i, 2000), ""); w.Code != http.StatusOK {
			t.Fatalf("GET /v1/hooks = %d %s", w.Code, w.Body)
		}
	}
	if grown := heapGrowth(before); grown < 1.5 {
		t.Fatalf("1,000 counted tokens take only %.2f MB: the test measures nothing", grown)
	}
	p.advance(24*time.Hour + time.Second)
	p.do("GET", "/crm/rest/v1/hooks", "one-more", "")
	if grown := heapGrowth(before); grown > 0.25 {
		t.Errorf("a day later the rate limiter still holds %.2f MB; want under 0.25 MB", grown)
	}
}
