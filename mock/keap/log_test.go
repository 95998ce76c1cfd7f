package keap_test

import (
	"io"
	"log"
)

// quietLog swallows the "TLS handshake error" lines a test server logs on purpose.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }
