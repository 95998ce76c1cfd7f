package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// maxBodyRead is how much of an answer's body is read: enough to spot a handshake secret
// echoed in the wrong place, never so much that a huge answer costs memory.
const maxBodyRead = 64 << 10

// exchange is one request the suite sent and what came back.
type exchange struct {
	status   int // 0 when no answer came
	header   http.Header
	body     []byte
	err      error // why no answer came
	elapsed  time.Duration
	timedOut bool // no answer within the timeout, by the deadline or by Config.Now
}

// answered reports whether an HTTP answer arrived in time.
func (x exchange) answered() bool { return x.err == nil && !x.timedOut }

// post sends body to the endpoint with the given headers and waits for the answer, at most
// the configured timeout. It never follows a redirect: Keap does not, and following one could
// contact a host the user never named.
func (r *runner) post(ctx context.Context, body []byte, header http.Header) exchange {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return exchange{err: err}
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "keaphook-check")
	x := r.exchange(req)
	r.heard(x)
	return x
}

// exchange sends req and reads the answer.
func (r *runner) exchange(req *http.Request) exchange {
	start := r.cfg.Now()
	resp, err := r.client.Do(req)
	if err != nil {
		x := exchange{err: err, elapsed: r.cfg.Now().Sub(start)}
		x.timedOut = keap.JudgeNoAnswer(err) == keap.NoAnswerTimeout
		return x
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(io.LimitReader(resp.Body, maxBodyRead))
	// Drain a little more so the connection can be reused; a huge body is simply cut off.
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxBodyRead))
	x := exchange{status: resp.StatusCode, header: resp.Header, body: got, elapsed: r.cfg.Now().Sub(start)}
	x.timedOut = x.elapsed > r.cfg.Timeout
	return x
}

// noRedirect copies c so that it returns a redirect instead of following it, leaving the
// caller's client untouched.
func noRedirect(c *http.Client) *http.Client {
	cp := *c
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

// unreachable describes, for people, why a request got no answer, and what Keap would do.
// what is "the handshake" or "the delivery".
func (r *runner) unreachable(x exchange, what, keapDoes string) (msg, fix string) {
	if x.timedOut {
		return fmt.Sprintf("%s got no answer within %s: %s.", what, r.cfg.Timeout, keapDoes),
			"answer at once and do any slow work after responding (in a goroutine or a queue)"
	}
	switch keap.JudgeNoAnswer(x.err) {
	case keap.NoAnswerRefused:
		return fmt.Sprintf("%s was refused: nothing listens at %s, and %s.", what, keap.ShownURL(r.cfg.URL), keapDoes),
			"start the server and check the host, port and path of the URL"
	case keap.NoAnswerUnknownHost:
		return fmt.Sprintf("%s could not be sent: the host name does not resolve, and %s.", what, keapDoes),
			"check the host name of the URL"
	case keap.NoAnswerReset:
		return fmt.Sprintf("%s was cut off: the connection closed before an answer came, and %s.", what, keapDoes),
			"answer every request with a status; check the server's logs for a crash or a proxy's limits"
	case keap.NoAnswerNotTLS, keap.NoAnswerCertificate:
		return fmt.Sprintf("%s could not be sent: TLS failed: %s; %s.", what, keap.TLSReason(x.err, hostOf(r.cfg.URL)), keapDoes),
			"see the tls-valid check for what to fix"
	}
	return fmt.Sprintf("%s could not be sent (%v), and %s.", what, x.err, keapDoes),
		"check that the URL is reachable from here (TLS certificate, firewall, proxy)"
}

func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return u.Hostname()
}
