package signature

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
)

// standardSecretPrefix marks a Standard Webhooks secret; the rest is the base64 key.
const standardSecretPrefix = "whsec_"

// newSecretBytes is the key size NewStandardSecret draws: 192 bits, inside the 24 to 64
// bytes the Standard Webhooks specification recommends.
const newSecretBytes = 24

// ParseStandardSecret decodes a Standard Webhooks secret, "whsec_" + base64 key, into the
// key bytes. A bare base64 string is accepted too, as are unpadded base64 and surrounding
// space (secrets are pasted from dashboards and read from files ending in a newline).
// Errors never quote the secret.
func ParseStandardSecret(s string) ([]byte, error) {
	encoded := strings.TrimPrefix(strings.TrimSpace(s), standardSecretPrefix)
	if encoded == "" {
		return nil, errors.New("standard secret is empty (want whsec_ followed by a base64 key)")
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(encoded)
	}
	if err != nil {
		return nil, fmt.Errorf("standard secret is not whsec_ followed by base64 (%d characters given)", len(s))
	}
	if len(key) == 0 {
		return nil, errors.New("standard secret decodes to an empty key")
	}
	return key, nil
}

// NewStandardSecret draws a fresh key from r (crypto/rand.Reader in production) and returns
// it as a "whsec_" secret.
func NewStandardSecret(r io.Reader) (string, error) {
	key := make([]byte, newSecretBytes)
	if _, err := io.ReadFull(r, key); err != nil {
		return "", fmt.Errorf("signature: reading %d random bytes: %w", newSecretBytes, err)
	}
	return standardSecretPrefix + base64.StdEncoding.EncodeToString(key), nil
}
