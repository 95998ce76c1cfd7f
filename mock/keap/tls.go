package keap

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// TLSFault is what went wrong with TLS on the way to an https:// URL, as a sender that
// verifies certificates sees it; TLSNoFault when an error is about something else.
type TLSFault int

// The TLS failures a sender tells apart.
const (
	// TLSNoFault: the error is not a TLS failure.
	TLSNoFault TLSFault = iota
	// TLSUnknownAuthority: the certificate chains to no trusted root (self-signed, or
	// signed by a private CA the sender was not given).
	TLSUnknownAuthority
	// TLSNameMismatch: the certificate is valid, but not for the URL's host.
	TLSNameMismatch
	// TLSExpired: the certificate's validity ended.
	TLSExpired
	// TLSNotYetValid: the certificate's validity has not begun (often a clock that is wrong).
	TLSNotYetValid
	// TLSPlainHTTP: the server answered in plain HTTP on the port the URL says speaks TLS.
	TLSPlainHTTP
	// TLSNotTLS: the server answered with bytes that are neither TLS nor HTTP.
	TLSNotTLS
)

// JudgeTLS says which TLS failure err is, looking through any wrapping (url.Error,
// tls.CertificateVerificationError).
func JudgeTLS(err error) TLSFault {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
	)
	switch {
	case err == nil:
		return TLSNoFault
	case errors.As(err, &unknown):
		return TLSUnknownAuthority
	case errors.As(err, &hostname):
		return TLSNameMismatch
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		if strings.Contains(invalid.Detail, "is before") {
			return TLSNotYetValid
		}
		return TLSExpired
	case errors.Is(err, http.ErrSchemeMismatch):
		return TLSPlainHTTP // net/http's rewording of a RecordHeaderError that starts "HTTP/"
	case errors.As(err, &record):
		if string(record.RecordHeader[:]) == "HTTP/" {
			return TLSPlainHTTP
		}
		return TLSNotTLS
	}
	return TLSNoFault
}

// TLSReason says in words what is wrong, for a person who must fix the server or trust its
// CA: "the certificate for 127.0.0.1 is signed by an unknown authority (...)". It is "" when
// err is no TLS failure. host is the URL's host, for the sentences the error alone cannot
// complete.
func TLSReason(err error, host string) string {
	switch JudgeTLS(err) {
	case TLSUnknownAuthority:
		return unknownAuthorityReason(err, host)
	case TLSNameMismatch:
		var he x509.HostnameError
		errors.As(err, &he)
		return fmt.Sprintf("the certificate's name does not match: it is for %s, not for %s", certNames(he.Certificate), host)
	case TLSExpired:
		var ie x509.CertificateInvalidError
		errors.As(err, &ie)
		return fmt.Sprintf("the certificate of %s expired on %s", host, ie.Cert.NotAfter.UTC().Format(time.DateTime+" MST"))
	case TLSNotYetValid:
		var ie x509.CertificateInvalidError
		errors.As(err, &ie)
		return fmt.Sprintf("the certificate of %s is not valid until %s (is a clock wrong?)", host, ie.Cert.NotBefore.UTC().Format(time.DateTime+" MST"))
	case TLSPlainHTTP:
		return fmt.Sprintf("%s answered in plain HTTP on a port the https:// URL says speaks TLS: use http:// for this server or serve HTTPS there", host)
	case TLSNotTLS:
		return fmt.Sprintf("%s did not answer in TLS on a port the https:// URL says speaks TLS", host)
	}
	return ""
}

func unknownAuthorityReason(err error, host string) string {
	var ue x509.UnknownAuthorityError
	errors.As(err, &ue)
	switch {
	case ue.Cert == nil:
		return fmt.Sprintf("the certificate of %s is signed by an unknown authority", host)
	case ue.Cert.Subject.String() == ue.Cert.Issuer.String():
		return fmt.Sprintf("the certificate of %s is signed by an unknown authority: it is self-signed", host)
	}
	return fmt.Sprintf("the certificate of %s is signed by an unknown authority: its issuer %q is not a trusted CA", host, issuerName(ue.Cert))
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

// certNames lists the names a certificate is valid for: "localhost and 127.0.0.1".
func certNames(c *x509.Certificate) string {
	if c == nil {
		return "other names"
	}
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	switch len(names) {
	case 0:
		return "no host name at all"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
