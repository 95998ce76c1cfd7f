package mock

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/keap"
)

// window is one of Keap's documented limits: so many calls per fixed window.
type window struct {
	limit int
	span  time.Duration
	unit  string // as Keap names it in its headers
}

// limitSet is what one kind of credential may do: a throttle (the short window, reported in
// x-keap-product-throttle-*), an optional middle window, and a daily quota (reported in
// x-keap-product-quota-*).
type limitSet struct {
	throttle, middle, quota window
}

// Keap's published limits: OAuth apps 1,500 a minute and 150,000 a day; Personal Access
// Tokens and Service Account Keys 10 a second, 240 a minute and 30,000 a day.
var (
	oauthLimits = limitSet{
		throttle: window{1500, time.Minute, "minute"},
		quota:    window{150_000, 24 * time.Hour, "day"},
	}
	keyLimits = limitSet{
		throttle: window{10, time.Second, "second"},
		middle:   window{240, time.Minute, "minute"},
		quota:    window{30_000, 24 * time.Hour, "day"},
	}
)

// rateLimiter counts calls per credential in fixed windows on the mock's clock, so under
// virtual timing the windows move only when the clock does.
type rateLimiter struct {
	mu     sync.Mutex
	now    func() time.Time
	counts map[counterKey]*counter
	sweep  sweeper
}

type counterKey struct {
	token string
	span  time.Duration
}

type counter struct {
	start time.Time
	used  int
}

func newRateLimiter(now func() time.Time) *rateLimiter {
	return &rateLimiter{now: now, counts: map[counterKey]*counter{}}
}

// verdict is the outcome of one call: the headers to send and, when refused, how long until
// the window that refused it ends.
type verdict struct {
	header     http.Header
	refused    bool
	retryAfter time.Duration
}

// take counts a call by token against limits.
func (rl *rateLimiter) take(token string, limits limitSet) verdict {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	now := rl.now()
	rl.pruneLocked(now)
	v := verdict{header: http.Header{}}
	for _, w := range []window{limits.throttle, limits.middle, limits.quota} {
		if w.limit == 0 {
			continue
		}
		c := rl.counter(token, w, now)
		if c.used >= w.limit && !v.refused {
			v.refused, v.retryAfter = true, c.start.Add(w.span).Sub(now)
		}
	}
	for _, w := range []window{limits.throttle, limits.middle, limits.quota} {
		if w.limit > 0 && !v.refused {
			rl.counter(token, w, now).used++
		}
	}
	rl.report(v.header, "throttle", token, limits.throttle, now)
	rl.report(v.header, "quota", token, limits.quota, now)
	return v
}

// pruneLocked forgets the windows that have passed, once a second on the mock's clock (the
// shortest window): a token seen once is not remembered beyond its longest window.
func (rl *rateLimiter) pruneLocked(now time.Time) {
	if rl.sweep.due(now, time.Second) {
		rl.counts = unexpired(rl.counts, func(k counterKey, c *counter) bool { return !now.Before(c.start.Add(k.span)) })
	}
}

// counter returns the count of the window now falls in, starting a new one when it ended.
func (rl *rateLimiter) counter(token string, w window, now time.Time) *counter {
	key := counterKey{token, w.span}
	start := now.Truncate(w.span)
	c, ok := rl.counts[key]
	if !ok || !c.start.Equal(start) {
		c = &counter{start: start}
		rl.counts[key] = c
	}
	return c
}

func (rl *rateLimiter) report(h http.Header, kind, token string, w window, now time.Time) {
	c := rl.counter(token, w, now)
	prefix := "x-keap-product-" + kind + "-"
	h.Set(prefix+"limit", strconv.Itoa(w.limit))
	h.Set(prefix+"time-unit", w.unit)
	h.Set(prefix+"interval", "1")
	h.Set(prefix+"available", strconv.Itoa(max(0, w.limit-c.used)))
	h.Set(prefix+"used", strconv.Itoa(c.used))
	if kind == "quota" {
		h.Set(prefix+"expiry-time", strconv.FormatInt(c.start.Add(w.span).UnixMilli(), 10))
	}
}

// limitsFor tells a Personal Access Token or Service Account Key (sent as X-Keap-API-Key, or
// as a Bearer token with Keap's KeapAK-/KeapSAK- prefixes) from an OAuth access token.
func limitsFor(r *http.Request) limitSet {
	if r.Header.Get(keap.HeaderAPIKey) != "" {
		return keyLimits
	}
	if t := requestToken(r); strings.HasPrefix(t, "KeapAK-") || strings.HasPrefix(t, "KeapSAK-") {
		return keyLimits
	}
	return oauthLimits
}

// rateLimited applies Keap's limits to an API route when the mock runs with them; a refused
// call gets Keap's 429 with a Retry-After.
func (s *Server) rateLimited(next http.Handler) http.Handler {
	if s.limiter == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := s.limiter.take(requestToken(r), limitsFor(r))
		for k, vals := range v.header {
			w.Header()[k] = vals
		}
		if v.refused {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(v.retryAfter.Seconds()))))
			s.log.Warn(fmt.Sprintf("429: rate limit reached on %s %s; retry after %s", r.Method, r.URL.Path, v.retryAfter.Round(time.Second)))
			httpapi.WriteJSON(w, http.StatusTooManyRequests, keap.QuotaViolation("keaphook-mock"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
