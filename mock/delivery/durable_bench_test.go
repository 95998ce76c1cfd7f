package delivery

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// runEngine starts an engine built from opts and stops it (and closes its store) at cleanup.
func runEngine(b *testing.B, opts Config) (*Engine, func()) {
	e, err := New(opts)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { e.Run(ctx); close(stopped) }()
	return e, func() { cancel(); <-stopped }
}

func benchStore(b *testing.B) *store.Store {
	st, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// finalCounter calls done once every `want` attempts left a delivery in a final state.
func finalCounter(want int64) (Observer, <-chan struct{}, func(int64)) {
	var n, target atomic.Int64
	target.Store(want)
	ch := make(chan struct{}, 1)
	obs := func(r Notice) {
		if r.Kind == NoticeAttempt && r.State.Final() && n.Add(1) == target.Load() {
			ch <- struct{}{}
		}
	}
	return obs, ch, func(more int64) { target.Add(more) }
}

// medianOf returns the median of xs (the mean of the middle two for an even count).
func medianOf(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// pairs measures a figure and its baseline back to back, reps times, and returns the median
// of each and the median of their ratios: on a shared, noisy machine a pair measured together
// sees the same load, and the median ignores the pair a burst of load fell on.
func pairs(reps int, figure, base func() float64) (fig, baseline, ratio float64) {
	var fs, bs, rs []float64
	for range reps {
		b, f := base(), figure()
		fs, bs, rs = append(fs, f), append(bs, b), append(rs, f/b)
	}
	return medianOf(fs), medianOf(bs), medianOf(rs)
}

// BenchmarkDurableThroughput delivers one emit to 10,000 hooks with a Store (as --data does)
// and without, three times each, back to back, and reports the durable rate as a ratio of the
// in-memory one.
func BenchmarkDurableThroughput(b *testing.B) {
	const n = 10_000
	srv := okServer(b, http.StatusOK)
	hooks := fanOutHooks(n, srv.URL)
	deliver := func(st Store) float64 {
		obs, done, _ := finalCounter(n)
		e, stop := runEngine(b, Config{Hooks: hooks, Timing: TimingKeap, Policy: immediatePolicy(), Workers: benchWorkers,
			Rand: rand.New(rand.NewPCG(1, 1)), Retain: Retention{Count: -1, Bytes: -1}, Observe: obs, Store: st})
		defer stop()
		start := time.Now()
		if _, err := e.Emit("contact.add", Change{ID: 1}); err != nil {
			b.Fatal(err)
		}
		<-done
		return n / time.Since(start).Seconds()
	}
	durable := func() float64 {
		st := benchStore(b)
		defer st.Close()
		return deliver(st)
	}
	for b.Loop() {
		dur, mem, ratio := pairs(3, durable, func() float64 { return deliver(nil) })
		b.ReportMetric(dur, "durable_deliveries/s")
		b.ReportMetric(mem, "memory_deliveries/s")
		b.ReportMetric(ratio, "ratio")
	}
}

// listedHooks answers Subscribers with one list made in advance, as the mock's hook store
// answers with a list it sorts by a cheap comparison: the fake's sort, which parses every key
// for every comparison, would otherwise be most of what grows faster than the emit.
type listedHooks struct {
	*fakeHooks
	subs []keap.RestHook
}

func newListedHooks(n int) listedHooks {
	h := fanOutHooks(n, "http://127.0.0.1:1/hook")
	return listedHooks{h, h.Subscribers("contact.add")}
}

func (h listedHooks) Subscribers(string) []keap.RestHook { return slices.Clone(h.subs) }

// hooksInTurns answers each Subscribers call with the next `each` hooks of one list: 50 emits
// to 1,000 of them reach the same 50,000 hooks one emit to all of them does.
type hooksInTurns struct {
	listedHooks
	each int
	next *int
}

func (h hooksInTurns) Subscribers(string) []keap.RestHook {
	from := *h.next * h.each
	*h.next++
	return slices.Clone(h.subs[from : from+h.each])
}

// BenchmarkEmitFanOut makes, with a Store, one Emit to 50,000 hooks on a fresh engine, and 50
// Emits to 1,000 of the same hooks in turn on another fresh engine, five times each, back to
// back, and reports the cost per record of the large emit as a ratio of the small ones'. Both
// make the same 50,000 deliveries in one engine and one store and keep them: they differ only
// in how many hooks one emit reaches. The cost is the process's CPU time from each call until
// its records are on disk (the emit, encoding, bbolt, the garbage collector as it paces
// itself): on a machine shared with other work, wall time mostly measures the others. Wall
// time is reported beside it, and so is the ratio against 50 emits to 1,000 hooks each on an
// engine of its own, thrown away after its emit: those never pay the collector for marking
// the deliveries they keep, which the large emit and the emits in turn do.
func BenchmarkEmitFanOut(b *testing.B) {
	const many, few = 50_000, 1000
	large, small := newListedHooks(many), newListedHooks(few)
	var wall = map[string][]float64{}
	// emits makes `times` emits of `per` records each on one fresh engine and store.
	emits := func(name string, hooks Hooks, per, times int) float64 {
		var spent, cpu time.Duration
		st := benchStore(b)
		defer st.Close()
		e, err := New(Config{Hooks: hooks, Timing: TimingVirtual, Store: st, Rand: rand.New(rand.NewPCG(1, 1))})
		if err != nil {
			b.Fatal(err)
		}
		for range times {
			start, startCPU := time.Now(), cpuTime()
			if out, err := e.Emit("contact.add", Change{ID: 1}); err != nil || len(out.Queued) != per {
				b.Fatalf("Emit: %d queued, %v", len(out.Queued), err)
			}
			spent, cpu = spent+time.Since(start), cpu+cpuTime()-startCPU
		}
		wall[name] = append(wall[name], float64(spent.Microseconds())/float64(per*times))
		return float64(cpu.Microseconds()) / float64(per*times)
	}
	// Each measurement starts from a collected heap: none pays for the garbage another left.
	inTurns := func() float64 {
		next := 0
		runtime.GC()
		return emits("turns", hooksInTurns{large, few, &next}, few, many/few)
	}
	once := func() float64 {
		runtime.GC()
		return emits("large", large, many, 1)
	}
	fresh := func() float64 {
		var sum float64
		runtime.GC()
		for range many / few {
			sum += emits("fresh", small, few, 1)
		}
		return sum / (many / few)
	}
	for b.Loop() {
		var perLarge, perSmall, perFresh, ratios, freshRatios []float64
		for range 5 {
			s, f, l := inTurns(), fresh(), once()
			perLarge, perSmall, perFresh = append(perLarge, l), append(perSmall, s), append(perFresh, f)
			ratios, freshRatios = append(ratios, l/s), append(freshRatios, l/f)
		}
		b.ReportMetric(medianOf(perSmall), "cpu_us/record@1000")
		b.ReportMetric(medianOf(perLarge), "cpu_us/record@50000")
		b.ReportMetric(medianOf(ratios), "ratio")
		b.ReportMetric(medianOf(perFresh), "cpu_us/record@1000_fresh")
		b.ReportMetric(medianOf(freshRatios), "ratio_fresh")
		b.ReportMetric(medianOf(wall["turns"]), "wall_us/record@1000")
		b.ReportMetric(medianOf(wall["large"]), "wall_us/record@50000")
	}
}

// storyReceiver answers 200, except that every tenth hook fails each delivery's first attempt.
func storyReceiver(b *testing.B) *httptest.Server {
	var mu sync.Mutex
	seen := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if !strings.HasSuffix(r.URL.Path, "0") {
			return
		}
		mu.Lock()
		seen[r.URL.Path]++
		odd := seen[r.URL.Path]%2 == 1
		mu.Unlock()
		if odd {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkVirtualStory plays 100 rounds of one event to 1,000 hooks (every tenth hook fails
// once, then succeeds on the retry) under virtual timing, each round one Advance of 40
// minutes, and the same story under fast timing, each round waiting for its deliveries to
// end; it reports the virtual story's time as a ratio of the fast one's.
func BenchmarkVirtualStory(b *testing.B) {
	const hooksN, rounds = 1000, 100
	srv := storyReceiver(b)
	hooks := newHooks()
	for i := range hooksN {
		hooks.set(verified(strconv.Itoa(i+1), "contact.add", srv.URL+"/h/"+strconv.Itoa(i)))
	}
	play := func(timing Timing) time.Duration {
		obs, done, expect := finalCounter(hooksN)
		e, stop := runEngine(b, Config{Hooks: hooks, Timing: timing, Workers: benchWorkers, Observe: obs,
			Rand: rand.New(rand.NewPCG(3, 4)), Retain: Retention{Count: -1, Bytes: -1}})
		defer stop()
		start := time.Now()
		for i := range rounds {
			if i > 0 {
				expect(hooksN)
			}
			if _, err := e.Emit("contact.add", Change{ID: int64(i + 1)}); err != nil {
				b.Fatal(err)
			}
			if timing == TimingVirtual {
				if _, err := e.Advance(context.Background(), 40*time.Minute); err != nil {
					b.Fatal(err)
				}
			}
			<-done
		}
		spent := time.Since(start)
		if c := e.Counts(); c[Delivered] != hooksN*rounds {
			b.Fatalf("%s story: counts %v, want %d Delivered", timing, c, hooksN*rounds)
		}
		return spent
	}
	var fast, virtual time.Duration
	for b.Loop() {
		fast += play(TimingFast)
		virtual += play(TimingVirtual)
	}
	b.ReportMetric(fast.Seconds()/float64(b.N), "fast_s")
	b.ReportMetric(virtual.Seconds()/float64(b.N), "virtual_s")
	b.ReportMetric(virtual.Seconds()/fast.Seconds(), "ratio")
}
