package keap

import (
	"bytes"
	"crypto/subtle"
	"net/http"
)

// HandshakeFault is what is wrong with an answer to the X-Hook-Secret handshake, judged as
// Keap judges it; HandshakeVerified when nothing is.
type HandshakeFault int

// The ways an answer to the handshake can turn out, in the order they are judged.
const (
	// HandshakeVerified: 200 with exactly the secret echoed in one X-Hook-Secret header.
	HandshakeVerified HandshakeFault = iota
	// HandshakeRedirected: a 3xx; Keap does not follow redirects.
	HandshakeRedirected
	// HandshakeNotOK: a status other than 200.
	HandshakeNotOK
	// HandshakeSecretInBody: 200 without the header, but the secret in the response body.
	HandshakeSecretInBody
	// HandshakeNoEcho: 200 without an X-Hook-Secret response header.
	HandshakeNoEcho
	// HandshakeManyEchoes: 200 with more than one X-Hook-Secret header.
	HandshakeManyEchoes
	// HandshakeWrongEcho: 200 with one X-Hook-Secret header holding another value.
	HandshakeWrongEcho
)

// JudgeHandshake says whether an answer to a handshake that carried secret verifies the hook:
// only a 200 whose X-Hook-Secret response header is exactly the secret does. body is as much
// of the response body as the caller read, to recognise a secret echoed in the wrong place.
func JudgeHandshake(status int, header http.Header, body []byte, secret string) HandshakeFault {
	echo, echoed := header[http.CanonicalHeaderKey(HeaderHookSecret)]
	switch {
	case status >= 300 && status < 400:
		return HandshakeRedirected
	case status != http.StatusOK:
		return HandshakeNotOK
	case !echoed && secret != "" && bytes.Contains(body, []byte(secret)):
		return HandshakeSecretInBody
	case !echoed:
		return HandshakeNoEcho
	case len(echo) != 1:
		return HandshakeManyEchoes
	case !SameSecret(echo[0], secret):
		return HandshakeWrongEcho
	}
	return HandshakeVerified
}

// SameSecret compares two handshake secrets in constant time.
func SameSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
