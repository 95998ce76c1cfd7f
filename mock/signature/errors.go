package signature

import "errors"

// The kinds of verification failure. Errors returned by Config.Verify wrap exactly one of
// these, so callers branch with errors.Is and show Error() to people.
var (
	// ErrMissing: no signature header, or (standard) no webhook-id or webhook-timestamp,
	// or a webhook-signature holding no v1 entry.
	ErrMissing = errors.New("signature missing")
	// ErrMismatch: a signature is present but no configured secret produced it.
	ErrMismatch = errors.New("signature mismatch")
	// ErrStale: (standard) the timestamp is further than the tolerance from now.
	ErrStale = errors.New("signature timestamp outside tolerance")
	// ErrMalformed: a header value cannot be parsed at all.
	ErrMalformed = errors.New("signature header malformed")
)

// verifyError pairs a sentinel with a sentence for people. The sentence is built only from
// header names, lengths and the received timestamp: never from a secret or from a signature
// we computed, since showing the expected value would let anyone forge the next one.
type verifyError struct {
	kind error
	msg  string
}

func (e *verifyError) Error() string { return "signature: " + e.msg }
func (e *verifyError) Unwrap() error { return e.kind }

func fail(kind error, msg string) error { return &verifyError{kind: kind, msg: msg} }
