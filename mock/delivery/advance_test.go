package delivery

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Attempts due in one round go out together: each receiver answers only once all eight
// requests are in flight, which attempts made one at a time would never reach.
func TestAdvanceSendsDueAttemptsConcurrently(t *testing.T) {
	t.Parallel()
	const n = 8
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	rc := newReceiverFunc(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if arrived++; arrived == n {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
		case <-r.Context().Done():
		}
	})
	hooks := newHooks()
	for i := range n {
		hooks.set(verified(strconv.Itoa(i+1), "contact.add", rc.URL()))
	}
	p := KeapPolicy()
	p.AttemptTimeout = 10 * time.Second
	e := startEngine(t, Config{Hooks: hooks, Policy: p})
	emit(t, e, "contact.add", Change{ID: 1})
	advance(t, e, time.Minute)
	if c := e.Counts(); c[Delivered] != n {
		t.Fatalf("counts after the round %v, want all %d Delivered at once", c, n)
	}
}

// Several deliveries due to one hook in one round are made one after another, in the order
// they fell due, each stamped with its due time.
func TestAdvanceKeepsOneHooksAttemptsInDueOrder(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	inFlight, most := 0, 0
	var order []string
	rc := newReceiverFunc(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		order = append(order, r.Header.Get("Webhook-Id"))
		mu.Unlock()
		defer func() { mu.Lock(); inFlight--; mu.Unlock() }()
	})
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL())), Signer: testSigner{}})
	// 5,000 changes make five deliveries, each with its own first delay in 30-60 s.
	changes := make([]Change, 5000)
	for i := range changes {
		changes[i] = Change{ID: int64(i + 1)}
	}
	out := emit(t, e, "contact.add", changes...)
	due := map[string]time.Time{}
	for _, id := range out.Queued {
		d := mustGet(t, e, id)
		due[d.MessageID] = d.NextAttemptAt
	}
	advance(t, e, time.Minute)
	mu.Lock()
	defer mu.Unlock()
	if len(order) != 5 || most != 1 {
		t.Fatalf("%d requests, at most %d at once; want 5, one at a time", len(order), most)
	}
	if !slices.IsSortedFunc(order, func(a, b string) int { return due[a].Compare(due[b]) }) {
		t.Errorf("attempts went out in the order %v, not by due time %v", order, due)
	}
	for _, id := range out.Queued {
		d := mustGet(t, e, id)
		if !d.Attempts[0].At.Equal(due[d.MessageID]) {
			t.Errorf("%s attempted at %s, want its due time %s", id, d.Attempts[0].At, due[d.MessageID])
		}
	}
}

// The same seed gives the same deliveries, attempts and hook states, however the receivers'
// answers interleave.
func TestAdvanceOutcomeIsDeterministicForASeed(t *testing.T) {
	t.Parallel()
	run := func() ([]Delivery, map[string]string) {
		answer := func(n int, w http.ResponseWriter, r *http.Request) {
			hook, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hook/"))
			status := []int{200, 500, 410, 503, 200, 500}[hook%6]
			if n%3 == 0 && status == 500 {
				status = 200 // the receiver recovers now and then
			}
			w.WriteHeader(status)
		}
		hooks := newHooks()
		for i := range 24 {
			rc := newReceiverFunc(t, answer)
			hooks.set(verified(strconv.Itoa(i+1), fmt.Sprintf("ev%d.add", i%3), rc.URL()+"/"+strconv.Itoa(i)))
		}
		e := startEngine(t, Config{Hooks: hooks, Rand: rand.New(rand.NewPCG(7, 8)), Chaos: Chaos{DropFirst: 0.3, Reorder: 0.2}})
		for i := range 30 {
			emit(t, e, fmt.Sprintf("ev%d.add", i%3), Change{ID: int64(i + 1)})
			advance(t, e, time.Duration(i%4)*10*time.Second)
		}
		advance(t, e, 2*time.Hour)
		status := map[string]string{}
		for i := range 24 {
			h, _ := hooks.Hook(strconv.Itoa(i + 1))
			status[h.Key] = string(h.Status)
		}
		if c := e.Counts(); c[Delivered] == 0 || c[Failed] == 0 || c[Dropped] == 0 {
			t.Fatalf("counts %v: the story should deliver, fail and drop", c)
		}
		return e.List(Filter{}), status
	}
	first, firstHooks := run()
	second, secondHooks := run()
	ignore := cmp.Options{
		cmpopts.IgnoreFields(Delivery{}, "MessageID", "URL"),
		cmpopts.IgnoreFields(Attempt{}, "Duration", "URL"),
	}
	if diff := cmp.Diff(first, second, ignore); diff != "" {
		t.Errorf("two runs with one seed differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(firstHooks, secondHooks); diff != "" {
		t.Errorf("hook states differ (-first +second):\n%s", diff)
	}
}
