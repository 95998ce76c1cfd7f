package contract

import (
	"context"
	"fmt"
	"net/http"

	"github.com/keaphook/keaphook/mock/keap"
)

// stayUnverified is what Keap does with a handshake that fails.
const stayUnverified = "Keap would leave the hook Unverified and deliver nothing to it"

// handshakeVerdict is the judgement of one handshake answer.
type handshakeVerdict struct {
	ok  bool
	msg string
	fix string
}

// handshake sends what Keap sends to verify a hook: a POST of {} with a fresh X-Hook-Secret.
// It is never signed: Keap signs nothing, and receivers answer it before looking at a body.
func (r *runner) handshake(ctx context.Context, secret string) exchange {
	h := http.Header{}
	h.Set(keap.HeaderHookSecret, secret)
	return r.post(ctx, []byte("{}"), h)
}

// judgeHandshake judges an answer to a handshake carrying secret the way Keap does: only a
// 200 with the same X-Hook-Secret header verifies. earlier are the secrets of previous
// handshakes, to recognise an endpoint that caches the first one it saw.
func judgeHandshake(status int, header http.Header, body []byte, secret string, earlier ...string) handshakeVerdict {
	const headerFix = "copy the X-Hook-Secret request header into an X-Hook-Secret response header and answer 200, before anything else"
	switch keap.JudgeHandshake(status, header, body, secret) {
	case keap.HandshakeRedirected:
		return handshakeVerdict{msg: fmt.Sprintf("The handshake was answered %s, a redirect to %q; Keap does not follow redirects, so %s.",
			statusText(status), header.Get("Location"), stayUnverified),
			fix: "register the final URL as hookUrl (the scheme, host and trailing slash the server redirects to)"}
	case keap.HandshakeNotOK:
		return handshakeVerdict{msg: fmt.Sprintf("The handshake was answered %s; Keap verifies a hook only on exactly 200, so %s.",
			statusText(status), stayUnverified), fix: headerFix}
	case keap.HandshakeSecretInBody:
		return handshakeVerdict{msg: "The handshake was answered 200 with the secret in the response body instead of the X-Hook-Secret response header; Keap reads only the header, so " + stayUnverified + ".",
			fix: "send the secret back as the X-Hook-Secret response header, not in the body"}
	case keap.HandshakeNoEcho:
		return handshakeVerdict{msg: "The handshake was answered 200 without an X-Hook-Secret response header, so " + stayUnverified + ".", fix: headerFix}
	case keap.HandshakeManyEchoes:
		n := len(header.Values(keap.HeaderHookSecret))
		return handshakeVerdict{msg: fmt.Sprintf("The handshake was answered 200 with %d X-Hook-Secret headers instead of one, so %s.", n, stayUnverified), fix: headerFix}
	case keap.HandshakeVerified:
		return handshakeVerdict{ok: true, msg: "The handshake was answered 200 with the X-Hook-Secret echoed, so Keap would mark the hook Verified."}
	}
	echo := header.Get(keap.HeaderHookSecret)
	for _, old := range earlier {
		if keap.SameSecret(echo, old) {
			return handshakeVerdict{
				msg: "The second handshake was answered with the secret of the first: the endpoint keeps the first secret it saw, but Keap sends a fresh one on every verify and after every hookUrl change, so re-verifying would fail and the hook would stay Unverified or Inactive.",
				fix: "echo the X-Hook-Secret of each request; never store and replay an earlier one"}
		}
	}
	return handshakeVerdict{msg: "The handshake was answered 200 with an X-Hook-Secret header holding a different value than the one sent, so " + stayUnverified + ".",
		fix: "echo the exact value received in this request's X-Hook-Secret header (no trimming, quoting or re-encoding)"}
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// handshakeResult turns a handshake exchange into a Result: unreachable, or judged.
func (r *runner) handshakeResult(x exchange, secret string, earlier ...string) Result {
	if !x.answered() {
		msg, fix := r.unreachable(x, "The handshake", stayUnverified)
		return Result{Status: Failed, Message: msg, Fix: fix}
	}
	v := judgeHandshake(x.status, x.header, x.body, secret, earlier...)
	if v.ok {
		return Result{Status: Passed, Message: v.msg}
	}
	return Result{Status: Failed, Message: v.msg, Fix: v.fix}
}

func (r *runner) newSecret() string { return r.randomHex(32) }

func (r *runner) checkHandshakeEcho(ctx context.Context) Result {
	secret := r.newSecret()
	return r.handshakeResult(r.handshake(ctx, secret), secret)
}

// checkFreshSecret sends two handshakes with different secrets and judges the second.
func (r *runner) checkFreshSecret(ctx context.Context) Result {
	first, second := r.newSecret(), r.newSecret()
	if x := r.handshake(ctx, first); !x.answered() {
		return r.handshakeResult(x, first) // the second would wait in vain too
	}
	res := r.handshakeResult(r.handshake(ctx, second), second, first)
	if res.Status == Passed {
		res.Message = "A second handshake with a different secret got the new secret echoed, so Keap could re-verify the hook after it goes Inactive or its URL changes."
	}
	return res
}

// checkHandshakeNotEvent catches endpoints that parse the handshake's {} as a delivery and
// fail on it because it has no object_keys.
func (r *runner) checkHandshakeNotEvent(ctx context.Context) Result {
	x := r.handshake(ctx, r.newSecret())
	if !x.answered() {
		msg, fix := r.unreachable(x, "The handshake", stayUnverified)
		return Result{Status: Failed, Message: msg, Fix: fix}
	}
	if x.status >= 400 {
		return Result{Status: Failed,
			Message: fmt.Sprintf("The handshake's {} body was answered %s, as if it were parsed as a delivery; it has no event_key or object_keys, and the failed handshake means %s.", statusText(x.status), stayUnverified),
			Fix:     "check for the X-Hook-Secret header first and answer the handshake before decoding the body as an event"}
	}
	return Result{Status: Passed, Message: fmt.Sprintf("The handshake's {} body was answered %s, not treated as a delivery.", statusText(x.status))}
}
