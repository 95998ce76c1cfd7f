package resources

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// event is one Emit call a write makes.
type event struct {
	key string
	ids []int64
}

func emitted(key string, ids ...int64) []event {
	if len(ids) == 0 {
		return nil
	}
	return []event{{key: key, ids: ids}}
}

// reply is what an operation answers: a status, a body (nil for none) and the events the
// write caused.
type reply struct {
	status int
	body   any
	events []event
}

// exec runs op on the state under the lock, encodes the body before letting go of the lock
// (bodies share maps with the state), then emits the events and writes the answer. Events
// go out before the answer, so a client that sees the 2xx and then lists deliveries finds
// them; they go out after the lock, so a slow Emit never stalls other requests.
func (s *Store) exec(w http.ResponseWriter, r *http.Request, op func(d *db) (reply, error)) {
	buf := bodyBuffers.Get().(*[]byte)
	defer putBodyBuffer(buf)
	s.mu.Lock()
	rep, err := op(s.db)
	var body []byte
	later, encodeLater := rep.body.(detached)
	if err == nil && rep.body != nil && !encodeLater {
		body, err = appendValue((*buf)[:0], rep.body)
	}
	s.mu.Unlock()
	if err == nil && encodeLater {
		body, err = appendValue((*buf)[:0], later.body)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	*buf = body
	for _, e := range rep.events {
		if s.opts.Emit != nil {
			s.opts.Emit(e.key, e.ids...)
		}
	}
	if body == nil {
		w.WriteHeader(rep.status)
		return
	}
	httpapi.WriteJSON(w, rep.status, json.RawMessage(body))
}

// bodyBuffers holds the buffers answers are encoded into: the answer is copied out by the
// write, so its buffer serves the next one. A buffer a few big lists grew is let go.
var bodyBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxPooledBody = 64 << 10

func putBodyBuffer(buf *[]byte) {
	if cap(*buf) <= maxPooledBody {
		bodyBuffers.Put(buf)
	}
}

// detached marks a reply body that shares nothing a later write changes in place (its
// top level is its own, and the store replaces nested values rather than changing them), so
// exec encodes it after letting go of the lock: under load, waiting for the lock was most of
// what a contact create cost.
type detached struct{ body any }

// read answers a GET: 200 with the body op returns.
func (s *Store) read(w http.ResponseWriter, r *http.Request, op func(d *db) (any, error)) {
	s.exec(w, r, func(d *db) (reply, error) {
		body, err := op(d)
		return reply{status: http.StatusOK, body: body}, err
	})
}

// decode reads a JSON request body strictly (unknown or wrongly-cased fields, wrong types,
// trailing data and oversized bodies are errors) into dst.
func (s *Store) decode(w http.ResponseWriter, r *http.Request, dst any) error {
	return httpapi.DecodeJSON(w, r, dst, s.opts.MaxBodyBytes, true)
}

// fail writes err as Keap's error body: v1's {"message"}, or v2's Error on a v2 route.
func (s *Store) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isV2(r) {
		s.writeV2Error(w, r, err)
		return
	}
	httpapi.WriteError(w, r, s.log, err)
}
