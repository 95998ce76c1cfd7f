package tunnel

import (
	"crypto/tls"
	"errors"
	"strings"
)

// TLS serves HTTPS on a local listener: every connection is TLS with cfg, and PublicURL
// says https://. A listener whose URL is already https (an ngrok endpoint, which
// terminates TLS at ngrok's edge) is refused rather than wrapped twice.
func TLS(l Listener, cfg *tls.Config) (Listener, error) {
	root, ok := strings.CutPrefix(l.PublicURL(), "http://")
	if !ok {
		return nil, errors.New("tunnel: " + l.PublicURL() + " is already served over TLS")
	}
	return &local{Listener: tls.NewListener(l, cfg), url: "https://" + root}, nil
}
