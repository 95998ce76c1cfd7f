package ui

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMinGap is the least time between two events: a burst of thousands of attempts
// becomes two refreshes a second instead of thousands.
const DefaultMinGap = 500 * time.Millisecond

// Hub tells open event streams that something changed. Notify is cheap enough to call on
// every delivery attempt: with no stream open it is one atomic load, and it never blocks.
// Events go to every stream at once, at most one per MinGap, and each has a sequence number:
// the pages that refresh on one event can all be served the same rendering (see Live).
type Hub struct {
	// MinGap is the least time between two events; 0 means DefaultMinGap.
	MinGap time.Duration

	mu       sync.Mutex
	subs     map[chan struct{}]struct{}
	pending  atomic.Bool // an event is scheduled
	lastSent time.Time
	closed   chan struct{}
	once     sync.Once
	count    atomic.Int32
	seq      atomic.Uint64
}

// Notify schedules an event for every open stream.
func (h *Hub) Notify() {
	if h.count.Load() == 0 || h.pending.Load() {
		return // no stream, or the event already scheduled will carry this news too
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pending.Swap(true) {
		return
	}
	time.AfterFunc(max(0, h.gap()-time.Since(h.lastSent)), h.broadcast)
}

func (h *Hub) gap() time.Duration {
	if h.MinGap > 0 {
		return h.MinGap
	}
	return DefaultMinGap
}

func (h *Hub) broadcast() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.pending.Store(false)
	h.lastSent = time.Now()
	h.seq.Add(1)
	for c := range h.subs {
		select {
		case c <- struct{}{}:
		default: // that stream has an event to send already
		}
	}
}

// Seq is the number of the last event sent.
func (h *Hub) Seq() uint64 { return h.seq.Load() }

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

// ServeHTTP is the Server-Sent Events stream: an event named "change" after something
// changed. The page then fetches its live part again; nothing polls.
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
	done := h.done()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-done:
			return
		case <-news:
		}
		fmt.Fprintf(w, "event: change\ndata: %d\n\n", h.Seq())
		if rc.Flush() != nil {
			return
		}
	}
}
