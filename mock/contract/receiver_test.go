package contract

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/mock/testkit"
)

// receiver is a hook endpoint whose faults the tests switch on one at a time. The zero value
// (with a clock) is a good receiver: it echoes the handshake and accepts every delivery.
type receiver struct {
	clock *testkit.Clock

	noEcho          bool          // answers the handshake 200 without the header
	parsesHandshake bool          // decodes every body as an event first, so {} gets a 400
	cachesSecret    bool          // echoes the first secret it ever saw
	slowOver        int           // deliveries with more ids than this take slowBy...
	slowBy          time.Duration // ...by the fake clock
	blockOver       int           // deliveries with more ids than this never get an answer
	failOver        int           // deliveries with more ids than this get a 500
	gone            bool          // answers 410 to deliveries
	rejectRepeat    bool          // answers 409 to a body it has seen
	rejectOlder     bool          // answers 409 to a batch older than the newest seen
	failUnknownKey  bool          // answers 500 to event keys other than contact.*
	failEmptyAPIURL bool          // answers 500 when an apiUrl is empty
	redirect        bool          // answers every delivery 302
	flaky           int           // answers every flaky-th delivery 503

	sig signature.Config // when set, deliveries must verify against it (at clock time)

	mu       sync.Mutex
	secret   string
	bodies   map[string]bool
	newest   string
	count    int
	requests int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	rc.mu.Lock()
	rc.requests++
	rc.mu.Unlock()
	var ev keap.Event
	if rc.parsesHandshake {
		if err := json.Unmarshal(body, &ev); err != nil || len(ev.ObjectKeys) == 0 {
			http.Error(w, "no object_keys", http.StatusBadRequest)
			return
		}
	}
	if secret := req.Header.Get(keap.HeaderHookSecret); secret != "" {
		rc.answerHandshake(w, secret)
		return
	}
	if err := rc.sig.Verify(req.Header, body, rc.clock.Now()); err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if err := json.Unmarshal(body, &ev); err != nil || len(ev.ObjectKeys) == 0 {
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	w.WriteHeader(rc.deliveryStatus(req, string(body), ev))
}

func (rc *receiver) answerHandshake(w http.ResponseWriter, secret string) {
	rc.mu.Lock()
	if rc.secret == "" || !rc.cachesSecret {
		rc.secret = secret
	}
	echo := rc.secret
	rc.mu.Unlock()
	if !rc.noEcho {
		w.Header().Set(keap.HeaderHookSecret, echo)
	}
	w.WriteHeader(http.StatusOK)
}

// deliveryStatus decides the answer to a decoded, verified delivery.
func (rc *receiver) deliveryStatus(req *http.Request, body string, ev keap.Event) int {
	n := len(ev.ObjectKeys)
	switch {
	case rc.blockOver > 0 && n > rc.blockOver:
		<-req.Context().Done()
		return http.StatusOK
	case rc.slowOver > 0 && n > rc.slowOver:
		rc.clock.Advance(rc.slowBy)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.bodies == nil {
		rc.bodies = map[string]bool{}
	}
	repeat, older := rc.bodies[body], ev.ObjectKeys[0].Timestamp < rc.newest
	rc.bodies[body] = true
	rc.newest = max(rc.newest, ev.ObjectKeys[0].Timestamp)
	rc.count++
	switch {
	case rc.gone:
		return http.StatusGone
	case rc.redirect:
		return http.StatusFound
	case rc.failOver > 0 && n > rc.failOver,
		rc.failUnknownKey && keap.ObjectType(ev.EventKey) != "contact",
		rc.failEmptyAPIURL && ev.ObjectKeys[0].APIURL == "":
		return http.StatusInternalServerError
	case rc.rejectRepeat && repeat, rc.rejectOlder && older:
		return http.StatusConflict
	case rc.flaky > 0 && rc.count%rc.flaky == 0:
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
}

// serve starts rc on loopback and returns a Config aimed at it with the clock and a seeded
// random source, so every run sends the same secrets and ids.
func serve(t *testing.T, rc *receiver) Config {
	t.Helper()
	if rc.clock == nil {
		rc.clock = testkit.NewClock(time.Time{})
	}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return Config{
		URL:    srv.URL + "/keap",
		Client: srv.Client(),
		Now:    rc.clock.Now,
		Rand:   rand.NewChaCha8([32]byte{1, 2, 3}),
	}
}
