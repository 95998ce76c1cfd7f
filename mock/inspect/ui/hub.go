package ui

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMinGap is the least time between two events on one stream: a burst of thousands of
// attempts becomes a few refreshes a second instead of thousands.
const DefaultMinGap = 250 * time.Millisecond

// Hub tells open event streams that something changed. Notify is cheap enough to call on
// every delivery attempt: with no stream open it is one atomic load, and it never blocks.
type Hub struct {
	// MinGap is the least time between two events on one stream; 0 means DefaultMinGap.
	MinGap time.Duration

	mu     sync.Mutex
	subs   map[chan struct{}]struct{}
	count  atomic.Int32
	closed chan struct{}
	once   sync.Once
}

// Notify marks every open stream as having news.
func (h *Hub) Notify() {
	if h.count.Load() == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.subs {
		select {
		case c <- struct{}{}:
		default: // news already pending on that stream
		}
	}
}

// Streams reports how many event streams are open.
func (h *Hub) Streams() int { return int(h.count.Load()) }

func (h *Hub) subscribe() (chan struct{}, func()) {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[chan struct{}]struct{}{}
	}
	h.subs[c] = struct{}{}
	h.count.Add(1)
	h.mu.Unlock()
	return c, func() {
		h.mu.Lock()
		delete(h.subs, c)
		h.count.Add(-1)
		h.mu.Unlock()
	}
}

func (h *Hub) done() chan struct{} {
	h.once.Do(func() { h.closed = make(chan struct{}) })
	return h.closed
}

// Close ends every open stream, so a server shutting down is not held by them.
func (h *Hub) Close() {
	done := h.done()
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-done:
	default:
		close(done)
	}
}

// ServeHTTP is the Server-Sent Events stream: an event named "change" whenever Notify was
// called, at most one per MinGap. The page then fetches its live part again; nothing polls.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	news, cancel := h.subscribe()
	defer cancel()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n: connected\n\n")
	if rc.Flush() != nil {
		return
	}
	gap := h.MinGap
	if gap <= 0 {
		gap = DefaultMinGap
	}
	h.stream(w, r, rc, news, gap)
}

func (h *Hub) stream(w http.ResponseWriter, r *http.Request, rc *http.ResponseController, news chan struct{}, gap time.Duration) {
	done := h.done()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-done:
			return
		case <-news:
		}
		fmt.Fprint(w, "event: change\ndata: {}\n\n")
		if rc.Flush() != nil {
			return
		}
		// Hold the next event back for gap: news arriving meanwhile waits in the channel.
		t := time.NewTimer(gap)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-done:
			t.Stop()
			return
		case <-t.C:
		}
	}
}
