package delivery

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// handlerSender delivers straight into an http.Handler: inside a synctest bubble a real
// socket would not let the fake clock move.
type handlerSender struct{ h http.Handler }

func (s handlerSender) Do(req *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	return rec.Result(), nil
}

// runBubbled starts an engine inside the current synctest bubble and returns a function that
// waits for the first report of kind, then stops the engine.
func runBubbled(t *testing.T, opts Config, kind NoticeKind) (*Engine, func() Notice) {
	got := make(chan Notice, 100)
	opts.Observe = func(r Notice) {
		if r.Kind == kind {
			got <- r
		}
	}
	opts.Rand = rand.New(rand.NewPCG(3, 4))
	e, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { e.Run(ctx); close(done) }()
	return e, func() Notice {
		r := <-got
		cancel()
		<-done
		return r
	}
}

func TestRealClockStoryKeepsTheShapeInEachTiming(t *testing.T) {
	for _, c := range []struct {
		timing Timing
		scale  time.Duration
	}{{TimingKeap, 1}, {TimingFast, FastFactor}} {
		t.Run(string(c.timing), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var posts atomic.Int32
				h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
					posts.Add(1)
					w.WriteHeader(http.StatusInternalServerError)
				})
				hooks := newHooks(verified("1", "contact.add", "http://receiver.test/hook"))
				e, wait := runBubbled(t, Config{Hooks: hooks, Timing: c.timing, Sender: handlerSender{h}}, NoticeDeactivated)
				start := time.Now()
				id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
				wait()
				elapsed := time.Since(start)

				a := mustGet(t, e, id).Attempts
				if len(a) != 4 || posts.Load() != 4 {
					t.Fatalf("%d attempts, %d posts; want 4", len(a), posts.Load())
				}
				s := c.scale
				within(t, "first attempt", a[0].At.Sub(start), 30*time.Second/s, 60*time.Second/s)
				within(t, "2nd wait", a[1].At.Sub(a[0].At), 30*time.Second/s, 60*time.Second/s)
				within(t, "3rd wait", a[2].At.Sub(a[1].At), 5*time.Minute/s, 5*time.Minute/s)
				within(t, "4th wait", a[3].At.Sub(a[2].At), 30*time.Minute/s, 30*time.Minute/s)
				if c.timing == TimingFast && elapsed >= time.Second {
					t.Errorf("a fast 4-attempt story took %s", elapsed)
				}
				if h, _ := hooks.Hook("1"); h.Status != keap.StatusInactive {
					t.Errorf("hook %s after the story", h.Status)
				}
			})
		})
	}
}

func TestFastTimingStillWaitsTwoSecondsForAnAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		p := KeapPolicy()
		p.MaxAttempts = 1
		hooks := newHooks(verified("1", "contact.add", "http://receiver.test/hook"))
		e, wait := runBubbled(t, Config{Hooks: hooks, Timing: TimingFast, Policy: p, Sender: handlerSender{h}}, NoticeAttempt)
		id := only(t, emit(t, e, "contact.add", Change{ID: 1}).Queued)
		r := wait()
		if r.Attempt.Error != "no answer within 2s" || r.Attempt.Duration != 2*time.Second {
			t.Errorf("attempt %+v, want no answer within 2s", r.Attempt)
		}
		if d := mustGet(t, e, id); d.State != Failed {
			t.Errorf("state %s, want Failed", d.State)
		}
	})
}
