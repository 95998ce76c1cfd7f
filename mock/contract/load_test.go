package contract

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoadGoodReceiver(t *testing.T) {
	t.Parallel()
	cfg := serve(t, &receiver{})
	cfg.Load = Load{Rate: 1000, For: 40 * time.Millisecond}
	res := only(t, cfg, CheckLoad)
	want(t, res, Passed, "40 deliveries at 1000/s: 100.00% succeeded")
	if res.Load == nil {
		t.Fatal("no load figures")
	}
	if diff := cmp.Diff(LoadStats{Rate: 1000, Planned: 40, Sent: 40, Succeeded: 40, SuccessRate: 1,
		Outcomes: map[string]int{"200": 40}}, *res.Load); diff != "" {
		t.Errorf("load figures (-want +got):\n%s", diff)
	}
}

func TestLoadFlakyReceiverFails(t *testing.T) {
	t.Parallel()
	cfg := serve(t, &receiver{flaky: 10})
	cfg.Load = Load{Rate: 1000, For: 50 * time.Millisecond}
	res := only(t, cfg, CheckLoad)
	want(t, res, Failed, "90.00% succeeded")
	want(t, res, Failed, "503 ×5")
	if res.Fix == "" {
		t.Error("no fix")
	}
}

// TestLoadCountsEveryDeliveryForNo410: the 410 check sees the load check's deliveries too.
func TestLoadCountsEveryDeliveryForNo410(t *testing.T) {
	t.Parallel()
	cfg := serve(t, &receiver{})
	cfg.Load = Load{Rate: 1000, For: 20 * time.Millisecond}
	cfg.Only = []string{CheckLoad, CheckNo410}
	rep := Run(t.Context(), cfg)
	want(t, rep.Results[1], Passed, "None of the 20 valid deliveries")
}

// TestDefaultClientPoolsForTheLoadCheck: a plain client keeps two idle connections per host,
// so under load nearly every delivery to a slow endpoint would open a new connection, skewing
// the latencies and piling up sockets in TIME_WAIT on the machine running the check.
func TestDefaultClientPoolsForTheLoadCheck(t *testing.T) {
	t.Parallel()
	rt := Config{}.withDefaults().Client.Transport
	tr, ok := rt.(*http.Transport)
	if !ok {
		t.Fatalf("default transport %T; want an *http.Transport sized for the load check", rt)
	}
	if tr.MaxIdleConnsPerHost < maxInFlight {
		t.Errorf("the default transport keeps %d idle connections per host; want at least %d", tr.MaxIdleConnsPerHost, maxInFlight)
	}
}

func TestPercentiles(t *testing.T) {
	t.Parallel()
	var shots []shot
	for i := 1; i <= 100; i++ {
		shots = append(shots, shot{outcome: "200", ok: true, elapsed: time.Duration(i) * time.Millisecond})
	}
	st := summarize(shots, 100, 100)
	if st.P50 != 50*time.Millisecond || st.P95 != 95*time.Millisecond || st.P99 != 99*time.Millisecond {
		t.Errorf("p50 %s p95 %s p99 %s; want 50ms 95ms 99ms", st.P50, st.P95, st.P99)
	}
	if empty := summarize(nil, 1, 1); empty.P99 != 0 || empty.SuccessRate != 0 {
		t.Errorf("empty run: %+v", empty)
	}
}

func TestParseRate(t *testing.T) {
	t.Parallel()
	good := map[string]float64{"50": 50, " 50/s ": 50, "600/m": 10, "0.5": 0.5, "1000": 1000, "60000/min": 1000}
	for in, want := range good {
		if got, err := ParseRate(in); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %g, %v; want %g", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-5", "1001", "fast", "50/h", "NaN", "Inf", "1e9/m"} {
		if got, err := ParseRate(in); err == nil {
			t.Errorf("ParseRate(%q) = %g; want an error", in, got)
		}
	}
}

func TestLoadValidate(t *testing.T) {
	t.Parallel()
	for _, l := range []Load{{}, {Rate: 50}, {Rate: 1000, For: 5 * time.Minute}, {Rate: 0.2, For: 5 * time.Second}} {
		if err := l.Validate(); err != nil {
			t.Errorf("%+v: %v", l, err)
		}
	}
	for _, l := range []Load{{For: time.Second}, {Rate: 1001}, {Rate: -1}, {Rate: math.NaN()},
		{Rate: 50, For: 6 * time.Minute}, {Rate: 50, For: -time.Second}, {Rate: 0.1, For: time.Second}} {
		if err := l.Validate(); err == nil || strings.Contains(err.Error(), "%!") {
			t.Errorf("%+v: error %v; want a readable error", l, err)
		}
	}
}
