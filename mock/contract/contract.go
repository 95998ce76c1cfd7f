// Package contract is the suite behind `keaphook check URL`: named checks that tell a
// developer, before real Keap does, whether a REST Hook endpoint survives what Keap sends.
//
// Each check sends Keap-shaped requests (the X-Hook-Secret handshake, skinny batched
// deliveries) to one URL and judges the answers the way Keap would: a handshake verifies only
// on a 200 echoing the secret; a delivery succeeds on 200-399 within 30 seconds; a 410 makes
// the hook Inactive at once. The result is a Report value; printing it is the caller's job.
package contract

import (
	"crypto/rand"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
)

// The names of the checks, in the order they run. They are what --only takes and what the
// JUnit testcases are called, so they never change once published.
const (
	// CheckTLSValid runs first: when the certificate is refused, every other check fails too.
	CheckTLSValid             = "tls-valid"
	CheckHandshakeEcho        = "handshake-echo"
	CheckHandshakeFreshSecret = "handshake-fresh-secret"
	CheckHandshakeNotEvent    = "handshake-not-processed"
	CheckDeliveryAccepted     = "delivery-accepted"
	CheckBatch1000            = "batch-1000"
	CheckDuplicate            = "duplicate-tolerated"
	CheckOutOfOrder           = "out-of-order"
	CheckUnknownEventKey      = "unknown-event-key"
	CheckEmptyAPIURL          = "empty-apiUrl"
	CheckSignatureRequired    = "signature-required"
	CheckStaleTimestamp       = "stale-timestamp-rejected"
	CheckLoad                 = "load"
	// CheckNo410 runs last because it judges every delivery the other checks sent.
	CheckNo410 = "no-accidental-410"
)

// Checks returns the name of every check, in the order Run runs them.
func Checks() []string {
	names := make([]string, len(suite))
	for i, c := range suite {
		names[i] = c.name
	}
	return names
}

// Config says what to check and how. Only URL is required; every other zero value means the
// default written next to it.
type Config struct {
	// URL is the hook endpoint, as it would be registered as hookUrl. Nothing else is contacted.
	URL string
	// Client sends every request; nil means one pooling enough connections for the load
	// check. Redirects are never followed,
	// whatever the client says, because Keap does not follow them.
	Client *http.Client
	// Roots verifies the certificate of an https:// URL, in tls-valid and in the default
	// Client; nil means the system's roots. Certificates are always verified.
	Roots *x509.CertPool
	// Signing signs every delivery the checks send and enables the signature checks.
	// The zero value signs nothing and skips them.
	Signing signature.Config
	// Timeout bounds each request; 0 means keap.AttemptTimeout (30 s), Keap's own limit.
	Timeout time.Duration
	// SlowAfter is when batch-1000 warns that an answer was slow; 0 means a third of Timeout.
	SlowAfter time.Duration
	// Only names the checks to run (see Checks); empty means all of them.
	Only []string
	// Load enables the load check; the zero value skips it.
	Load Load
	// Serial runs the checks one after another instead of at the same time, for an endpoint
	// that takes one request at a time (a dev server, a function with a concurrency of one).
	// A run may then take one Timeout a check.
	Serial bool
	// APIBaseURL is put in the apiUrl of object keys, as Keap puts its own API there;
	// "" means keap.DefaultBaseURL. Point it at a mock Keap so follow-up GETs work offline.
	APIBaseURL string
	// Now reads the clock for timestamps, signatures and latencies; nil means time.Now. It
	// must be safe for concurrent use (the load check calls it from many goroutines).
	// An answer that Now says took longer than Timeout counts as a timeout.
	Now func() time.Time
	// Rand supplies handshake secrets, object ids and message ids; nil means crypto/rand.
	Rand io.Reader
	// Observe, when set, is called with each verdict, in the suite's order, as soon as its
	// check and every check before it have ended, on the goroutine that called Run, so a
	// command can show progress during a long run.
	Observe func(Result)
}

// ErrLoadNeedsRate: the load check was named in Only but no Load.Rate was given.
var ErrLoadNeedsRate = errors.New("the load check needs a rate of deliveries a second")

// Deadline bounds a whole run: each request may take Timeout, and no check waits for more
// than one silent request, so the checks before load end within two Timeouts (the first
// check alone, then the others at once), or one Timeout a check when Serial; load adds its
// duration and one Timeout for its last answers.
func (c Config) Deadline() time.Duration {
	c = c.withDefaults()
	d := 2 * c.Timeout
	if c.Serial {
		d = time.Duration(len(suite)) * c.Timeout
	}
	if c.Load.Enabled() {
		d += c.Load.withDefaults().For + c.Timeout
	}
	return d
}

// Validate reports a Config Run cannot use, in words fit for a command-line error.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("the endpoint %q is not an absolute http:// or https:// URL", keap.ShownURL(c.URL))
	}
	if c.Timeout < 0 || c.SlowAfter < 0 {
		return errors.New("timeouts cannot be negative")
	}
	names, err := canonicalNames(c.Only)
	if err != nil {
		return err
	}
	if slices.Contains(names, CheckLoad) && !c.Load.Enabled() {
		return ErrLoadNeedsRate
	}
	if err := c.Signing.Validate(); err != nil {
		return err
	}
	return c.Load.Validate()
}

// withDefaults fills every zero field with its default.
func (c Config) withDefaults() Config {
	if c.Client == nil {
		// The mock's own sender keeps an idle connection for every request the load check
		// may have in flight; a plain client keeps two, and opens (and leaves in TIME_WAIT)
		// a new connection for nearly every delivery once the endpoint answers slowly.
		c.Client = delivery.NewHTTPClientTrusting(maxInFlight, c.Roots)
	}
	if c.Timeout == 0 {
		c.Timeout = keap.AttemptTimeout
	}
	if c.SlowAfter == 0 {
		c.SlowAfter = c.Timeout / 3
	}
	if c.APIBaseURL == "" {
		c.APIBaseURL = keap.DefaultBaseURL
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	return c
}

// signing reports whether deliveries are signed, i.e. whether the signature checks apply.
func (c Config) signing() bool {
	return c.Signing.Scheme != "" && c.Signing.Scheme != signature.None
}
