package contract

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/mock/testkit"
)

// endpoint is an in-memory hook endpoint: it answers handshakes (or not) and hangs on what
// it does not answer until the request is given up, so runs can be timed on synctest's clock.
type endpoint struct {
	answerHandshakes bool
	hangDeliveries   bool
	requests         atomic.Int32
}

func (e *endpoint) RoundTrip(req *http.Request) (*http.Response, error) {
	e.requests.Add(1)
	handshake := req.Header.Get(keap.HeaderHookSecret) != ""
	if (handshake && !e.answerHandshakes) || (!handshake && e.hangDeliveries) {
		<-req.Context().Done()
		return nil, req.Context().Err()
	}
	rec := httptest.NewRecorder()
	rec.Header().Set(keap.HeaderHookSecret, req.Header.Get(keap.HeaderHookSecret))
	return rec.Result(), nil
}

func (e *endpoint) config(timeout time.Duration) Config {
	return Config{URL: "http://hooks.example/keap", Client: &http.Client{Transport: e}, Timeout: timeout,
		Signing: signature.Config{Scheme: signature.HMACHex, Secrets: []string{"s3cret"}}}
}

// A hanging endpoint gets its verdict within twice the timeout, not once per check.
func TestHangingEndpointVerdictWithinTwoTimeouts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		ep      *endpoint
		skipped int
	}{
		{"answers nothing", &endpoint{}, 12},
		{"answers handshakes only", &endpoint{answerHandshakes: true, hangDeliveries: true}, 3}, // stale-timestamp, load, no-410
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				const timeout = 30 * time.Second
				start := time.Now()
				rep := Run(context.Background(), tt.ep.config(timeout))
				if took := time.Since(start); took > 2*timeout {
					t.Errorf("the verdict took %s; want at most %s", took, 2*timeout)
				}
				if !rep.Failed() || rep.Count(Skipped) != tt.skipped {
					t.Errorf("%d skipped, want %d:\n%s", rep.Count(Skipped), tt.skipped, dump(rep))
				}
			})
		})
	}
}

// With nothing listening, the silence is reported once: by the first check, the others
// saying why they did not run.
func TestUnreachableEndpointReportedOnce(t *testing.T) {
	t.Parallel()
	rep := Run(context.Background(), Config{URL: "http://" + testkit.RefusedAddr(t)})
	if got := strings.Count(dump(rep), "refused"); got != 1 {
		t.Errorf("the refusal is reported %d times; want once:\n%s", got, dump(rep))
	}
	for _, res := range rep.Results[1:] {
		if res.Status != Skipped || res.Message != "Not run: the endpoint gave no answer to handshake-echo (see there why)." {
			t.Errorf("%s: %s %q", res.Name, res.Status, res.Message)
		}
	}
}

// Interrupting a run marks what did not finish as skipped, never as failed, and the report
// says it was interrupted, which is never a pass.
func TestInterruptedRunSkipsUnfinishedChecks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ep := &endpoint{answerHandshakes: true, hangDeliveries: true}
		ctx, cancel := context.WithCancel(context.Background())
		var observed []Result
		cfg := ep.config(time.Minute)
		cfg.Observe = func(r Result) { observed = append(observed, r) }
		done := make(chan Report)
		go func() { done <- Run(ctx, cfg) }()
		synctest.Wait() // every delivery check hangs
		cancel()
		rep := <-done
		if !rep.Interrupted || !rep.Failed() || rep.Count(Failed) != 0 {
			t.Errorf("interrupted %v, failed %v, %d failed checks:\n%s", rep.Interrupted, rep.Failed(), rep.Count(Failed), dump(rep))
		}
		if rep.Results[0].Status != Passed || rep.Results[3].Message != interruptedNote {
			t.Errorf("a finished check lost its verdict or an unfinished one was judged:\n%s", dump(rep))
		}
		if len(observed) != len(rep.Results) {
			t.Errorf("observed %d verdicts of %d", len(observed), len(rep.Results))
		}
	})
}

// A rate runs the load check even when Only does not name it; naming it without a rate is
// refused.
func TestLoadWithOnly(t *testing.T) {
	t.Parallel()
	cfg := serve(t, &receiver{})
	cfg.Only, cfg.Load = []string{CheckHandshakeEcho}, Load{Rate: 20, For: 100 * time.Millisecond}
	rep := Run(context.Background(), cfg)
	if got := statuses(rep); len(got) != 2 || got[CheckLoad] != Passed {
		t.Errorf("--only handshake-echo with a rate ran %v:\n%s", got, dump(rep))
	}
	err := Config{URL: "http://127.0.0.1/", Only: []string{CheckLoad}}.Validate()
	if !errors.Is(err, ErrLoadNeedsRate) {
		t.Errorf("Only load without a rate: %v", err)
	}
}

// oneAtATime is a hook endpoint that records the most requests it ever had in flight; each
// answer takes 10 ms on synctest's clock (a latency, not a wait for state), so requests sent
// at the same time are seen overlapping.
type oneAtATime struct {
	inFlight, most atomic.Int32
}

func (e *oneAtATime) RoundTrip(req *http.Request) (*http.Response, error) {
	n := e.inFlight.Add(1)
	defer e.inFlight.Add(-1)
	for m := e.most.Load(); n > m && !e.most.CompareAndSwap(m, n); m = e.most.Load() {
	}
	time.Sleep(10 * time.Millisecond)
	rec := httptest.NewRecorder()
	rec.Header().Set(keap.HeaderHookSecret, req.Header.Get(keap.HeaderHookSecret))
	return rec.Result(), nil
}

// Serial sends one request at a time, for endpoints that cannot take more; without it the
// independent checks overlap.
func TestSerialSendsOneRequestAtATime(t *testing.T) {
	t.Parallel()
	for _, serial := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			e := &oneAtATime{}
			rep := Run(context.Background(), Config{URL: "http://hooks.example/keap",
				Client: &http.Client{Transport: e}, Serial: serial})
			if rep.Failed() {
				t.Fatalf("serial=%v: a good endpoint failed:\n%s", serial, dump(rep))
			}
			if most := e.most.Load(); serial && most != 1 || !serial && most < 2 {
				t.Errorf("serial=%v: at most %d requests in flight at once", serial, most)
			}
		})
	}
}
