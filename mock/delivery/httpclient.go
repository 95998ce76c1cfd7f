package delivery

import (
	"crypto/x509"
	"net"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
)

// NewHTTPClient returns the client the engine sends with when Config.Sender is nil: many
// idle connections per host (every worker may be posting to the same receiver), no
// redirects followed (a 3xx is an answer, which Keap's 200-399 policy counts as success),
// and no overall client timeout (the engine times each attempt itself). https:// hooks are
// verified against the system's roots.
func NewHTTPClient(workers int) *http.Client {
	return NewHTTPClientTrusting(workers, nil)
}

// NewHTTPClientTrusting is NewHTTPClient verifying https:// hooks against roots instead (nil:
// the system's), at TLS 1.2 or newer. There is no way to skip verification: a receiver with
// a private CA is reached by adding that CA to roots.
func NewHTTPClientTrusting(workers int, roots *x509.CertPool) *http.Client {
	if workers <= 0 {
		workers = DefaultWorkers
	}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4 * workers,
		MaxIdleConnsPerHost:   workers,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       localca.ClientConfig(roots),
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
