package delivery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
	"github.com/keaphook/keaphook/mock/testkit"
)

// t0 is where virtual clocks start in these tests.
var t0 = time.Date(2025, 3, 29, 10, 55, 0, 0, time.UTC)

// fakeHooks is a hook registry like the mock's.
type fakeHooks struct {
	mu          sync.Mutex
	hooks       map[string]keap.RestHook
	deactivated map[string]string
}

func newHooks(hs ...keap.RestHook) *fakeHooks {
	f := &fakeHooks{hooks: map[string]keap.RestHook{}, deactivated: map[string]string{}}
	for _, h := range hs {
		f.hooks[h.Key] = h
	}
	return f
}

func verified(key, eventKey, url string) keap.RestHook {
	return keap.RestHook{Key: key, EventKey: eventKey, HookURL: url, Status: keap.StatusVerified}
}

func (f *fakeHooks) Subscribers(eventKey string) []keap.RestHook {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []keap.RestHook
	for _, h := range f.hooks {
		if h.EventKey == eventKey {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b keap.RestHook) int {
		ai, _ := strconv.Atoi(a.Key)
		bi, _ := strconv.Atoi(b.Key)
		return ai - bi
	})
	return out
}

func (f *fakeHooks) Hook(key string) (keap.RestHook, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.hooks[key]
	return h, ok
}

func (f *fakeHooks) Deactivate(key, reason string, save func(...store.Op)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.hooks[key]
	h.Status = keap.StatusInactive
	f.hooks[key] = h
	f.deactivated[key] = reason
	save()
}

func (f *fakeHooks) set(h keap.RestHook) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hooks[h.Key] = h
}

func (f *fakeHooks) remove(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.hooks, key)
}

func (f *fakeHooks) reason(key string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.deactivated[key]
}

// receiver is testkit's recording endpoint, addressed at its /hook path.
type receiver struct{ *testkit.Endpoint }

// newReceiver answers statuses in turn, repeating the last (200 when none is given).
func newReceiver(t *testing.T, statuses ...int) *receiver {
	if len(statuses) == 0 {
		statuses = []int{http.StatusOK}
	}
	return newReceiverFunc(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(statuses[min(n, len(statuses))-1])
		io.WriteString(w, "answer "+strconv.Itoa(n))
	})
}

func newReceiverFunc(t *testing.T, answer testkit.Answer) *receiver {
	return &receiver{testkit.NewEndpoint(t, answer)}
}

func (rc *receiver) URL() string { return rc.Endpoint.URL + "/hook" }

func (rc *receiver) requests() []testkit.Request { return rc.Requests() }

// reportLog collects what the engine tells its observer.
type reportLog struct {
	mu   sync.Mutex
	list []Notice
}

func (l *reportLog) observe(r Notice) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, r)
}

func (l *reportLog) of(kind NoticeKind) []Notice {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []Notice
	for _, r := range l.list {
		if r.Kind == kind {
			out = append(out, r)
		}
	}
	return out
}

// testSigner stamps each request the way a Standard Webhooks signer would, without a secret.
type testSigner struct{}

func (testSigner) Sign(h http.Header, msgID string, now time.Time, body []byte) error {
	sum := sha256.Sum256(body)
	h.Set("Webhook-Id", msgID)
	h.Set("Webhook-Timestamp", strconv.FormatInt(now.Unix(), 10))
	h.Set("X-Body-Sha256", hex.EncodeToString(sum[:]))
	return nil
}

// startEngine builds an engine (by default virtual, at t0, seeded) and runs it until the
// test ends.
func startEngine(t *testing.T, opts Config) *Engine {
	t.Helper()
	if opts.Timing == "" && opts.Clock == nil {
		opts.Timing, opts.Clock = TimingVirtual, NewVirtualClock(t0)
	}
	if opts.Rand == nil {
		opts.Rand = rand.New(rand.NewPCG(1, 2))
	}
	e, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	runUntilCleanup(t, e)
	return e
}

func runUntilCleanup(t testing.TB, e *Engine) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func advance(t testing.TB, e *Engine, d time.Duration) time.Time {
	t.Helper()
	now, err := e.Advance(context.Background(), d)
	if err != nil {
		t.Fatalf("Advance(%s): %v", d, err)
	}
	return now
}

func emit(t *testing.T, e *Engine, eventKey string, changes ...Change) Emitted {
	t.Helper()
	out, err := e.Emit(eventKey, changes...)
	if err != nil {
		t.Fatalf("Emit: %v", err)
	}
	return out
}

func mustGet(t *testing.T, e *Engine, id string) Delivery {
	t.Helper()
	d, ok := e.Get(id)
	if !ok {
		t.Fatalf("Get(%s): not found", id)
	}
	return d
}

func only(t *testing.T, ids []string) string {
	t.Helper()
	if len(ids) != 1 {
		t.Fatalf("got %d delivery ids %v, want 1", len(ids), ids)
	}
	return ids[0]
}
