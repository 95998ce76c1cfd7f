package localca

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
)

// ClientConfig is the TLS configuration of every keaphook client (the mock's deliveries and
// handshakes, the relay's forwards, the commands' calls): certificates verified against roots
// (nil: the system's), at TLS 1.2 or newer. There is no way to skip verification: a private
// CA is trusted by adding it to roots. Each call returns a new Config, which the caller may
// adjust.
func ClientConfig(roots *x509.CertPool) *tls.Config {
	return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
}

// Transport is Go's default transport, verifying certificates as ClientConfig does. Each call
// returns a new Transport, which the caller may adjust (idle connections, for one).
func Transport(roots *x509.CertPool) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = ClientConfig(roots)
	return tr
}

// Roots is the system's trusted roots plus every certificate in pems (PEM bundles, each named
// by the caller for errors, e.g. by file path). A bundle with no certificate in it is an
// error rather than silently trusting nothing new.
func Roots(pems map[string][]byte) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool() // no system roots here: only what was given is trusted
	}
	for name, data := range pems {
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("%s: %w", name, errNoCertificate)
		}
	}
	return pool, nil
}
