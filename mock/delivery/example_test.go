package delivery_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// registry is the smallest Hooks a caller can write: a map behind a mutex.
type registry struct {
	mu    sync.Mutex
	hooks map[string]keap.RestHook
}

func (r *registry) Subscribers(eventKey string) []keap.RestHook {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []keap.RestHook
	for _, h := range r.hooks {
		if h.EventKey == eventKey {
			out = append(out, h)
		}
	}
	return out
}

func (r *registry) Hook(key string) (keap.RestHook, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.hooks[key]
	return h, ok
}

// Deactivate has nothing to save: this registry lives in memory only.
func (r *registry) Deactivate(key, reason string, save func(...store.Op)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.hooks[key]
	h.Status = keap.StatusInactive
	r.hooks[key] = h
	save()
}

// A receiver that always fails, on virtual time: advancing 40 minutes plays Keap's whole
// retry story, and the hook is Inactive the moment Advance returns.
func Example() {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer receiver.Close()
	hooks := &registry{hooks: map[string]keap.RestHook{
		"12": {Key: "12", EventKey: "contact.edit", HookURL: receiver.URL, Status: keap.StatusVerified},
	}}
	engine, err := delivery.New(delivery.Config{
		Hooks:  hooks,
		Timing: delivery.TimingVirtual,
		Clock:  delivery.NewVirtualClock(time.Date(2025, 3, 29, 10, 55, 0, 0, time.UTC)),
		Rand:   rand.New(rand.NewPCG(1, 2)),
		Observe: func(r delivery.Notice) {
			if r.Kind == delivery.NoticeDeactivated {
				fmt.Println(r.Message)
			}
		},
	})
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { engine.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	out, _ := engine.Emit("contact.edit", delivery.Change{ID: 17738})
	if _, err := engine.Advance(ctx, 40*time.Minute); err != nil {
		panic(err)
	}
	d, _ := engine.Get(out.Queued[0])
	h, _ := hooks.Hook("12")
	fmt.Printf("%s: %s after %d attempts; hook 12 is %s\n", d.ID, d.State, len(d.Attempts), h.Status)
	// Output:
	// hook 12 is now Inactive: the 4th attempt failed (500 Internal Server Error); Keap stops delivering until POST /v1/hooks/12/verify succeeds
	// d_000001: Failed after 4 attempts; hook 12 is Inactive
}
