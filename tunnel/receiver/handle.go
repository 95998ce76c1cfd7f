package receiver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

const secretHeader = keap.HeaderHookSecret

// answer is what the relay sends back to the sender.
type answer struct {
	status int
	header http.Header
	body   []byte
	note   string // for the recording
	own    bool   // made by the relay (a refusal), not the app's answer
}

// serveHandshake answers Keap's intent verification. Immediate: 200 with the secret echoed.
// Delayed: 200 without it; the secret goes to OnHandshake for delayedVerify.
func (rv *Receiver) serveHandshake(w http.ResponseWriter, r *http.Request, ev *Exchange, body []byte) {
	ev.Kind = KindHandshake
	secret := strings.TrimSpace(r.Header.Get(secretHeader))
	if secret == "" {
		ev.Kind = KindInvalid
		rv.finish(w, r, ev, body, textAnswer(http.StatusBadRequest,
			"X-Hook-Secret is empty: a handshake carries the secret to echo"))
		return
	}
	rv.handshakes.Add(1)
	ev.Delayed = rv.cfg.Delayed
	a := answer{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}}
	if rv.cfg.Delayed {
		a.body, a.note = []byte(`{"handshake":"received; confirming through delayedVerify"}`), "handshake answered without the echo (delayed confirmation)"
	} else {
		a.header.Set(secretHeader, secret)
		a.body, a.note = []byte(`{"handshake":"echoed"}`), "handshake answered with X-Hook-Secret echoed"
	}
	a = rv.settle(r, ev, body, a)
	// The secret is handed on only for a handshake that is on record and answered 200, and
	// before the answer goes out: Keap's create call returns once it has the answer, and
	// the caller must hold the secret by then to confirm through delayedVerify.
	if a.status == http.StatusOK && rv.cfg.OnHandshake != nil {
		rv.cfg.OnHandshake(Handshake{Path: r.URL.Path, Secret: secret, Time: ev.Time})
	}
	reply(w, a)
}

// serveDelivery answers a delivery. A message not answered 2xx was not taken: the sender will
// try it again, and that attempt must get through, even with the same id and timestamp, so it
// is forgotten before the answer can reach the sender.
func (rv *Receiver) serveDelivery(w http.ResponseWriter, r *http.Request, ev *Exchange, body []byte, e *early) {
	ev.Kind = KindDelivery
	a := rv.deliver(r, ev, body, e)
	if a.status < 200 || a.status > 299 {
		rv.seen.forget(ev.replayKey)
	}
	reply(w, a)
}

// deliver checks the signature, refuses a replay and checks the body, records the delivery,
// then forwards it and records the outcome, returning the answer for the sender. e is its
// early forward, if one began.
func (rv *Receiver) deliver(r *http.Request, ev *Exchange, body []byte, e *early) answer {
	if a, ok := rv.refusal(r, ev, body); !ok {
		return rv.settle(r, ev, body, a)
	}
	rv.deliveries.Add(1)
	if rv.cfg.ForwardTo == "" {
		return rv.settle(r, ev, body, notForwarded())
	}
	// On record before the app can have it: whatever happens to the relay from here on, the
	// recording holds every delivery the app received.
	if err := rv.receipt(r, ev, body); err != nil {
		return rv.unrecorded(ev, err)
	}
	rv.received(*ev)
	return rv.outcome(ev, rv.forward(r, body, ev, e))
}

// refusal checks a delivery before anything is done with it: its signature, that it is not a
// replay, and that it is JSON, which it summarises into ev on the way.
func (rv *Receiver) refusal(r *http.Request, ev *Exchange, body []byte) (answer, bool) {
	if err := rv.cfg.Signature.Verify(r.Header, body, rv.cfg.Now()); err != nil {
		// The message names headers and counts only, never a secret or the expected value.
		ev.Kind = KindRejected
		return textAnswer(http.StatusUnauthorized, "rejected: "+err.Error()), false
	}
	if reason := rv.replayed(r.Header, ev); reason != "" {
		ev.Kind = KindRejected
		return textAnswer(http.StatusUnauthorized, "rejected: "+reason), false
	}
	sum, err := scanBody(body)
	if err != nil {
		ev.Kind = KindInvalid
		return textAnswer(http.StatusBadRequest, "the body is not JSON: "+jsonProblem(body, err)), false
	}
	ev.summarize(sum)
	return answer{}, true
}

// finish records a request the relay answers itself, in one line with its answer, then
// answers.
func (rv *Receiver) finish(w http.ResponseWriter, r *http.Request, ev *Exchange, body []byte, a answer) {
	reply(w, rv.settle(r, ev, body, a))
}

// settle records the request with its answer and returns the answer to send. When recording
// fails that is a 503 instead, so that the sender retries: a 2xx always means the request is
// on record.
func (rv *Receiver) settle(r *http.Request, ev *Exchange, body []byte, a answer) answer {
	seq, err := rv.commit(func() Record {
		rec := rv.requestRecord(r, ev, body)
		rec.Status, rec.Response, rec.Note = a.status, string(a.body), a.note
		return rec
	})
	if err != nil {
		return rv.unrecorded(ev, err)
	}
	ev.Seq = seq
	return rv.answered(ev, a)
}

// receipt records a delivery as it arrived, before it is forwarded.
func (rv *Receiver) receipt(r *http.Request, ev *Exchange, body []byte) error {
	seq, err := rv.commit(func() Record {
		rec := rv.requestRecord(r, ev, body)
		rec.Phase = PhaseReceived
		return rec
	})
	ev.Seq = seq
	return err
}

