package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
)

// LoadStats are the figures of a load run. Success is counted as Keap counts it: 200-399
// within the timeout. Latencies include failed attempts.
type LoadStats struct {
	Rate        float64        `json:"rate"`    // deliveries a second asked for
	Planned     int            `json:"planned"` // deliveries the rate and duration make
	Sent        int            `json:"sent"`    // fewer than Planned when the run was cancelled
	Succeeded   int            `json:"succeeded"`
	SuccessRate float64        `json:"successRate"` // Succeeded/Sent, 0 to 1
	Outcomes    map[string]int `json:"outcomes"`    // "200", "503", "timeout", "error" → count
	P50         time.Duration  `json:"-"`
	P95         time.Duration  `json:"-"`
	P99         time.Duration  `json:"-"`
}

type loadStatsFields LoadStats

// MarshalJSON writes the stats with their percentiles in milliseconds.
func (s LoadStats) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		loadStatsFields
		P50 float64 `json:"p50Ms"`
		P95 float64 `json:"p95Ms"`
		P99 float64 `json:"p99Ms"`
	}{loadStatsFields(s), millis(s.P50), millis(s.P95), millis(s.P99)})
}

// shot is the outcome of one load delivery.
type shot struct {
	outcome string // the status code, "timeout" or "error"
	ok      bool
	elapsed time.Duration
}

// LoadOptIn is the verdict of the load check when Config.Load gives no rate; a command adds
// how to give one.
const LoadOptIn = "Not run: the load check is opt-in; it runs when a rate of deliveries is given."

func (r *runner) checkLoad(ctx context.Context) Result {
	if !r.cfg.Load.Enabled() {
		return Result{Status: Skipped, Message: LoadOptIn}
	}
	st := r.runLoad(ctx, r.cfg.Load.withDefaults())
	res := Result{Load: &st}
	summary := fmt.Sprintf("%d deliveries at %g/s: %.2f%% succeeded as Keap counts success; latency p50 %s, p95 %s, p99 %s",
		st.Sent, st.Rate, 100*st.SuccessRate, round(st.P50), round(st.P95), round(st.P99))
	if st.Sent < st.Planned {
		summary += fmt.Sprintf(" (stopped after %d of %d)", st.Sent, st.Planned)
	}
	switch {
	case st.SuccessRate < 0.99:
		res.Status, res.Message = Failed, fmt.Sprintf("%s (%s). Under this load Keap would retry the failures and deactivate the hook once an attempt fails four times.", summary, failures(st.Outcomes))
		res.Fix = "answer 200 at once and queue the work, and size the endpoint for bursts: Keap sends as fast as changes happen"
	case st.P99 >= r.cfg.Timeout:
		res.Status, res.Message = Failed, fmt.Sprintf("%s; the slowest 1%% reach Keap's %s limit, where each counts as a failed attempt.", summary, r.cfg.Timeout)
		res.Fix = "answer before processing, so latency does not grow with load"
	default:
		res.Status, res.Message = Passed, summary+"."
	}
	return res
}

// runLoad sends l.planned() one-object deliveries at l.Rate, at most maxInFlight at a time.
func (r *runner) runLoad(ctx context.Context, l Load) LoadStats {
	planned := l.planned()
	shots := make([]shot, planned)
	ticker := time.NewTicker(time.Duration(float64(time.Second) / l.Rate))
	defer ticker.Stop()
	slots := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	sent := 0
pace:
	for ; sent < planned; sent++ {
		if sent > 0 {
			select {
			case <-ctx.Done():
				break pace
			case <-ticker.C:
			}
		}
		select {
		case <-ctx.Done():
			break pace
		case slots <- struct{}{}:
		}
		d, i := r.newDelivery(r.newEvent(eventEdit, 1, r.cfg.Now())), sent
		wg.Go(func() {
			defer func() { <-slots }()
			shots[i] = r.shoot(ctx, d)
		})
	}
	wg.Wait()
	return summarize(shots[:sent], l.Rate, planned)
}

func (r *runner) shoot(ctx context.Context, d payload) shot {
	x := r.deliver(ctx, CheckLoad, d)
	switch {
	case x.timedOut:
		return shot{outcome: "timeout", elapsed: x.elapsed}
	case x.err != nil:
		return shot{outcome: "error", elapsed: x.elapsed}
	}
	return shot{outcome: strconv.Itoa(x.status), ok: delivery.KeapSuccess.OK(x.status), elapsed: x.elapsed}
}

func summarize(shots []shot, rate float64, planned int) LoadStats {
	st := LoadStats{Rate: rate, Planned: planned, Sent: len(shots), Outcomes: map[string]int{}}
	lat := make([]time.Duration, len(shots))
	for i, s := range shots {
		st.Outcomes[s.outcome]++
		lat[i] = s.elapsed
		if s.ok {
			st.Succeeded++
		}
	}
	if st.Sent > 0 {
		st.SuccessRate = float64(st.Succeeded) / float64(st.Sent)
	}
	slices.Sort(lat)
	st.P50, st.P95, st.P99 = percentile(lat, 0.50), percentile(lat, 0.95), percentile(lat, 0.99)
	return st
}

// percentile is the nearest-rank percentile of sorted latencies.
func percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// failures lists the unsuccessful outcomes, most frequent first: "503 ×40, timeout ×2".
func failures(outcomes map[string]int) string {
	var keys []string
	for k := range outcomes {
		if n, err := strconv.Atoi(k); err != nil || !delivery.KeapSuccess.OK(n) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		if outcomes[a] != outcomes[b] {
			return outcomes[b] - outcomes[a]
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, outcomes[k])
	}
	return strings.Join(parts, ", ")
}
