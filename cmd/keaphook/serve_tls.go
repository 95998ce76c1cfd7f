package main

import (
	"fmt"
	"log"
	"log/slog"
	"strings"
)

// tlsErrorLog turns the "http: TLS handshake error from ADDR: WHY" lines a server over TLS
// writes, when a client refuses its certificate or speaks no TLS, into the command's log,
// saying which CA such a client must trust.
func tlsErrorLog(l *slog.Logger, caPath string) *log.Logger {
	return log.New(serverErrorWriter{l, caPath}, "", 0)
}

type serverErrorWriter struct {
	log    *slog.Logger
	caPath string
}

func (w serverErrorWriter) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	from, why, ok := strings.Cut(strings.TrimPrefix(line, "http: TLS handshake error from "), ": ")
	if !ok || !strings.HasPrefix(line, "http: TLS handshake error from ") {
		w.log.Warn(line)
		return len(p), nil
	}
	advice := fmt.Sprintf("a client that refuses the certificate must trust the CA certificate %s", w.caPath)
	if strings.Contains(why, "HTTP request to an HTTPS server") {
		advice = "this server speaks HTTPS: use an https:// URL"
	}
	w.log.Warn(fmt.Sprintf("TLS handshake from %s failed (%s); %s", from, why, advice), "from", from)
	return len(p), nil
}
