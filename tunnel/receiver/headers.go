package receiver

import (
	"net/http"
	"strings"

	"github.com/keaphook/keaphook/mock/signature"
)

// hopByHop are the headers that describe one connection, not the message (RFC 9110 7.6.1),
// so a relay must not pass them on. Content-Length is recomputed for the new body.
var hopByHop = []string{
	"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Proxy-Connection",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade", "Content-Length",
}

// endToEnd returns a copy of h without hop-by-hop headers, including any that the
// Connection header names.
func endToEnd(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		return http.Header{}
	}
	for _, v := range h.Values("Connection") {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out.Del(name)
			}
		}
	}
	for _, name := range hopByHop {
		out.Del(name)
	}
	return out
}

// SignatureHeaders are the headers a signed delivery carries. A replayed delivery is sent
// later than it was signed, so these are stale and are dropped unless asked to keep them.
var SignatureHeaders = []string{
	signature.DefaultHMACHeader,
	signature.HeaderWebhookID, signature.HeaderWebhookTimestamp, signature.HeaderWebhookSignature,
}

// redactedSecret replaces the X-Hook-Secret value in recordings: it is a credential for
// delayedVerify, and a replayed handshake is sent with a fresh secret anyway.
const redactedSecret = "[redacted]"
