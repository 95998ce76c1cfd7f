package delivery

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// flakyFleet is one loopback server standing in for many receivers that fail at random:
// 30% answer 500, 0.5% answer 410, the rest 200. It remembers which deliveries it accepted.
type flakyFleet struct {
	srv      *httptest.Server
	mu       sync.Mutex
	rnd      *rand.Rand
	requests int
	accepted map[string]int // delivery id -> 2xx answers
}

func newFlakyFleet(tb testing.TB) *flakyFleet {
	f := &flakyFleet{rnd: rand.New(rand.NewPCG(7, 8)), accepted: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests++
		status := http.StatusOK
		switch p := f.rnd.Float64(); {
		case p < 0.005:
			status = http.StatusGone
		case p < 0.305:
			status = http.StatusInternalServerError
		default:
			f.accepted[r.Header.Get("Webhook-Id")]++
		}
		f.mu.Unlock()
		w.WriteHeader(status)
	}))
	tb.Cleanup(f.srv.Close)
	return f
}

type accounting struct {
	events, deliveries, objects, attempts int
	counts                                map[State]int
}

// runAccounting sends 10,000 events to 100 hooks (10 event keys, 10 hooks each, two of them
// Unverified) whose receivers fail at random, then lets every delivery run its course.
func runAccounting(tb testing.TB) (accounting, *Engine, *flakyFleet) {
	fleet := newFlakyFleet(tb)
	hooks := newHooks()
	for i := range 100 {
		h := verified(strconv.Itoa(i), fmt.Sprintf("ev%d.edit", i%10), fleet.srv.URL+"/hook/"+strconv.Itoa(i))
		if i == 9 || i == 55 {
			h.Status = keap.StatusUnverified
		}
		hooks.set(h)
	}
	clock := NewVirtualClock(t0)
	e, err := New(Config{Hooks: hooks, Timing: TimingVirtual, Clock: clock, Signer: testSigner{},
		Rand: rand.New(rand.NewPCG(5, 6)), Retain: Retention{Count: -1, Bytes: -1}})
	if err != nil {
		tb.Fatal(err)
	}
	runUntilCleanup(tb, e)
	rnd := rand.New(rand.NewPCG(9, 10))
	res := accounting{events: 10_000}
	for i := range res.events {
		if _, err := e.Emit(fmt.Sprintf("ev%d.edit", rnd.IntN(10)), Change{ID: int64(i + 1)}); err != nil {
			tb.Fatal(err)
		}
		if i%100 == 99 {
			advance(tb, e, time.Duration(rnd.IntN(20))*time.Second)
		}
	}
	advance(tb, e, 2*time.Hour)
	res.counts = e.Counts()
	for _, d := range e.List(Filter{}) {
		res.deliveries++
		res.objects += d.Objects
		res.attempts += len(d.Attempts)
	}
	return res, e, fleet
}

func TestTenThousandEventsToFlakyHooksAllAddUp(t *testing.T) {
	t.Parallel()
	res, e, fleet := runAccounting(t)
	c := res.counts
	if c[Pending]+c[Attempting]+c[Retrying] != 0 {
		t.Fatalf("deliveries still live after everything fell due: %v", c)
	}
	if c[Delivered]+c[Failed]+c[Dropped] != res.deliveries || c[Delivered] == 0 || c[Failed] == 0 || c[Dropped] == 0 {
		t.Fatalf("counts %v do not add up to %d deliveries (or a state never happened)", c, res.deliveries)
	}
	// Every event reached each of its 10 subscribers exactly once, in some delivery.
	if res.objects != res.events*10 {
		t.Errorf("deliveries carry %d object keys, want %d", res.objects, res.events*10)
	}
	fleet.mu.Lock()
	defer fleet.mu.Unlock()
	if fleet.requests != res.attempts {
		t.Errorf("receivers got %d requests, deliveries record %d attempts", fleet.requests, res.attempts)
	}
	for _, d := range e.List(Filter{}) {
		got := fleet.accepted[d.MessageID]
		last := Attempt{}
		if n := len(d.Attempts); n > 0 {
			last = d.Attempts[n-1]
		}
		switch {
		case d.State == Delivered && (got != 1 || !last.Succeeded):
			t.Errorf("%s is Delivered but the receiver accepted it %d times", d.ID, got)
		case d.State != Delivered && got != 0:
			t.Errorf("%s is %s but the receiver accepted it", d.ID, d.State)
		case d.State == Failed && last.StatusCode != 410 && len(d.Attempts) != 4:
			t.Errorf("%s Failed after %d attempts, last %s", d.ID, len(d.Attempts), last.Status)
		}
	}
	t.Logf("%d events, %d deliveries: %d Delivered, %d Failed, %d Dropped; %d attempts",
		res.events, res.deliveries, c[Delivered], c[Failed], c[Dropped], res.attempts)
}
