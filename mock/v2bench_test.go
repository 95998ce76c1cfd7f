package mock

import (
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkV2GetContact measures a v2 GET of one contact against the v1 GET of the same
// contact, through the whole mock (router, auth, store, encoding), in alternating rounds of
// the same run, and reports v2's fastest round over v1's fastest as "ratio"
// (target: at most 1.2). Run it with -benchtime 1x: one run holds its own rounds.
func BenchmarkV2GetContact(b *testing.B) {
	m, err := New(WithSeedData(), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	get := func(path string) func() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer bench")
		return func() {
			rec := httptest.NewRecorder()
			m.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
			}
			io.Discard.Write(rec.Body.Bytes())
		}
	}
	v1, v2 := get("/crm/rest/v1/contacts/2001"), get("/crm/rest/v2/contacts/2001")
	// Many short rounds, each timing v1 and v2 back to back (in alternating order); the
	// ratio compares each version's fastest round. Load from elsewhere on a shared machine
	// only ever adds time, so the fastest round is the closest to the code's own cost.
	const rounds, perRound = 201, 100
	var t1, t2 time.Duration
	best1, best2 := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for range b.N {
		for r := range rounds {
			var d1, d2 time.Duration
			if r%2 == 0 {
				d1 = timed(v1, perRound)
				d2 = timed(v2, perRound)
			} else {
				d2 = timed(v2, perRound)
				d1 = timed(v1, perRound)
			}
			t1, t2 = t1+d1, t2+d2
			best1, best2 = min(best1, d1), min(best2, d2)
		}
	}
	n := float64(b.N * rounds * perRound)
	b.ReportMetric(float64(t1.Nanoseconds())/n, "v1_ns/req")
	b.ReportMetric(float64(t2.Nanoseconds())/n, "v2_ns/req")
	b.ReportMetric(float64(best2)/float64(best1), "ratio")
}

func timed(f func(), n int) time.Duration {
	start := time.Now()
	for range n {
		f()
	}
	return time.Since(start)
}
