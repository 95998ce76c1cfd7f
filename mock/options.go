package mock

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"time"
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
}

func defaultConfig() config {
	return config{
		handshakeTimeout: DefaultHandshakeTimeout,
		maxBodyBytes:     DefaultMaxBodyBytes,
		logger:           slog.New(slog.DiscardHandler),
		now:              time.Now,
		random:           rand.Reader,
		transport:        http.DefaultTransport,
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

// WithClock replaces time.Now for token lifetimes and timestamps.
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
