package contract

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// BenchmarkSuiteAgainstSlowEndpoint runs the whole suite against an endpoint that takes
// 20 ms over every answer, beside a baseline measured in the same run: as many requests as
// the suite sent, one after another, which is what a suite running its checks in turn costs.
// ratio is the suite's time over the baseline's; the checks run at the same time, so it is
// well under 1.
func BenchmarkSuiteAgainstSlowEndpoint(b *testing.B) {
	const latency = 20 * time.Millisecond
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		<-time.After(latency) // the endpoint's own slowness, not a wait for state
		w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	}))
	b.Cleanup(srv.Close)
	cfg := Config{URL: srv.URL, Client: srv.Client()}
	var suite, baseline time.Duration
	for b.Loop() {
		requests.Store(0)
		start := time.Now()
		if rep := Run(context.Background(), cfg); rep.Failed() {
			b.Fatalf("the suite failed against a good endpoint:\n%s", dump(rep))
		}
		suite += time.Since(start)
		sent := requests.Load()
		start = time.Now()
		for range sent {
			resp, err := srv.Client().Post(srv.URL, "application/json", bytes.NewReader([]byte("{}")))
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
		baseline += time.Since(start)
	}
	b.ReportMetric(suite.Seconds()*1000/float64(b.N), "suite_ms")
	b.ReportMetric(baseline.Seconds()*1000/float64(b.N), "sequential_ms")
	b.ReportMetric(suite.Seconds()/baseline.Seconds(), "ratio")
}
