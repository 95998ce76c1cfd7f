package keap

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"
)

// NoAnswer is why a request got no HTTP answer, judged from the error the HTTP client
// returned. The mock's handshake and delivery attempts, the contract checks, the relay and
// trigger all sort their failures with JudgeNoAnswer; each keeps its own words for people.
type NoAnswer int

// The reasons, in the order they are judged. A new reason (a TLS failure, say) is a
// constant here and a case in JudgeNoAnswer; callers that do not know it yet fall back to
// their NoAnswerOther sentence, which shows the error itself.
const (
	// NoAnswerOther: none of the reasons below; the error itself says what happened.
	NoAnswerOther NoAnswer = iota
	// NoAnswerUnknownHost: the host name does not resolve.
	NoAnswerUnknownHost
	// NoAnswerCanceled: the caller gave up (Ctrl-C, shutdown) before an answer came.
	NoAnswerCanceled
	// NoAnswerTimeout: the time allowed ran out while connecting or waiting for the answer.
	NoAnswerTimeout
	// NoAnswerRefused: nothing listens at that host and port.
	NoAnswerRefused
	// NoAnswerUnreachable: no route to the host or its network.
	NoAnswerUnreachable
	// NoAnswerReset: the connection was reset or closed before a whole answer arrived.
	NoAnswerReset
	// NoAnswerNotTLS: an https URL, but the server there speaks plain HTTP (or no TLS at all).
	NoAnswerNotTLS
	// NoAnswerCertificate: the server's certificate was refused: signed by an unknown
	// authority, for another name, expired or not yet valid. JudgeTLS tells which, and
	// TLSReason says it in words.
	NoAnswerCertificate
)

// JudgeNoAnswer says why err, returned by an HTTP client (or a dialer), means no answer.
// A nil error is NoAnswerOther: there is nothing to judge.
func JudgeNoAnswer(err error) NoAnswer {
	var (
		ne     net.Error
		dnsErr *net.DNSError
	)
	switch {
	case err == nil:
		return NoAnswerOther
	case errors.As(err, &dnsErr): // before timeouts: a resolver that times out is a DNS problem
		return NoAnswerUnknownHost
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return NoAnswerTimeout
	case errors.Is(err, context.Canceled):
		return NoAnswerCanceled
	case errors.Is(err, syscall.ECONNREFUSED):
		return NoAnswerRefused
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		return NoAnswerUnreachable
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return NoAnswerReset
	}
	switch JudgeTLS(err) { // TLS failures are judged there, once
	case TLSNoFault:
		return NoAnswerOther
	case TLSPlainHTTP, TLSNotTLS:
		return NoAnswerNotTLS
	}
	return NoAnswerCertificate
}

// NoAnswerDetail is err without the "Post "http://...":" prefix the HTTP client adds, for a
// sentence that already names the URL.
func NoAnswerDetail(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}
