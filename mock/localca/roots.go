package localca

import (
	"crypto/x509"
	"fmt"
)

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
