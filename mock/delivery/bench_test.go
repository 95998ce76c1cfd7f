package delivery

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

const benchWorkers = 64

// fanOutHooks returns n Verified hooks on contact.add, all pointing at url.
func fanOutHooks(n int, url string) *fakeHooks {
	hooks := newHooks()
	for i := range n {
		hooks.set(verified(strconv.Itoa(i), "contact.add", url))
	}
	return hooks
}

// immediatePolicy attempts at once and retries after an hour.
func immediatePolicy() Policy {
	p := KeapPolicy()
	p.FirstDelay = Fixed(0)
	p.Retry = Schedule{Fixed(time.Hour)}
	return p
}

// countingEngine runs an engine on the real clock whose ticks channel receives once every
// `every` attempts.
func countingEngine(b *testing.B, hooks Hooks, every int64) (*Engine, <-chan struct{}, func()) {
	var made atomic.Int64
	ticks := make(chan struct{}, 1000)
	e, err := New(Config{Hooks: hooks, Timing: TimingKeap, Policy: immediatePolicy(), Workers: benchWorkers,
		Rand: rand.New(rand.NewPCG(1, 1)), Retain: Retention{Count: -1, Bytes: -1},
		Observe: func(r Notice) {
			if r.Kind == NoticeAttempt && made.Add(1)%every == 0 {
				ticks <- struct{}{}
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { e.Run(ctx); close(stopped) }()
	return e, ticks, func() { cancel(); <-stopped }
}

func okServer(b *testing.B, status int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		io.WriteString(w, "ok")
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkThroughput compares the engine's POSTs per second to a loopback receiver with a
// plain http.Client posting the same payloads to the same receiver at the same concurrency.
func BenchmarkThroughput(b *testing.B) {
	const n = 20_000
	srv := okServer(b, http.StatusOK)
	hooks := fanOutHooks(n, srv.URL)
	body := renderPayload("contact.add", []keap.ObjectKey{{ID: 1, Timestamp: keap.Timestamp(time.Now())}})
	var engineTime, baseTime time.Duration
	for b.Loop() {
		e, done, stop := countingEngine(b, hooks, n)
		start := time.Now()
		if _, err := e.Emit("contact.add", Change{ID: 1}); err != nil {
			b.Fatal(err)
		}
		<-done
		engineTime += time.Since(start)
		stop()
		if c := e.Counts(); c[Delivered] != n {
			b.Fatalf("counts %v, want %d Delivered", c, n)
		}
		baseTime += baseline(b, srv.URL, body, n)
	}
	enginePS := float64(n*b.N) / engineTime.Seconds()
	basePS := float64(n*b.N) / baseTime.Seconds()
	b.ReportMetric(enginePS, "engine_posts/s")
	b.ReportMetric(basePS, "baseline_posts/s")
	b.ReportMetric(enginePS/basePS, "ratio")
}

// baseline posts body n times with benchWorkers goroutines and a tuned plain client.
func baseline(b *testing.B, url string, body []byte, n int) time.Duration {
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 4 * benchWorkers, MaxIdleConnsPerHost: benchWorkers}}
	defer client.CloseIdleConnections()
	load := testkit.Load{Client: client, URL: url, Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Workers: benchWorkers}
	return load.Send(b, n)
}

// BenchmarkPendingRetries holds 100,000 deliveries waiting for their retry (1,000 hooks
// whose receiver answers 500, 100 deliveries each) and reports the peak heap on the way
// there and the CPU the process uses over one idle second while nothing is due, next to
// what the same second costs the process before the engine exists.
func BenchmarkPendingRetries(b *testing.B) {
	const hooksN, rounds = 1000, 100
	srv := okServer(b, http.StatusInternalServerError)
	hooks := fanOutHooks(hooksN, srv.URL)
	for b.Loop() {
		// What an idle process costs before the engine exists, to compare with.
		debug.FreeOSMemory()
		b.ReportMetric(idleCPU(time.Second).Seconds()*1000, "bare_idle_cpu_ms/s")
		peak, stopSampling := sampleHeap()
		e, roundDone, stop := countingEngine(b, hooks, hooksN)
		for round := range rounds {
			// Each round waits for the last one's attempts, so its changes start new
			// deliveries instead of joining Pending ones.
			if _, err := e.Emit("contact.add", Change{ID: int64(round + 1)}); err != nil {
				b.Fatal(err)
			}
			<-roundDone
		}
		stopSampling()
		if c := e.Counts(); c[Retrying] != hooksN*rounds {
			b.Fatalf("counts %v, want %d Retrying", c, hooksN*rounds)
		}
		b.ReportMetric(float64(peak.Load())/(1<<20), "peak_heap_MB")
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "live_heap_MB")
		// Return freed memory to the OS first, so the window measures the engine at rest
		// rather than the runtime's background scavenger tidying up after the rounds.
		debug.FreeOSMemory()
		b.ReportMetric(idleCPU(time.Second).Seconds()*1000, "idle_cpu_ms/s")
		stop()
	}
}

// sampleHeap records the largest HeapInuse seen every 20 ms until stopped.
func sampleHeap() (*atomic.Uint64, func()) {
	var peak atomic.Uint64
	quit, finished := make(chan struct{}), make(chan struct{})
	tick := time.NewTicker(20 * time.Millisecond)
	go func() {
		defer close(finished)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	return &peak, func() { close(quit); <-finished }
}

// idleCPU measures the user+system CPU time the whole process spends over window.
func idleCPU(window time.Duration) time.Duration {
	before := cpuTime()
	<-time.After(window) // a fixed measurement window, not a wait for state
	return cpuTime() - before
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAccounting runs the 10,000-event story and reports how the deliveries ended.
func BenchmarkAccounting(b *testing.B) {
	for b.Loop() {
		res, _, _ := runAccounting(b)
		c := res.counts
		live := c[Pending] + c[Attempting] + c[Retrying]
		addsUp := 0.0
		if live == 0 && c[Delivered]+c[Failed]+c[Dropped] == res.deliveries && res.objects == res.events*10 {
			addsUp = 1
		}
		b.ReportMetric(float64(res.deliveries), "deliveries")
		b.ReportMetric(float64(c[Delivered]), "delivered")
		b.ReportMetric(float64(c[Failed]), "failed")
		b.ReportMetric(float64(c[Dropped]), "dropped")
		b.ReportMetric(float64(live), "live")
		b.ReportMetric(addsUp, "adds_up")
	}
}
