// Package trigger makes events happen on a running mock the way a user's action in Keap
// would: through the mock's own Keap API (create, edit, delete, apply a tag...), creating
// what the action needs first, so every delivery's apiUrl points at an object that exists.
// Keys Keap's v1 API cannot cause go through the mock's POST /_mock/events.
//
// It prints nothing: Fire returns a Result per event key, and Outcomes what became of the
// deliveries it caused.
package trigger

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/keap"
)

// MaxCount is the most objects one event may be about: the most one Keap delivery carries.
const MaxCount = keap.MaxObjectsPerDelivery

// ErrNotRootURL: the mock's URL is not its root (http://host:port, no path).
var ErrNotRootURL = errors.New("the mock's URL must be its root URL")

// Config says which mock to act on and how.
type Config struct {
	// MockURL is the mock's root URL, e.g. http://127.0.0.1:8080.
	MockURL string
	// Token is an access token the mock accepts.
	Token string
	// HTTPClient sends the requests; nil means one with a 30 s timeout.
	HTTPClient *http.Client
	// Now stamps due dates and appointments; nil means time.Now.
	Now func() time.Time
	// Unique makes the names and emails of this run's objects unique across runs; "" means
	// a random one.
	Unique string
}

// Trigger makes events happen on one mock. Objects it makes are reused for the rest of its
// life (one contact serves every note), so it is used by one goroutine at a time.
type Trigger struct {
	actor *actor
}

// New checks cfg and returns a Trigger for the mock it names. Nothing is sent yet.
func New(cfg Config) (*Trigger, error) {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	api, err := newMockAPI(cfg.MockURL, cfg.Token, hc)
	if err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Unique == "" {
		cfg.Unique = fmt.Sprintf("%06x", rand.Uint32()&0xffffff)
	}
	return &Trigger{actor: &actor{api: api, now: cfg.Now, uniq: cfg.Unique}}, nil
}

// Root is the mock's root URL, without a trailing slash.
func (t *Trigger) Root() string { return t.actor.api.root }

// EventKeys lists the event keys the mock knows (GET /v1/hooks/event_keys).
func (t *Trigger) EventKeys(ctx context.Context) ([]string, error) {
	return t.actor.api.kc.EventKeys(ctx)
}

// Result is what one event key's trigger did.
type Result struct {
	EventKey string `json:"eventKey"`
	// IDs are the ids the event carries.
	IDs []int64 `json:"ids"`
	// APIURLs are the apiUrls the deliveries carry for IDs (none for keys without a v1 GET).
	APIURLs []string `json:"apiUrls"`
	// Requests are the writes made, in order: "POST /crm/rest/v1/contacts → 201".
	Requests []string `json:"requests"`
	// VerifiedHooks counts the Verified hooks subscribed to EventKey when it fired: the
	// deliveries it makes. Events for other hooks are dropped, as on Keap.
	VerifiedHooks int `json:"verifiedHooks"`
	// Fired is when the trigger began, on the mock's clock as this machine reads it.
	Fired time.Time `json:"-"`
	// Err says why the trigger failed; Error is its text, for JSON.
	Err   error  `json:"-"`
	Error string `json:"error,omitempty"`
}

// Fire makes key happen n times (n objects, one event) and says what it did. A key with no
// action of its own, one the mock was started with beyond Keap's list, goes through
// /_mock/events.
func (t *Trigger) Fire(ctx context.Context, key string, n int) Result {
	r := Result{EventKey: key, IDs: []int64{}, APIURLs: []string{}, Requests: []string{}, Fired: t.actor.now()}
	if n < 1 || n > MaxCount {
		return r.failed(fmt.Errorf("the count must be from 1 to %d, got %d", MaxCount, n))
	}
	hooks, err := t.verifiedHooks(ctx, key)
	if err != nil {
		return r.failed(err)
	}
	r.VerifiedHooks = hooks
	act, ok := actions()[key]
	if !ok {
		act = invented(key)
	}
	t.actor.api.done = nil
	ids, err := act(ctx, t.actor, n)
	r.Requests = append(r.Requests, t.actor.api.done...)
	if err != nil {
		return r.failed(err)
	}
	r.IDs = append(r.IDs, ids...)
	r.APIURLs = t.apiURLs(key, ids)
	return r
}

func (r Result) failed(err error) Result {
	r.Err, r.Error = err, err.Error()
	return r
}

// verifiedHooks counts the Verified hooks subscribed to key.
func (t *Trigger) verifiedHooks(ctx context.Context, key string) (int, error) {
	hooks, err := t.actor.api.kc.ListHooks(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hooks {
		if h.EventKey == key && h.Status == keap.StatusVerified {
			n++
		}
	}
	return n, nil
}

func (t *Trigger) apiURLs(key string, ids []int64) []string {
	out := []string{}
	info, ok := fixtures.Lookup(key)
	if !ok {
		return out
	}
	for _, id := range ids {
		if u := info.APIURL(t.Root()+keap.BasePath, id); u != "" {
			out = append(out, u)
		}
	}
	return out
}
