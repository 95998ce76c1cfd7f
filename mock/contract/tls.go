package contract

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// expiryWarning is how close to its end a certificate makes tls-valid warn: renewals that
// are automated happen well before it, so a certificate this close is likely forgotten.
const expiryWarning = 30 * 24 * time.Hour

// checkTLSValid makes a TLS handshake with an https:// endpoint the way a sender that
// verifies certificates does, and judges the certificate and the protocol version.
func (r *runner) checkTLSValid(ctx context.Context) Result {
	u, _ := url.Parse(r.cfg.URL)
	if u.Scheme != "https" {
		return Result{Status: Skipped, Message: "Not checked: the endpoint is http://, and certificates only matter for https:// URLs (which Keap's production receivers and senders that require HTTPS use)."}
	}
	state, err := r.dialTLS(ctx, u)
	if err != nil {
		// Every other check would fail the same way: counted as a silence, they are not run.
		r.heard(exchange{err: err})
		return r.tlsFailure(err, u.Hostname())
	}
	return judgeConnection(state, u.Hostname(), r.cfg.Now())
}

// dialTLS connects to u's host and makes a TLS handshake verified against Config.Roots,
// accepting versions below 1.2 so that they can be named rather than just refused.
func (r *runner) dialTLS(ctx context.Context, u *url.URL) (tls.ConnectionState, error) {
	port := u.Port()
	if port == "" {
		port = "443"
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{
		RootCAs: r.cfg.Roots, ServerName: u.Hostname(), MinVersion: tls.VersionTLS10, Time: r.cfg.Now,
	}}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer conn.Close()
	return conn.(*tls.Conn).ConnectionState(), nil
}

// tlsFailure explains a handshake that failed: a certificate Keap would refuse, or no
// answer at all.
func (r *runner) tlsFailure(err error, host string) Result {
	reason := keap.TLSReason(err, host)
	if reason == "" {
		msg, fix := r.unreachable(exchange{err: err, timedOut: keap.JudgeNoAnswer(err) == keap.NoAnswerTimeout}, "The TLS handshake", stayUnverified)
		return Result{Status: Failed, Message: msg, Fix: fix}
	}
	fix := "serve a certificate for this host from a public CA, with its intermediate certificates"
	switch keap.JudgeTLS(err) {
	case keap.TLSUnknownAuthority:
		fix += "; for a local test CA, trust its certificate file"
	case keap.TLSExpired, keap.TLSNotYetValid:
		fix = "renew the certificate and automate its renewal (ACME, e.g. Let's Encrypt), and check the server's clock"
	case keap.TLSPlainHTTP, keap.TLSNotTLS:
		fix = "serve HTTPS on this port, or register an http:// URL where the sender allows it"
	}
	return Result{Status: Failed, Message: fmt.Sprintf("The TLS handshake failed: %s; %s.", reason, stayUnverified), Fix: fix}
}

// judgeConnection judges a verified TLS connection: its version and how long the
// certificate chain stays valid.
func judgeConnection(state tls.ConnectionState, host string, now time.Time) Result {
	if state.Version < tls.VersionTLS12 {
		return Result{Status: Failed,
			Message: fmt.Sprintf("The endpoint speaks %s; Keap and current senders need TLS 1.2 or newer and would refuse it.", tls.VersionName(state.Version)),
			Fix:     "enable TLS 1.2 and 1.3 on the server and disable the older versions"}
	}
	leaf, ends := earliestEnd(state)
	if left := ends.Sub(now); left < expiryWarning {
		return Result{Status: Warned,
			Message: fmt.Sprintf("The certificate chain of %s expires on %s, in %s.", host, ends.UTC().Format(time.DateOnly), days(left)),
			Fix:     "renew the certificate now and automate its renewal (ACME, e.g. Let's Encrypt)"}
	}
	return Result{Status: Passed, Message: fmt.Sprintf("The certificate of %s is valid until %s, issued by %q, over %s.",
		host, ends.UTC().Format(time.DateOnly), leaf.Issuer.CommonName, tls.VersionName(state.Version))}
}

// earliestEnd is the leaf and the first NotAfter of the verified chain: when the chain stops
// verifying.
func earliestEnd(state tls.ConnectionState) (*x509.Certificate, time.Time) {
	chain := state.PeerCertificates
	if len(state.VerifiedChains) > 0 {
		chain = state.VerifiedChains[0]
	}
	ends := chain[0].NotAfter
	for _, c := range chain[1:] {
		if c.NotAfter.Before(ends) {
			ends = c.NotAfter
		}
	}
	return chain[0], ends
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
