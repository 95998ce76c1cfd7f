package mock

import (
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Longest values the mock keeps. Keap's own tokens, client ids and redirect URIs are far
// shorter; anything longer is a mistake (or an attempt to fill the mock's memory) and gets a
// 400 instead of being stored.
const (
	MaxTokenBytes       = 2048
	MaxClientIDBytes    = 256
	MaxRedirectURIBytes = 2048
)

// tooLong says that a value is longer than the mock accepts, or returns nil. The callers
// answer in their own shape: a Keap error body for the API, an OAuth error for /token.
func tooLong(name, value string, limit int) error {
	if len(value) <= limit {
		return nil
	}
	return httpapi.Errorf(http.StatusBadRequest, "%s is %d bytes long; the mock accepts at most %d (Keap's are much shorter: is it the right value?)", name, len(value), limit)
}

// sweepEvery is how often, on the mock's clock, expired OAuth codes and tokens and passed
// rate-limit windows are forgotten: each sweep looks at every entry once, so a sweep per
// interval keeps the cost per request constant.
const sweepEvery = time.Minute

// sweeper tells when the next sweep is due. Its user guards it with its own lock.
type sweeper struct{ next time.Time }

// due reports whether a sweep is due at now, and if so schedules the next one.
func (s *sweeper) due(now time.Time, every time.Duration) bool {
	if now.Before(s.next) {
		return false
	}
	s.next = now.Add(every)
	return true
}

// unexpired returns a new map of the entries of m that have not expired. A new map rather
// than deletes in place: Go maps never shrink, and a burst of a million entries would keep
// its table after they were gone.
func unexpired[K comparable, V any](m map[K]V, expired func(K, V) bool) map[K]V {
	kept := make(map[K]V)
	for k, v := range m {
		if !expired(k, v) {
			kept[k] = v
		}
	}
	return kept
}
