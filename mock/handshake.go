package mock

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/localca"
)

// handshakeResult is the outcome of one intent-verification POST to a hookUrl.
type handshakeResult struct {
	ok      bool
	status  int           // the HTTP status received, 0 when there was no answer
	elapsed time.Duration // how long the hookUrl took
	reason  string        // on failure: why, in plain words, with what to do about it
}

// handshake POSTs {} to hookURL with X-Hook-Secret: secret and judges the answer as Keap does:
// only a 200 that echoes the same header and value verifies. Redirects are not followed.
func (s *Server) handshake(ctx context.Context, hookURL, secret string) handshakeResult {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.handshakeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hookURL, strings.NewReader("{}"))
	if err != nil {
		return handshakeResult{reason: fmt.Sprintf("hookUrl cannot be requested: %v", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "keaphook-mock")
	req.Header.Set(keap.HeaderHookSecret, secret)

	start := time.Now()
	resp, err := s.handshakeClient.Do(req)
	res := handshakeResult{elapsed: time.Since(start)}
	if err != nil {
		res.reason = s.unreachableReason(keap.ShownURL(hookURL), err)
		return res
	}
	defer resp.Body.Close()
	// Read a little of the body: enough to tell a secret echoed in the wrong place.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	res.status = resp.StatusCode
	res.ok, res.reason = judgeHandshake(resp, body, secret)
	return res
}

// judgeHandshake says why an answer does not verify the hook, in the mock's words; "" when it does.
func judgeHandshake(resp *http.Response, body []byte, secret string) (bool, string) {
	switch keap.JudgeHandshake(resp.StatusCode, resp.Header, body, secret) {
	case keap.HandshakeRedirected:
		return false, fmt.Sprintf("hookUrl answered %s redirecting to %q; Keap does not follow redirects: register the final URL as hookUrl",
			resp.Status, resp.Header.Get("Location"))
	case keap.HandshakeNotOK:
		return false, fmt.Sprintf("hookUrl answered %s; the handshake needs a 200 with the X-Hook-Secret request header echoed as a response header", resp.Status)
	case keap.HandshakeSecretInBody:
		return false, "hookUrl answered 200 with the secret in the response body; Keap only looks at the response headers: set the X-Hook-Secret response header to the value received"
	case keap.HandshakeNoEcho:
		return false, "hookUrl answered 200 but did not echo the X-Hook-Secret header (it must be a response header with the same value)"
	case keap.HandshakeManyEchoes:
		return false, "hookUrl answered 200 with several X-Hook-Secret headers; send exactly one, holding the value received"
	case keap.HandshakeWrongEcho:
		return false, "hookUrl answered 200 and sent an X-Hook-Secret header, but not the value of this request; echo the value received in this very request (each handshake uses a fresh secret)"
	}
	return true, ""
}

func (s *Server) unreachableReason(hookURL string, err error) string {
	switch keap.JudgeNoAnswer(err) {
	case keap.NoAnswerTimeout:
		return fmt.Sprintf("hookUrl did not answer within %s; answer the handshake at once, before any slow work", s.cfg.handshakeTimeout)
	case keap.NoAnswerRefused:
		return fmt.Sprintf("could not connect to %s: connection refused; is your server running and listening there?", hookURL)
	case keap.NoAnswerUnknownHost:
		return fmt.Sprintf("could not resolve the host of %s: %v", hookURL, keap.NoAnswerDetail(err))
	case keap.NoAnswerReset:
		return fmt.Sprintf("%s closed the connection without answering (%v); answer the handshake with a 200", hookURL, keap.NoAnswerDetail(err))
	case keap.NoAnswerNotTLS:
		return "TLS failed: " + keap.TLSReason(err, hostname(hookURL))
	case keap.NoAnswerCertificate:
		return "TLS failed: " + keap.TLSReason(err, hostname(hookURL)) + "; " + tlsFix
	}
	return fmt.Sprintf("could not reach %s: %v", hookURL, err)
}

// tlsFix is what to do about a certificate the mock refuses. The mock never skips
// verification: a private CA is trusted by giving it to the mock.
const tlsFix = "fix the receiver's certificate, or have the mock trust the CA that signed it"

func hostname(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return u.Hostname()
}

// handshakeTransport is the transport of handshakes: the one given, or the default one
// verifying certificates against the trusted roots.
func (c config) handshakeTransport() http.RoundTripper {
	if c.transport != nil {
		return c.transport
	}
	tr := localca.Transport(c.roots)
	tr.MaxIdleConnsPerHost = handshakeIdleConns
	return tr
}

// handshakeIdleConns is how many idle connections to one receiver the handshakes keep. Hooks
// created together mostly point at one receiver, and their handshakes come in bursts (every
// call a group commit releases at once): with net/http's default of 2, all but two of a
// burst's connections were closed and dialled again for the next.
const handshakeIdleConns = 64

func newHandshakeClient(rt http.RoundTripper) *http.Client {
	return &http.Client{
		Transport: rt,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
