package delivery

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestChaosDuplicateSendsTheSameAttemptTwice(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	log := &reportLog{}
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL())),
		Signer: testSigner{}, Chaos: Chaos{Duplicate: 1}, Observe: log.observe})
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	advance(t, e, time.Minute)

	reqs := rc.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want the attempt twice", len(reqs))
	}
	if !bytes.Equal(reqs[0].Body, reqs[1].Body) || reqs[0].Header.Get("Webhook-Id") != reqs[1].Header.Get("Webhook-Id") ||
		reqs[0].Header.Get("Webhook-Timestamp") != reqs[1].Header.Get("Webhook-Timestamp") {
		t.Error("the duplicate differs from the original in body, id or timestamp")
	}
	d := mustGet(t, e, id)
	if d.State != Delivered || len(d.Attempts) != 1 || !d.Attempts[0].Duplicated {
		t.Errorf("state %s, attempts %+v; want one Delivered attempt marked duplicated", d.State, d.Attempts)
	}
	if rs := log.of(NoticeDuplicate); len(rs) != 1 || !strings.Contains(rs[0].Message, "duplicate") {
		t.Errorf("duplicate reports %+v", rs)
	}
}

func TestChaosDropFirstThenSuccessOnRetry(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t)
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL())), Chaos: Chaos{DropFirst: 1}})
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	advance(t, e, 5*time.Minute)

	d := mustGet(t, e, id)
	if d.State != Delivered || len(d.Attempts) != 2 || len(rc.requests()) != 1 {
		t.Fatalf("state %s after %d attempts and %d requests; want Delivered, 2 attempts, 1 request", d.State, len(d.Attempts), len(rc.requests()))
	}
	if a := d.Attempts[0]; a.Error != "dropped by chaos" || a.Succeeded || a.StatusCode != 0 {
		t.Errorf("first attempt %+v, want dropped by chaos", a)
	}
	within(t, "retry after the dropped attempt", d.Attempts[1].At.Sub(d.Attempts[0].At), 30*time.Second, 60*time.Second)
}

func TestChaosDelayPostponesEveryAttempt(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, 500, 200)
	p := KeapPolicy()
	p.FirstDelay = Fixed(30 * time.Second)
	p.Retry = Schedule{Fixed(time.Minute)}
	e := startEngine(t, Config{Hooks: newHooks(verified("1", "contact.add", rc.URL())), Policy: p,
		Chaos: Chaos{Delay: Fixed(10 * time.Second)}})
	id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
	advance(t, e, time.Hour)
	a := mustGet(t, e, id).Attempts
	if len(a) != 2 || a[0].At != t0.Add(40*time.Second) || a[1].At != t0.Add(110*time.Second) {
		t.Errorf("attempts %+v, want at +40s and +1m50s", a)
	}
}

// arrivalOrder emits one change to each of n hooks, a second apart, and returns the order
// in which the deliveries reached the receiver (by hook key).
func arrivalOrder(t *testing.T, n int, chaos Chaos) []int {
	rc := newReceiver(t)
	hooks := newHooks()
	for i := range n {
		hooks.set(verified(strconv.Itoa(i), fmt.Sprintf("ev%d.add", i), rc.URL()))
	}
	p := KeapPolicy()
	p.FirstDelay = Fixed(30 * time.Second)
	e := startEngine(t, Config{Hooks: hooks, Policy: p, Chaos: chaos, Workers: 1, Signer: testSigner{}})
	byID := map[string]int{}
	for i := range n {
		id := only(t, emit(t, e, fmt.Sprintf("ev%d.add", i), Change{ID: 1}).Queued)
		byID[mustGet(t, e, id).MessageID] = i
		advance(t, e, time.Second)
	}
	advance(t, e, time.Hour)
	var order []int
	for _, r := range rc.requests() {
		order = append(order, byID[r.Header.Get("Webhook-Id")])
	}
	if len(order) != n {
		t.Fatalf("%d deliveries arrived, want %d", len(order), n)
	}
	return order
}

func TestChaosReorderLetsLaterBatchesOvertake(t *testing.T) {
	t.Parallel()
	if got := arrivalOrder(t, 20, Chaos{}); !slices.IsSorted(got) {
		t.Fatalf("without chaos the deliveries arrived out of order: %v", got)
	}
	if got := arrivalOrder(t, 20, Chaos{Reorder: 1}); slices.IsSorted(got) {
		t.Errorf("with reorder at 1 the deliveries still arrived in order: %v", got)
	}
}

func TestChaosValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		chaos Chaos
		want  string
	}{
		{Chaos{Duplicate: 1.5}, "chaos duplicate rate 1.5: want a number from 0 to 1"},
		{Chaos{Reorder: -0.1}, "chaos reorder rate -0.1"},
		{Chaos{DropFirst: math.NaN()}, "chaos drop-first rate NaN"},
		{Chaos{Delay: Range{Min: 2 * time.Second, Max: time.Second}}, "chaos delay: delay range 2s-1s runs backwards"},
	} {
		err := c.chaos.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.chaos, err, c.want)
		}
	}
	e := startEngine(t, Config{Hooks: newHooks()})
	if err := e.SetChaos(Chaos{Duplicate: 2}); err == nil {
		t.Error("SetChaos accepted a rate of 2")
	}
	if err := e.SetChaos(Chaos{Duplicate: 0.5, Delay: Fixed(time.Second)}); err != nil || e.Chaos().Duplicate != 0.5 {
		t.Errorf("SetChaos: %v; Chaos() = %+v", err, e.Chaos())
	}
}
