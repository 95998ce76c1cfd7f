package signature

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// HexHMAC returns hex(HMAC-SHA256(secret, body)), the hmac-hex signature of body.
func HexHMAC(secret, body []byte) string {
	return hex.EncodeToString(hmacSHA256(secret, body))
}

func hmacSHA256(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// verifyHMAC accepts the header when any configured secret produced it. The received value
// is decoded and compared as bytes with hmac.Equal, so upper- and lower-case hex both pass
// and the comparison takes the same time however many leading bytes match.
func (c Config) verifyHMAC(h http.Header, body []byte) error {
	name := c.hmacHeader()
	if len(h.Values(name)) == 0 {
		return fail(ErrMissing, fmt.Sprintf("%s header is missing", name))
	}
	value := strings.TrimSpace(h.Get(name))
	if value == "" {
		return fail(ErrMissing, fmt.Sprintf("%s header is empty", name))
	}
	got, err := hex.DecodeString(value)
	if err != nil || len(got) != sha256.Size {
		return fail(ErrMalformed, fmt.Sprintf(
			"%s header is not %d hexadecimal characters (got %d characters)",
			name, 2*sha256.Size, len(value)))
	}
	for _, secret := range c.Secrets {
		if hmac.Equal(got, hmacSHA256([]byte(secret), body)) {
			return nil
		}
	}
	return fail(ErrMismatch, fmt.Sprintf(
		"%s header does not match the body signed with any of the %d configured secret(s)",
		name, len(c.Secrets)))
}
