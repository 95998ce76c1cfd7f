package mock

import (
	"crypto/rand"
	"crypto/x509"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/signature"
)

// Defaults a Server uses unless an Option says otherwise.
const (
	// DefaultHandshakeTimeout bounds the handshake POST to a hookUrl. Keap publishes no figure;
	// ten seconds keeps a create call snappy while forgiving a cold serverless start.
	DefaultHandshakeTimeout = 10 * time.Second
	// DefaultMaxBodyBytes is the largest request body the mock reads (1 MiB).
	DefaultMaxBodyBytes = 1 << 20
)

// Option configures a Server.
type Option func(*config)

type config struct {
	tokens           []string
	handshakeTimeout time.Duration
	maxBodyBytes     int64
	eventKeys        []string
	logger           *slog.Logger
	now              func() time.Time
	random           io.Reader
	transport        http.RoundTripper
	baseURL          string

	timing       delivery.Timing
	policy       delivery.Policy
	signing      signature.Config
	chaos        delivery.Chaos
	randSeed     uint64
	randSeeded   bool
	emptyAPIURL  bool
	dataDir      string
	dataSync     *time.Duration // nil: the store's default
	sender       delivery.Sender
	seedData     bool
	rateLimits   bool
	strictFields bool
	roots        *x509.CertPool
	httpsOnly    bool
	retain       delivery.Retention
}

func defaultConfig() config {
	return config{
		handshakeTimeout: DefaultHandshakeTimeout,
		maxBodyBytes:     DefaultMaxBodyBytes,
		logger:           slog.New(slog.DiscardHandler),
		random:           rand.Reader,
	}
}

// WithTokens accepts only these access tokens and API keys (plus tokens the mock's own OAuth
// flow issues). Without it, any non-empty token is accepted.
func WithTokens(tokens ...string) Option {
	return func(c *config) { c.tokens = append(c.tokens, tokens...) }
}

// WithHandshakeTimeout bounds the handshake POST to a hookUrl.
func WithHandshakeTimeout(d time.Duration) Option {
	return func(c *config) { c.handshakeTimeout = d }
}

// WithMaxBodyBytes limits request bodies; larger ones get a 413.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) { c.maxBodyBytes = n }
}

// WithEventKeys replaces the event keys the mock knows (GET /v1/hooks/event_keys).
func WithEventKeys(keys []string) Option {
	return func(c *config) { c.eventKeys = append([]string(nil), keys...) }
}

// WithLogger makes the mock report handshakes, deliveries and mistakes to l.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithClock replaces the clock of token lifetimes (by default the delivery engine's clock,
// so under virtual timing tokens expire as the virtual clock moves).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithRandom replaces crypto/rand as the source of secrets, codes and tokens (tests only).
func WithRandom(r io.Reader) Option {
	return func(c *config) { c.random = r }
}

// WithTransport replaces the HTTP transport used to reach hookUrls.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) { c.transport = rt }
}

// WithBaseURL sets the mock's own public root (e.g. http://127.0.0.1:8080), used to build the
// apiUrl of deliveries. Without it the mock uses the Host of the request that caused the event.
func WithBaseURL(u string) Option {
	return func(c *config) { c.baseURL = u }
}

// WithTiming chooses how the delivery engine reads time: delivery.TimingKeap (real durations),
// delivery.TimingFast (the default: Keap's shape scaled down) or delivery.TimingVirtual
// (Keap's durations on a clock that moves only through Advance or POST /_mock/clock/advance).
func WithTiming(t delivery.Timing) Option {
	return func(c *config) { c.timing = t }
}

// WithPolicy replaces Keap's delivery rules (schedule, attempts, success, attempt timeout).
func WithPolicy(p delivery.Policy) Option {
	return func(c *config) { c.policy = p }
}

// WithSigning signs every delivery; Keap itself signs nothing.
func WithSigning(sc signature.Config) Option {
	return func(c *config) { c.signing = sc }
}

// WithChaos starts the mock with the given chaos (duplicates, reordering, delays, drops).
func WithChaos(ch delivery.Chaos) Option {
	return func(c *config) { c.chaos = ch }
}

// WithRandSeed makes jitter and chaos repeatable.
func WithRandSeed(seed uint64) Option {
	return func(c *config) { c.randSeed, c.randSeeded = seed, true }
}

// WithEmptyAPIURL sends deliveries with empty apiUrl fields, as real Keap sometimes does.
func WithEmptyAPIURL() Option {
	return func(c *config) { c.emptyAPIURL = true }
}

// WithDataDir keeps hooks, secrets, deliveries and pending retries in dir, so a restarted
// mock picks up where it stopped. Without it, everything lives in memory.
func WithDataDir(dir string) Option {
	return func(c *config) { c.dataDir = dir }
}

// WithDataSync sets how often, with a data directory, committed changes are synced to disk
// (store.DefaultSyncEvery unless set). Every change is written to the OS before the call that
// made it returns, so it survives the mock being killed; the interval bounds what a crash of
// the machine itself can lose. 0 syncs each commit before its call returns.
func WithDataSync(every time.Duration) Option {
	return func(c *config) { c.dataSync = &every }
}

// WithDeliverySender replaces the HTTP client deliveries are POSTed with.
func WithDeliverySender(sd delivery.Sender) Option {
	return func(c *config) { c.sender = sd }
}

// WithSeedData starts the mock with a realistic account: contacts with emails, phones,
// addresses and tags, companies, a sales pipeline with opportunities, products and users.
func WithSeedData() Option {
	return func(c *config) { c.seedData = true }
}

// WithRateLimits enforces Keap's documented rate limits on the API, per token, with Keap's
// x-keap-product-* headers and its 429: 1,500 calls a minute and 150,000 a day for OAuth
// tokens; 10 a second, 240 a minute and 30,000 a day for PATs and SAKs.
func WithRateLimits() Option {
	return func(c *config) { c.rateLimits = true }
}

// WithTrustedRoots verifies https:// hookUrls, in handshakes and deliveries, against roots
// (for example the system's plus a local CA) instead of the system's roots alone. There is
// no option to skip verification. A transport or sender given explicitly is used as it is.
func WithTrustedRoots(roots *x509.CertPool) Option {
	return func(c *config) { c.roots = roots }
}

// WithRequireHTTPS refuses http:// hookUrls at create and update with a 400, as senders that
// require HTTPS do.
func WithRequireHTTPS() Option {
	return func(c *config) { c.httpsOnly = true }
}

// WithRetain bounds the finished deliveries the mock keeps for GET /_mock/deliveries, by count
// and by size (see delivery.Retention and delivery.ParseRetention); by default 20,000
// deliveries or 64 MB, whichever comes first.
func WithRetain(r delivery.Retention) Option {
	return func(c *config) { c.retain = r }
}

// WithStrictFields answers 400 to a Keap request body with a field its operation does not
// take (an unknown name, a wrong case such as "hookURL" for "hookUrl", a read-only "id" in
// an update). Without it the mock does what Keap does: ignores the field, and logs it once.
func WithStrictFields() Option {
	return func(c *config) { c.strictFields = true }
}
