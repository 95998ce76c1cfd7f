// Package signature signs and verifies webhook deliveries.
//
// Keap itself signs nothing; signing is this project's addition so that a receiver can be
// built and tested against the two schemes it is most likely to meet elsewhere:
//
//   - hmac-hex: one header holding hex(HMAC-SHA256(secret, raw body)), as resthooks.org
//     suggests with X-Hook-Signature.
//   - standard: Standard Webhooks v1 (webhook-id, webhook-timestamp, webhook-signature).
//
// Everything here is pure: no I/O and no clock reads. The time and the randomness are passed
// in, so the mock, the relay and the contract checks all agree on one implementation and
// tests can pin every input.
package signature

import (
	"fmt"
	"strings"
	"time"
)

// Scheme names a way of signing deliveries.
type Scheme string

// The schemes a Config can use.
const (
	None     Scheme = "none"
	HMACHex  Scheme = "hmac-hex"
	Standard Scheme = "standard"
)

// schemes lists every valid scheme, in the order help texts show them.
var schemes = []Scheme{None, HMACHex, Standard}

// DefaultHMACHeader is where hmac-hex puts its signature unless Config.Header says otherwise.
const DefaultHMACHeader = "X-Hook-Signature"

// The Standard Webhooks headers.
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// DefaultTolerance is how far a Standard Webhooks timestamp may be from now, either way;
// five minutes is what the Standard Webhooks libraries use.
const DefaultTolerance = 5 * time.Minute

// ParseScheme reads a scheme name as typed on a command line. Case and surrounding space are
// ignored because flags and environment variables are typed by people; "" means None.
func ParseScheme(s string) (Scheme, error) {
	name := Scheme(strings.ToLower(strings.TrimSpace(s)))
	if name == "" {
		return None, nil
	}
	for _, known := range schemes {
		if name == known {
			return known, nil
		}
	}
	return "", fmt.Errorf("signature: unknown scheme %q (valid: %s)", s, validSchemes())
}

func validSchemes() string {
	names := make([]string, len(schemes))
	for i, s := range schemes {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