// outcome records what the relay answered a delivery already on record. The delivery is on
// record whatever happens here, so a failure is reported but changes no answer.
func (rv *Receiver) outcome(ev *Exchange, a answer) answer {
	if rv.cfg.Recorder != nil {
		err := rv.cfg.Recorder.Record(Record{
			Seq: ev.Seq, Time: rv.cfg.Now(), Phase: PhaseAnswered, Kind: ev.Kind,
			Status: a.status, Response: string(a.body), Note: a.note,
		})
		if err != nil {
			ev.RecordError = "the answer could not be recorded: " + err.Error()
		}
	}
	return rv.answered(ev, a)
}

func (rv *Receiver) unrecorded(ev *Exchange, err error) answer {
	ev.Seq = 0
	return rv.answered(ev, textAnswer(http.StatusServiceUnavailable,
		"keaphook could not record this request, so it answers 503 for the sender to retry: "+err.Error()))
}

// answered notes in ev the answer going out.
func (rv *Receiver) answered(ev *Exchange, a answer) answer {
	ev.Status = a.status
	if rv.cfg.ObserveHeaders {
		ev.Answer = Answer{Header: recordedHeader(a.header), Body: a.body[:min(len(a.body), MaxAnswerBody)]}
	}
	if a.own && a.status >= 400 {
		ev.Reason = a.note
	}
	return a
}

func (rv *Receiver) requestRecord(r *http.Request, ev *Exchange, body []byte) Record {
	rec := Record{Time: ev.Time, Kind: ev.Kind, Method: r.Method, Path: r.URL.RequestURI(), Header: recordedHeader(r.Header)}
	rec.SetBody(body)
	return rec
}

func reply(w http.ResponseWriter, a answer) {
	for name, values := range a.header {
		w.Header()[name] = values
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
}

// commit numbers a request and hands its record to the recorder, under one lock so that a
// recording lists requests in sequence order. The record is built only when there is a
// recorder: it copies the headers and the body.
func (rv *Receiver) commit(record func() Record) (int64, error) {
	rv.recordMu.Lock()
	defer rv.recordMu.Unlock()
	if rv.cfg.Recorder != nil {
		rec := record()
		rec.Seq = rv.seq + 1
		if err := rv.cfg.Recorder.Record(rec); err != nil {
			return 0, err
		}
	}
	rv.seq++
	return rv.seq, nil
}

// recordedHeader is h as a recording keeps it: the handshake secret and credentials read
// [redacted]. A recording is shared and committed as a test case; a replay gets a fresh
// handshake secret and sends no redacted header.
func recordedHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, name := range redactedHeaders {
		if _, ok := out[name]; ok {
			out.Set(name, redactedSecret)
		}
	}
	return out
}

// redactedHeaders carry secrets: the handshake secret (a credential for delayedVerify) and
// whatever credentials a sender put in front of the relay.
var redactedHeaders = []string{http.CanonicalHeaderKey(secretHeader), "Authorization", "Proxy-Authorization", "Cookie"}

func textAnswer(status int, msg string) answer {
	return answer{
		status: status,
		header: http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Content-Type-Options": {"nosniff"}},
		body:   []byte(msg + "\n"),
		note:   msg,
		own:    true,
	}
}

// readBody reads the whole body up to limit, passing it on to e as it arrives when the
// forward began early. On failure it returns the status and reason to refuse the request with.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, timeout time.Duration, e *early) ([]byte, int, string) {
	tooLarge := fmt.Sprintf("the body is larger than %d bytes, the relay's limit; a Keap batch of 1,000 ids is about 100 KB", limit)
	if r.ContentLength > limit {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	// A sender trickling its body must not hold a handler forever. The deadline is for the
	// socket, so it is on the real clock whatever Config.Now says; recorders that cannot
	// set one (tests) simply have none.
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(timeout))
	var body []byte
	var err error
	if e != nil {
		body, err = e.body.fill(r.Body)
	} else {
		body, err = readAll(http.MaxBytesReader(w, r.Body, limit), r.ContentLength)
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	case err != nil:
		return nil, http.StatusBadRequest, "could not read the body: " + err.Error()
	}
	return body, 0, ""
}

// readAll reads r to its end. With a declared length the body is read straight into a
// buffer of that size, rather than one grown (and copied) step by step.
func readAll(r io.Reader, length int64) ([]byte, error) {
	if length <= 0 {
		return io.ReadAll(r)
	}
	buf := make([]byte, length+1) // one byte more, so that a longer body shows
	n, err := io.ReadFull(r, buf)
	switch {
	case int64(n) == length && errors.Is(err, io.ErrUnexpectedEOF):
		return buf[:n], nil
	case err == nil: // more than declared: read the rest, for MaxBytesReader to judge
		rest, err := io.ReadAll(r)
		return append(buf, rest...), err
	}
	return buf[:n], err
}

// jsonProblem describes why body is not JSON, in a few words.
func jsonProblem(body []byte, err error) string {
	if len(strings.TrimSpace(string(body))) == 0 {
		return "it is empty; a delivery is a JSON object"
	}
	return err.Error()
}

// serveStatus answers GET / with a small JSON document saying the relay is up.
func (rv *Receiver) serveStatus(w http.ResponseWriter, ev *Exchange) {
	ev.Kind, ev.Status = KindStatus, http.StatusOK
	scheme := string(rv.cfg.Signature.Scheme)
	if scheme == "" {
		scheme = "none"
	}
	status := map[string]any{
		"relay": "keaphook", "status": "up", "since": rv.started.UTC().Format(keap.TimestampLayout),
		"forwarding": rv.cfg.ForwardTo != "", "delayed": rv.cfg.Delayed, "signature": scheme,
		"handshakes": rv.handshakes.Load(), "deliveries": rv.deliveries.Load(),
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	json.NewEncoder(w).Encode(status)
}
