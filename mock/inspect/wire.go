package inspect

import (
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
)

// DefaultWireEntries is how many attempts' headers a Wire keeps; older attempts show their
// outcome without the headers.
const DefaultWireEntries = 5000

// Wire keeps the headers of each attempt as they went over the wire: the request as sent,
// signature headers included, and the response's headers. The delivery engine keeps only
// outcomes, so the mock hands the engine a Signer and a Sender wrapped by a Wire.
//
// The two wrappers meet through the request's header map: the engine signs req.Header and
// then sends req, so the map the Signer saw (with the delivery's message id and the attempt's
// time) is the one the Sender sees. Nothing is added to the request.
type Wire struct {
	max int

	mu      sync.Mutex
	entries map[wireKey]*Exchange
	order   []wireKey
	pending map[uintptr]wireKey
}

type wireKey struct {
	id string // the delivery's message id (a redelivery shares its original's)
	at int64  // the attempt's time on the engine's clock, in Unix nanoseconds
}

// Exchange is one attempt's headers. StatusCode is 0 when no answer came.
type Exchange struct {
	Request    http.Header
	Response   http.Header
	StatusCode int
}

// NewWire keeps the headers of the last max attempts (0 means DefaultWireEntries).
func NewWire(max int) *Wire {
	if max <= 0 {
		max = DefaultWireEntries
	}
	return &Wire{max: max, entries: map[wireKey]*Exchange{}, pending: map[uintptr]wireKey{}}
}

// Lookup returns the headers of the attempt made at at of the delivery with message id id.
func (w *Wire) Lookup(id string, at time.Time) (Exchange, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	e, ok := w.entries[wireKey{id, at.UnixNano()}]
	if !ok {
		return Exchange{}, false
	}
	return *e, true
}

// Signer wraps inner (nil for unsigned deliveries) so that every request is noted once
// signed. The engine calls it for every attempt, so it sees exactly what is sent.
func (w *Wire) Signer(inner delivery.Signer) delivery.Signer { return wireSigner{w, inner} }

// Sender wraps inner so that each noted request's answer is kept with it.
func (w *Wire) Sender(inner delivery.Sender) delivery.Sender { return wireSender{w, inner} }

type wireSigner struct {
	w     *Wire
	inner delivery.Signer
}

func (s wireSigner) Sign(h http.Header, msgID string, now time.Time, body []byte) error {
	if s.inner != nil {
		if err := s.inner.Sign(h, msgID, now, body); err != nil {
			return err
		}
	}
	s.w.noteRequest(h, wireKey{msgID, now.UnixNano()})
	return nil
}

func (w *Wire) noteRequest(h http.Header, k wireKey) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, dup := w.entries[k]; dup {
		return // chaos's duplicate copy of an attempt already kept
	}
	if len(w.order) >= w.max {
		delete(w.entries, w.order[0])
		w.order = w.order[1:]
	}
	if len(w.pending) >= w.max {
		clear(w.pending) // requests that were never sent (an unreachable URL)
	}
	w.entries[k] = &Exchange{Request: h.Clone()}
	w.order = append(w.order, k)
	w.pending[reflect.ValueOf(h).Pointer()] = k
}

type wireSender struct {
	w     *Wire
	inner delivery.Sender
}

func (s wireSender) Do(req *http.Request) (*http.Response, error) {
	ptr := reflect.ValueOf(req.Header).Pointer()
	resp, err := s.inner.Do(req)
	s.w.noteResponse(ptr, resp)
	return resp, err
}

func (w *Wire) noteResponse(ptr uintptr, resp *http.Response) {
	w.mu.Lock()
	defer w.mu.Unlock()
	k, ok := w.pending[ptr]
	if !ok {
		return
	}
	delete(w.pending, ptr)
	if e := w.entries[k]; e != nil && resp != nil {
		e.Response, e.StatusCode = resp.Header.Clone(), resp.StatusCode
	}
}
