// Package delivery is the mock Keap's REST Hook delivery engine: it batches changes into
// deliveries, schedules attempts on Keap's timetable (or another sender's), POSTs them,
// retries, makes hooks Inactive, and keeps every attempt for inspection and redelivery.
//
// Time comes only from a Clock, randomness only from the *rand.Rand passed in, HTTP only
// from the Sender passed in: with a VirtualClock a whole 36-minute retry story runs in
// milliseconds, deterministically.
package delivery

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"time"
)

// Config configures an Engine. Only Hooks is required.
type Config struct {
	// Hooks is the mock's hook registry.
	Hooks Hooks
	// Timing is keap, fast or virtual; empty means fast.
	Timing Timing
	// Policy is the sender's rules, in Keap's real durations (TimingFast scales them);
	// the zero Policy means KeapPolicy(); one with some rules set must be complete.
	Policy Policy
	// Clock defaults to RealClock, or for TimingVirtual a VirtualClock standing at the
	// current time. TimingVirtual needs a *VirtualClock; the others refuse one.
	Clock Clock
	// Rand is the source of every random choice (jitter, chaos); nil means randomly seeded.
	Rand *rand.Rand
	// Sender makes the POSTs; nil means NewHTTPClient(Workers).
	Sender Sender
	// Signer signs deliveries; nil sends them unsigned, as Keap does.
	Signer Signer
	// APIURL fills each object key's apiUrl; nil leaves it empty.
	APIURL APIURLFunc
	// EmptyAPIURL leaves apiUrl empty even when APIURL is set, as Keap sometimes does.
	EmptyAPIURL bool
	// Observer receives Notices; nil discards them.
	Observe Observer
	// Store makes deliveries durable; nil keeps them in memory only.
	Store Store
	// Chaos is the initial chaos setting (see SetChaos).
	Chaos Chaos
	// Workers is how many attempts may be in flight at once; 0 means DefaultWorkers.
	Workers int
	// Retain bounds the finished deliveries kept for inspection (the oldest go first); the
	// zero Retention means 20,000 deliveries or 64 MB, whichever comes first.
	Retain Retention
}

// DefaultWorkers is how many attempts may be in flight at once unless Config.Workers says otherwise.
const DefaultWorkers = 64

// Engine delivers events to hooks. Create it with New, start it with Run; its methods are
// safe for concurrent use.
type Engine struct {
	hooks       Hooks
	timing      Timing
	policy      Policy
	clock       Clock
	watch       Clock // times attempts; differs from clock only for a VirtualClock
	sender      Sender
	signer      Signer
	apiURL      APIURLFunc
	emptyAPIURL bool
	observe     Observer
	store       Store
	workers     int
	retention   Retention
	runID       string // makes message ids unique across restarts and resets

	wakeCh  chan struct{}
	acks    chan ack      // attempts whose outcome is being saved, for the acknowledger
	started chan struct{} // closed when Run starts
	stopped chan struct{} // closed when Run returns
	turn    chan struct{} // holds a token while an Advance runs; a channel so waiting for it selects on ctx

	mu            sync.Mutex
	rnd           *rand.Rand
	chaos         Chaos
	records       map[uint64]*record
	open          map[batchKey]*record // Pending deliveries still taking changes
	queue         dueQueue
	finished      []finished // final deliveries, oldest first, for retention
	finishedBytes int64      // their estimated size
	counts        map[State]int
	nextSeq       uint64
	outstanding   int              // attempts taken from the queue and not yet finished
	busyHooks     map[string][]job // hooks a worker is attempting, with their attempts due meanwhile
	idleWaiters   []chan struct{}
	ran           bool
	retired       bool // Run has returned: nothing more is saved
}

type batchKey struct{ hook, eventKey string }

// New builds an engine and loads any deliveries its Store holds.
func New(opts Config) (*Engine, error) {
	e, err := newEngine(opts)
	if err != nil {
		return nil, err
	}
	if err := e.load(); err != nil {
		return nil, err
	}
	return e, nil
}

func newEngine(opts Config) (*Engine, error) {
	if opts.Hooks == nil {
		return nil, errors.New("delivery: Config.Hooks is required")
	}
	timing, clock, err := timingClock(opts.Timing, opts.Clock)
	if err != nil {
		return nil, err
	}
	policy := opts.Policy
	// Only a policy with nothing set means Keap's: one with some rules but no MaxAttempts is
	// refused by Validate rather than silently replaced.
	if reflect.ValueOf(policy).IsZero() {
		policy = KeapPolicy()
	}
	if err := policy.Validate(); err != nil {
		return nil, fmt.Errorf("delivery policy: %w", err)
	}
	if err := opts.Chaos.Validate(); err != nil {
		return nil, err
	}
	e := &Engine{
		hooks: opts.Hooks, timing: timing, policy: policy.under(timing), clock: clock, watch: clock,
		sender: opts.Sender, signer: opts.Signer, apiURL: opts.APIURL, emptyAPIURL: opts.EmptyAPIURL,
		observe: opts.Observe, store: opts.Store, workers: opts.Workers, retention: opts.Retain.withDefaults(), runID: newRunID(),
		wakeCh: make(chan struct{}, 1), acks: make(chan ack, 4*max(opts.Workers, DefaultWorkers)), started: make(chan struct{}), stopped: make(chan struct{}), turn: make(chan struct{}, 1),
		rnd: opts.Rand, chaos: opts.Chaos,
		records: map[uint64]*record{}, open: map[batchKey]*record{}, busyHooks: map[string][]job{}, counts: map[State]int{}, nextSeq: 1,
	}
	if _, virtual := clock.(*VirtualClock); virtual {
		// The receiver answers in real time while a virtual clock stands still, so attempt
		// timeouts and durations are measured on the real clock.
		e.watch = RealClock{}
	}
	e.applyDefaults()
	return e, nil
}

func (e *Engine) applyDefaults() {
	if e.workers <= 0 {
		e.workers = DefaultWorkers
	}
	if e.sender == nil {
		e.sender = NewHTTPClient(e.workers)
	}
	if e.rnd == nil {
		e.rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if e.observe == nil {
		e.observe = func(Notice) {}
	}
}

// timingClock checks that the timing and the clock agree and fills in the default clock.
func timingClock(t Timing, c Clock) (Timing, Clock, error) {
	if t == "" {
		t = TimingFast
	}
	if _, err := ParseTiming(string(t)); err != nil {
		return "", nil, err
	}
	_, virtual := c.(*VirtualClock)
	switch {
	case c == nil && t == TimingVirtual:
		c = NewVirtualClock(RealClock{}.Now())
	case c == nil:
		c = RealClock{}
	case t == TimingVirtual && !virtual:
		return "", nil, errors.New("delivery: timing virtual needs a *VirtualClock")
	case t != TimingVirtual && virtual:
		return "", nil, fmt.Errorf("delivery: timing %s runs on a real clock, not a VirtualClock", t)
	}
	return t, c, nil
}

// Timing reports the engine's timing.
func (e *Engine) Timing() Timing { return e.timing }

// Policy reports the rules in force, as scaled for the timing.
func (e *Engine) Policy() Policy { return e.policy.clone() }

// Now is the time on the engine's clock.
func (e *Engine) Now() time.Time { return e.clock.Now() }

// wake nudges the scheduler to look at the queue again.
func (e *Engine) wake() {
	select {
	case e.wakeCh <- struct{}{}:
	default:
	}
}
