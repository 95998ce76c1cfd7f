// Package receiver is the relay between Keap and a developer's app: an http.Handler that
// answers Keap's X-Hook-Secret handshake itself (at once, or for delayed confirmation),
// checks signatures, records every request, and forwards deliveries to the app with the body
// byte for byte, returning the app's answer to Keap. It prints nothing: each delivery is
// reported to Config.Received once it is on record and about to be forwarded, and every
// request to Config.Observe once it has been answered.
package receiver

import (
	"cmp"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/signature"
)

// Defaults a Receiver uses unless its Config says otherwise.
const (
	// DefaultMaxBody is the largest body accepted: a full Keap batch of 1,000 ids is about
	// 100 KB, so 1 MiB plus headroom leaves room for other senders' larger payloads.
	DefaultMaxBody = 1<<20 + 64<<10
	// DefaultForwardTimeout bounds the wait for the app. Keap gives up after 30 s, so the
	// relay answers 504 a little before, and Keap sees a clear failure rather than silence.
	DefaultForwardTimeout = 25 * time.Second
	// DefaultReadTimeout bounds reading a request body; Keap gives each attempt 30 s.
	DefaultReadTimeout = 30 * time.Second
	// DefaultExpandConcurrency is how many apiUrls are fetched at once.
	DefaultExpandConcurrency = 4
	// DefaultForwardConns is how many idle connections to the app are kept for reuse: the
	// number of deliveries in flight at once up to which no forward opens a new connection.
	// Go's default of 2 made every third concurrent forward dial, and the sockets it closed
	// again piled up in TIME_WAIT.
	DefaultForwardConns = 64
)

// Config says what a Receiver does. The zero Config answers handshakes at once and
// deliveries with 200, forwarding nothing.
type Config struct {
	// ForwardTo is the app's URL; "" answers each delivery 200 without forwarding.
	ForwardTo string
	// ForwardTimeout bounds each forward, expansion included; 0 means DefaultForwardTimeout.
	ForwardTimeout time.Duration
	// Client forwards to the app; nil uses a client that follows no redirects and keeps
	// ForwardConns idle connections to the app.
	Client *http.Client
	// ForwardConns sizes the pool of connections to the app to the concurrency expected;
	// 0 means DefaultForwardConns. Ignored when Client is set.
	ForwardConns int
	// Roots verifies an https:// app's certificate (the system's roots plus a local CA, say);
	// nil means the system's roots. Ignored when Client is set.
	Roots *x509.CertPool
	// Delayed answers handshakes 200 without the echo and hands the secret to OnHandshake,
	// which is expected to confirm through delayedVerify.
	Delayed bool
	// OnHandshake receives the secret of every handshake answered 200 (immediate or
	// delayed), once it is on record. It is called before the answer is sent and must not
	// block for long.
	OnHandshake func(Handshake)
	// Signature verifies deliveries; the zero value accepts unsigned ones. With Standard
	// Webhooks, a message received again (same id and timestamp) is refused as a replay.
	Signature signature.Config
	// ReplayMemory bounds how many Standard Webhooks messages are remembered to refuse
	// replays; 0 means DefaultReplayMemory.
	ReplayMemory int
	// MaxBody is the largest request body accepted; 0 means DefaultMaxBody.
	MaxBody int64
	// ReadTimeout bounds reading a body, so a trickling sender cannot hold a handler;
	// 0 means DefaultReadTimeout.
	ReadTimeout time.Duration
	// Recorder keeps every request; nil keeps none.
	Recorder Recorder
	// FirstSeq: sequence numbers continue after it (a recording's last).
	FirstSeq int64
	// Expand fetches each apiUrl of a delivery and forwards the objects with it; nil does not.
	Expand Fetcher
	// ExpandConcurrency bounds parallel fetches; 0 means DefaultExpandConcurrency.
	ExpandConcurrency int
	// Observe receives an Exchange for each request once it was answered; nil discards them.
	Observe func(Exchange)
	// ObserveHeaders fills each Exchange's Header and Answer, for an inspector; they cost a
	// copy of the headers per request, so plain printing goes without them.
	ObserveHeaders bool
	// Received receives an Exchange for each delivery once it is on record and before it is
	// forwarded (Status is still 0); Observe follows with the outcome, under the same Seq.
	// A request the relay answers itself (handshake, refusal, no app) goes to Observe only.
	// Like Observe it must not block for long: the delivery waits for it.
	Received func(Exchange)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Receiver is the relay's http.Handler. Build it with New; it is safe for concurrent use.
type Receiver struct {
	cfg     Config
	client  *http.Client
	started time.Time
	// appName is ForwardTo as messages show it: with any password masked, since the answers
	// that name the app go back to whoever sent the request.
	appName string

	seen *seenMessages // Standard Webhooks messages taken; nil without Standard Webhooks

	recordMu sync.Mutex // assigns sequence numbers in the order records are written
	seq      int64

	handshakes atomic.Int64
	deliveries atomic.Int64
}

var _ http.Handler = (*Receiver)(nil)

// New checks cfg and builds a Receiver.
func New(cfg Config) (*Receiver, error) {
	if err := cfg.Signature.Validate(); err != nil {
		return nil, err
	}
	var appName string
	if cfg.ForwardTo != "" {
		u, err := url.Parse(cfg.ForwardTo)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("receiver: forward URL %q is not an absolute http(s) URL such as http://localhost:3000/keap", cfg.ForwardTo)
		}
		appName = u.Redacted()
	}
	if cfg.MaxBody < 0 || cfg.ForwardTimeout < 0 || cfg.ReadTimeout < 0 || cfg.ExpandConcurrency < 0 || cfg.ForwardConns < 0 || cfg.ReplayMemory < 0 {
		return nil, errors.New("receiver: limits and timeouts must not be negative")
	}
	cfg.MaxBody = cmp.Or(cfg.MaxBody, DefaultMaxBody)
	cfg.ForwardTimeout = cmp.Or(cfg.ForwardTimeout, DefaultForwardTimeout)
	cfg.ReadTimeout = cmp.Or(cfg.ReadTimeout, DefaultReadTimeout)
	cfg.ExpandConcurrency = cmp.Or(cfg.ExpandConcurrency, DefaultExpandConcurrency)
	cfg.ForwardConns = cmp.Or(cfg.ForwardConns, DefaultForwardConns)
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	rv := &Receiver{cfg: cfg, client: cfg.Client, seq: cfg.FirstSeq, appName: appName}
	if rv.client == nil {
		rv.client = forwardClient(cfg.ForwardConns, cfg.Roots)
	}
	if cfg.Signature.Scheme == signature.Standard {
		rv.seen = newSeenMessages(cmp.Or(cfg.Signature.Tolerance, signature.DefaultTolerance), cmp.Or(cfg.ReplayMemory, DefaultReplayMemory))
	}
	rv.started = cfg.Now()
	return rv, nil
}

