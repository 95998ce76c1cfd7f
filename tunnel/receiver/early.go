package receiver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"
)

// earlyFrom is the body size from which a forward starts while the body is still arriving.
// A large batch then crosses to the app while the relay reads, checks and records it,
// instead of after: that is what keeps a 100 KB delivery at the speed of a plain reverse
// proxy. Smaller bodies gain nothing from it and are forwarded once read.
const earlyFrom = 16 << 10

// errRefused ends an early forward whose delivery the relay refused: the app sees an
// incomplete request, never a whole delivery.
var errRefused = errors.New("receiver: the delivery was refused, so its forward was cut off")

// earlyForwarding reports whether r's forward can start before its body is read: there is an
// app, the body goes to it unchanged (no --expand), and its length is known and large.
func (rv *Receiver) earlyForwarding(r *http.Request) bool {
	return rv.cfg.ForwardTo != "" && rv.cfg.Expand == nil &&
		r.ContentLength >= earlyFrom && r.ContentLength <= rv.cfg.MaxBody
}

// early is a forward under way while its body is still being read.
type early struct {
	start  time.Time // when the forward began, for its duration
	body   *heldBody
	cancel context.CancelFunc
	done   chan roundTripResult
	result *roundTripResult
}

type roundTripResult struct {
	a   answer
	err error
}

// startEarly begins forwarding r with a body of length bytes that readBody fills in.
func (rv *Receiver) startEarly(r *http.Request, length int64) *early {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), rv.cfg.ForwardTimeout)
	e := &early{start: rv.cfg.Now(), body: newHeldBody(length), cancel: cancel, done: make(chan roundTripResult, 1)}
	go func() {
		a, err := rv.roundTrip(ctx, r.Method, endToEnd(r.Header), e.body, length)
		e.done <- roundTripResult{a, err}
	}()
	return e
}

// finish hands the app the last byte of the body and waits for its answer.
func (e *early) finish() (answer, error) {
	e.body.release()
	r := <-e.done
	e.result = &r
	e.cancel()
	return r.a, r.err
}

// stop cuts off a forward that was not finished and waits for it to end, so that no
// goroutine outlives the request. After finish it does nothing.
func (e *early) stop() {
	if e == nil || e.result != nil {
		return
	}
	e.body.abort(errRefused)
	e.cancel()
	<-e.done
}

// heldBody is an early forward's request body. It passes on the bytes of the incoming body
// as they arrive, except the last one, which it keeps until release: until then the app
// cannot hold a complete delivery, so the relay can still check it, record it, or refuse it
// (abort), in which case the app sees the request cut off.
type heldBody struct {
	mu       sync.Mutex
	arrived  *sync.Cond
	buf      []byte // the whole body once read; filled up to filled
	filled   int
	sent     int
	released bool
	aborted  error
}

func newHeldBody(length int64) *heldBody {
	h := &heldBody{buf: make([]byte, length)}
	h.arrived = sync.NewCond(&h.mu)
	return h
}

// fill reads r into the body, passing each piece on as it arrives. It returns the bytes
// read (which may be fewer than the length, with the reader's error).
func (h *heldBody) fill(r io.Reader) ([]byte, error) {
	for {
		h.mu.Lock()
		at := h.filled
		h.mu.Unlock()
		if at == len(h.buf) {
			return h.buf, drained(r)
		}
		n, err := r.Read(h.buf[at:]) // beyond filled: not read by Read until it is counted
		h.mu.Lock()
		h.filled += n
		h.arrived.Broadcast()
		h.mu.Unlock()
		switch {
		case err == io.EOF && at+n == len(h.buf):
			return h.buf, nil
		case err == io.EOF:
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return h.buf[:at+n], err
		}
	}
}

// drained checks that r has nothing beyond the declared length.
func drained(r io.Reader) error {
	var one [1]byte
	n, err := r.Read(one[:])
	if n > 0 {
		return errors.New("the body is longer than its Content-Length")
	}
	if err == io.EOF {
		return nil
	}
	return err
}

// Read hands on what has arrived, holding back the last byte until release.
func (h *heldBody) Read(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		if h.aborted != nil {
			return 0, h.aborted
		}
		avail := h.filled
		if !h.released {
			avail = min(avail, len(h.buf)-1)
		}
		if h.sent < avail {
			n := copy(p, h.buf[h.sent:avail])
			h.sent += n
			return n, nil
		}
		if h.released && h.sent == len(h.buf) {
			return 0, io.EOF
		}
		h.arrived.Wait()
	}
}

func (h *heldBody) release() {
	h.mu.Lock()
	h.released = true
	h.arrived.Broadcast()
	h.mu.Unlock()
}

func (h *heldBody) abort(err error) {
	h.mu.Lock()
	if !h.released {
		h.aborted = err
	}
	h.arrived.Broadcast()
	h.mu.Unlock()
}

// Close is called by the transport when it is done with the body; an unfinished read is
// cut off so that nothing waits on it.
func (h *heldBody) Close() error {
	h.abort(errRefused)
	return nil
}
