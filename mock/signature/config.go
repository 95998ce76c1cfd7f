package signature

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Config says how deliveries are signed and verified. The zero Config signs nothing and
// accepts everything. Fields that do not apply to the chosen scheme are ignored, so one
// Config can be built from every flag without caring which scheme was picked.
type Config struct {
	Scheme Scheme
	// Secrets: for hmac-hex, raw secrets (the first signs, any verifies); for standard,
	// "whsec_<base64 key>" secrets, each of which signs (space-separated signatures, for
	// rotation) and any one of which verifies.
	Secrets []string
	// Header is where hmac-hex puts its signature; "" means DefaultHMACHeader.
	Header string
	// Tolerance bounds how far a standard timestamp may be from now; 0 means DefaultTolerance.
	Tolerance time.Duration
}

// Validate reports a Config that could not sign or verify, in words fit for a flag error.
// It never quotes a secret.
func (c Config) Validate() error {
	_, err := c.keys()
	return err
}

// keys validates c and returns its decoded standard keys (nil for the other schemes), so
// that Sign and Verify decode each secret once: to validate it is to decode it.
func (c Config) keys() ([][]byte, error) {
	switch c.Scheme {
	case "", None:
		return nil, nil
	case HMACHex:
		if err := c.checkSecretsPresent(); err != nil {
			return nil, err
		}
		if c.Header != "" && !isToken(c.Header) {
			return nil, fmt.Errorf("signature: header name %q is not a valid HTTP header name", c.Header)
		}
		return nil, nil
	case Standard:
		if err := c.checkSecretsPresent(); err != nil {
			return nil, err
		}
		if c.Tolerance < 0 {
			return nil, fmt.Errorf("signature: tolerance %s is negative", c.Tolerance)
		}
		return c.standardKeys()
	default:
		return nil, fmt.Errorf("signature: unknown scheme %q (valid: %s)", string(c.Scheme), validSchemes())
	}
}

func (c Config) checkSecretsPresent() error {
	if len(c.Secrets) == 0 {
		return fmt.Errorf("signature: scheme %s needs at least one secret", c.Scheme)
	}
	for i, s := range c.Secrets {
		if s == "" {
			return fmt.Errorf("signature: secret %d of %d is empty", i+1, len(c.Secrets))
		}
	}
	return nil
}

// standardKeys decodes every whsec_ secret, in order.
func (c Config) standardKeys() ([][]byte, error) {
	keys := make([][]byte, len(c.Secrets))
	for i, s := range c.Secrets {
		key, err := ParseStandardSecret(s)
		if err != nil {
			return nil, fmt.Errorf("signature: secret %d of %d: %w", i+1, len(c.Secrets), err)
		}
		keys[i] = key
	}
	return keys, nil
}

// Sign sets the signature headers on h for a delivery of body sent at now. msgID is the
// delivery's unique id; only standard uses it. With None (or the zero Config) it does nothing.
func (c Config) Sign(h http.Header, msgID string, now time.Time, body []byte) error {
	keys, err := c.keys()
	if err != nil {
		return err
	}
	switch c.Scheme {
	case HMACHex:
		h.Set(c.hmacHeader(), HexHMAC([]byte(c.Secrets[0]), body))
		return nil
	case Standard:
		return signStandard(h, keys, msgID, now, body)
	}
	return nil
}

// Verify checks the signature headers in h against body at now. With None (or the zero
// Config) it always succeeds. A failure wraps ErrMissing, ErrMismatch, ErrStale or
// ErrMalformed; an invalid Config is reported as Validate reports it.
func (c Config) Verify(h http.Header, body []byte, now time.Time) error {
	keys, err := c.keys()
	if err != nil {
		return err
	}
	switch c.Scheme {
	case HMACHex:
		return c.verifyHMAC(h, body)
	case Standard:
		return c.verifyStandard(h, keys, body, now)
	}
	return nil
}

// SignatureHeader is the header c's signature travels in ("" when c signs nothing).
func (c Config) SignatureHeader() string {
	switch c.Scheme {
	case Standard:
		return HeaderWebhookSignature
	case HMACHex:
		return c.hmacHeader()
	}
	return ""
}

func (c Config) hmacHeader() string {
	if c.Header == "" {
		return DefaultHMACHeader
	}
	return c.Header
}

func (c Config) tolerance() time.Duration {
	if c.Tolerance == 0 {
		return DefaultTolerance
	}
	return c.Tolerance
}

// isToken reports whether s is a valid HTTP header name (an RFC 9110 token). Checked here
// because net/http would otherwise drop or reject the header far from the flag that set it.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		alnum := b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
		if !alnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(b)) {
			return false
		}
	}
	return true
}