// ReplayProtected reports whether replayed deliveries are refused: only Standard Webhooks
// signatures carry the timestamp and id that tell a copy from a new message. An hmac-hex
// signature covers the body alone, so a copy of a signed delivery verifies for ever.
func (rv *Receiver) ReplayProtected() bool { return rv.seen != nil }

// forwardClient follows no redirects, keeps conns idle connections per host and verifies
// certificates against roots.
func forwardClient(conns int, roots *x509.CertPool) *http.Client {
	t := localca.Transport(roots)
	t.MaxIdleConns, t.MaxIdleConnsPerHost = conns, conns
	return &http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error {
		// The app's redirect goes back to the sender as it is; Keap counts 3xx as success.
		return http.ErrUseLastResponse
	}}
}

// ServeHTTP takes one request: GET / is a status page, POST with X-Hook-Secret a handshake,
// any other POST a delivery; anything else is refused with a 4xx.
func (rv *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev := Exchange{Time: rv.cfg.Now(), Method: r.Method, Path: r.URL.Path}
	switch {
	case (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Path == "/":
		rv.serveStatus(w, &ev)
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		rv.refuse(w, &ev, http.StatusMethodNotAllowed,
			fmt.Sprintf("%s is not a delivery: deliveries are POSTs (GET / shows whether the relay is up)", r.Method))
	default:
		rv.servePost(w, r, &ev)
	}
	rv.observe(ev)
}

func (rv *Receiver) servePost(w http.ResponseWriter, r *http.Request, ev *Exchange) {
	if rv.cfg.ObserveHeaders {
		ev.Header = recordedHeader(r.Header)
	}
	_, handshake := r.Header[http.CanonicalHeaderKey(secretHeader)]
	var e *early
	if !handshake && rv.earlyForwarding(r) {
		e = rv.startEarly(r, r.ContentLength)
		defer e.stop()
	}
	body, status, reason := readBody(w, r, rv.cfg.MaxBody, rv.cfg.ReadTimeout, e)
	if status != 0 {
		rv.refuse(w, ev, status, reason)
		return
	}
	ev.Body = body
	if handshake {
		rv.serveHandshake(w, r, ev, body)
		return
	}
	rv.serveDelivery(w, r, ev, body, e)
}

// refuse answers a request the relay will not take, without recording it: there is either
// no body (wrong method) or not all of it (too large).
func (rv *Receiver) refuse(w http.ResponseWriter, ev *Exchange, status int, reason string) {
	ev.Kind, ev.Status, ev.Reason = KindInvalid, status, reason
	writeText(w, status, reason)
}

// received tells Config.Received about a delivery on record and about to be forwarded.
func (rv *Receiver) received(ev Exchange) {
	if rv.cfg.Received != nil {
		rv.cfg.Received(ev)
	}
}

func (rv *Receiver) observe(ev Exchange) {
	if rv.cfg.Observe != nil {
		rv.cfg.Observe(ev)
	}
}

// writeText answers with a one-line plain-text body.
func writeText(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	fmt.Fprintln(w, msg)
}
