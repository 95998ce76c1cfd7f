package contract

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/keaphook/keaphook/mock/testkit"
)

// onlyTo serves every request in process and fails the test on any request that is not a
// POST to url: a redirect followed, an apiUrl fetched, another host tried. Requests never
// reach the network, so nothing the suite might contact by mistake can answer it.
type onlyTo struct {
	t   *testing.T
	url string
	h   http.Handler // nil: never answer, wait for the request's deadline

	mu                    sync.Mutex
	total, inFlight, most int
}

func (o *onlyTo) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodPost || req.URL.String() != o.url {
		o.t.Errorf("%s %s: the suite may only POST to %s", req.Method, req.URL, o.url)
		return nil, errors.New("not the endpoint under check")
	}
	o.mu.Lock()
	o.total++
	o.inFlight++
	o.most = max(o.most, o.inFlight)
	o.mu.Unlock()
	defer func() {
		o.mu.Lock()
		o.inFlight--
		o.mu.Unlock()
	}()
	if o.h == nil {
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
	rec := httptest.NewRecorder()
	o.h.ServeHTTP(rec, req)
	req.Body.Close()
	resp := rec.Result()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// Bait for a client that follows redirects: the next request would go elsewhere.
		resp.Header.Set("Location", "http://127.0.0.1:1/elsewhere")
	}
	return resp, nil
}

func (o *onlyTo) counts() (total, most int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.total, o.most
}

// TestSuiteContactsOnlyItsURL runs every check, signed and with the load check on, against
// a good receiver and a redirecting one: every request is a POST to the URL given, never to
// the apiUrl host nor to where a redirect points.
func TestSuiteContactsOnlyItsURL(t *testing.T) {
	t.Parallel()
	for name, rc := range map[string]*receiver{
		"good":        {sig: standardSigning},
		"redirecting": {sig: standardSigning, redirect: true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rc.clock = testkit.NewClock(time.Time{})
			o := &onlyTo{t: t, url: "http://127.0.0.1:9/keap", h: rc}
			rep := Run(t.Context(), Config{URL: o.url, Client: &http.Client{Transport: o}, Now: rc.clock.Now,
				Signing: standardSigning, APIBaseURL: "http://127.0.0.1:8/crm/rest",
				Load: Load{Rate: 1000, For: 20 * time.Millisecond}})
			if total, _ := o.counts(); rep.Count(Skipped) != 0 || total < 20 {
				t.Errorf("%d requests, %d checks skipped; want the whole suite run\n%s", total, rep.Count(Skipped), dump(rep))
			}
		})
	}
}

// TestLoadNeverHasMoreThanMaxInFlight points the load check at an endpoint that never
// answers: the pace stops at maxInFlight requests in flight and resumes only as they time out.
func TestLoadNeverHasMoreThanMaxInFlight(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		o := &onlyTo{t: t, url: "http://127.0.0.1:9/keap"}
		rep := Run(t.Context(), Config{URL: o.url, Client: &http.Client{Transport: o}, Timeout: time.Second,
			Only: []string{CheckLoad}, Load: Load{Rate: 1000, For: 400 * time.Millisecond}})
		res := rep.Results[0]
		total, most := o.counts()
		if most != maxInFlight || total != 400 || res.Load == nil || res.Load.Outcomes["timeout"] != 400 {
			t.Errorf("%d requests, at most %d in flight; want 400 and %d\n%s", total, most, maxInFlight, dump(rep))
		}
		want(t, res, Failed, "0.00% succeeded")
	})
}
