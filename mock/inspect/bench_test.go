package inspect_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/mocktest"
)

// BenchmarkFirstPage renders the inspector's front page over 20,000 deliveries, and over 50
// as the baseline, in server time (the handler alone, no network). The list is paginated, so
// the page costs about what a small one does; the target is under 200 ms.
func BenchmarkFirstPage(b *testing.B) {
	big := mockWithDeliveries(b, 20_000)
	small := mockWithDeliveries(b, 50)
	bigMS := pageTime(b, big)
	smallMS := pageTime(b, small)
	b.ReportMetric(bigMS, "first_page_ms")
	b.ReportMetric(smallMS, "baseline_page_ms")
	b.ReportMetric(bigMS/smallMS, "ratio")
}

// mockWithDeliveries starts a mock holding n deliveries: events for a hook that never
// verified are kept as Dropped deliveries, so no receiver is needed to fill the list.
func mockWithDeliveries(b *testing.B, n int) *mocktest.Server {
	b.Helper()
	m := mocktest.NewServer(b, mock.WithTokens(testToken), mock.WithTiming(delivery.TimingVirtual))
	api := m.Client()
	resp, err := api.Post(m.URL+"/crm/rest/v1/hooks", "application/json",
		strings.NewReader(`{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:1/unreachable"}`))
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	for i := range n {
		if _, err := m.Mock.Emit("contact.add", int64(i+1)); err != nil {
			b.Fatal(err)
		}
	}
	if got := len(m.Mock.Engine().List(delivery.Filter{})); got != n {
		b.Fatalf("%d deliveries, want %d", got, n)
	}
	return m
}

// pageTime is the median server time of the front page, in milliseconds.
func pageTime(b *testing.B, m *mocktest.Server) float64 {
	b.Helper()
	const runs = 15
	times := make([]time.Duration, runs)
	for i := range times {
		req := httptest.NewRequest(http.MethodGet, "/_mock/ui/", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		rec := httptest.NewRecorder()
		start := time.Now()
		m.Mock.ServeHTTP(rec, req)
		times[i] = time.Since(start)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "newest first") {
			b.Fatalf("front page: %d", rec.Code)
		}
	}
	return float64(median(times).Microseconds()) / 1000
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s[len(s)/2]
}

// BenchmarkStreams measures delivery throughput with 10 inspector pages open, each following
// its event stream and fetching the live part of the page on every event as live.js does,
// against the same mock with no page open; the rounds alternate, so load on the machine
// weighs on both alike. Target: the pages cost less than 5%.
func BenchmarkStreams(b *testing.B) {
	// 20 hooks: a busy account; every page lists them all, and the newest 50 deliveries.
	const hooks, rounds, pages = 20, 21, 10
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := r.Header.Get("X-Hook-Secret"); s != "" {
			w.Header().Set("X-Hook-Secret", s)
		}
	}))
	defer rcv.Close()
	m := mocktest.NewServer(b, mock.WithTokens(testToken), mock.WithTiming(delivery.TimingVirtual))
	for range hooks {
		resp, err := m.Client().Post(m.URL+"/crm/rest/v1/hooks", "application/json",
			strings.NewReader(fmt.Sprintf(`{"eventKey":"contact.add","hookUrl":%q}`, rcv.URL)))
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
	// Each pair of rounds gives a ratio; the median pair is the figure, so that one round
	// slowed by another program on the machine does not decide it.
	var without, with []time.Duration
	var cpuWithout, cpuWith time.Duration // this process's CPU time, which others' load moves less
	plain := func() time.Duration {
		c := cpuTime()
		d := deliverRound(b, m, hooks)
		cpuWithout += cpuTime() - c
		return d
	}
	withPages := func() time.Duration {
		stop := openPages(b, m, pages)
		defer stop()
		c := cpuTime()
		d := deliverRound(b, m, hooks)
		cpuWith += cpuTime() - c
		return d
	}
	for i := range rounds { // ABBA order, so that a drift in the machine's load cancels out
		if i%2 == 0 {
			without = append(without, plain())
			with = append(with, withPages())
		} else {
			with = append(with, withPages())
			without = append(without, plain())
		}
	}
	ratios := make([]time.Duration, rounds) // time ratios, scaled by 1e6 to sort as durations
	for i := range ratios {
		ratios[i] = time.Duration(float64(without[i]) / float64(with[i]) * 1e6)
	}
	n := float64(hooks * cycles)
	b.ReportMetric(n/median(with).Seconds(), "with_pages_deliveries/s")
	b.ReportMetric(n/median(without).Seconds(), "baseline_deliveries/s")
	b.ReportMetric(float64(median(ratios))/1e6, "ratio")
	b.ReportMetric(float64(cpuWith)/float64(cpuWithout), "cpu_ratio")
	b.ReportMetric(float64(refreshes.Load()), "page_refreshes")
}

// refreshes counts the live refreshes the pages made, all rounds together.
var refreshes atomic.Int64

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cycles is how many batches a round delivers: enough for a round to last a good part of a
// second, so that the pages' refreshes fall inside it.
const cycles = 50

// deliverRound emits events to every hook and advances the clock until all the deliveries
// they made were attempted, cycles times; it returns the time that took.
func deliverRound(b *testing.B, m *mocktest.Server, hooks int) time.Duration {
	b.Helper()
	start := time.Now()
	var queued []string
	for range cycles {
		em, err := m.Mock.Emit("contact.add", 1)
		if err != nil || len(em.Queued) != hooks {
			b.Fatalf("emit: %v, %d queued", err, len(em.Queued))
		}
		if _, err := m.Mock.Engine().Advance(context.Background(), 2*time.Minute); err != nil {
			b.Fatal(err)
		}
		queued = append(queued, em.Queued...)
	}
	elapsed := time.Since(start)
	for _, id := range queued {
		if d, _ := m.Mock.Engine().Get(id); d.State != delivery.Delivered {
			b.Fatalf("%s is %s", id, d.State)
		}
	}
	return elapsed
}

// openPages opens n live pages and returns a function that closes them.
func openPages(b *testing.B, m *mocktest.Server, n int) func() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	ready := make(chan struct{}, n)
	for range n {
		wg.Go(func() { followPage(ctx, m, ready) })
	}
	for range n { // the stream is subscribed before its headers are sent
		<-ready
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

// pageClient keeps its connections open between fetches, as a browser does.
var pageClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}

// followPage is live.js: on every event, fetch the live part of the page.
func followPage(ctx context.Context, m *mocktest.Server, ready chan<- struct{}) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL+"/_mock/ui/events", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := pageClient.Do(req)
	if err != nil {
		ready <- struct{}{}
		return
	}
	defer resp.Body.Close()
	ready <- struct{}{}
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if lines.Text() != "event: change" {
			continue
		}
		refreshes.Add(1)
		page, _ := http.NewRequestWithContext(ctx, http.MethodGet, m.URL+"/_mock/ui/", nil)
		page.Header.Set("Authorization", "Bearer "+testToken)
		page.Header.Set("X-Inspector-Fragment", "1")
		if r, err := pageClient.Do(page); err == nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
	}
}
