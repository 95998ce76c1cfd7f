package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"syscall"
	"time"
)

// Server timeouts: a client that trickles its request cannot hold a handler for ever. There
// is no write timeout, because POST /_mock/clock/advance rightly takes as long as the
// receivers it waits for.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
)

// listenError says why addr cannot be listened on and, for a busy address, what to do.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("cannot listen on %s: the address is already in use (another keaphook, or another program?); stop it or choose another with --addr", addr)
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return fmt.Errorf("cannot listen on %s: %v", addr, op.Err)
	}
	return err
}

// serve runs an HTTP server on ln until ctx is cancelled, then shuts it down gracefully.
// onShutdown functions run as the shutdown starts: they end long-lived requests (the
// inspectors' event streams), which a graceful shutdown would otherwise wait for.
func serve(ctx context.Context, ln net.Listener, h http.Handler, onShutdown ...func()) error {
	return serveLogging(ctx, ln, h, nil, onShutdown...)
}

// serveLogging is serve with the server's own error lines (a refused TLS handshake, say)
// going to errorLog; nil means the standard logger.
func serveLogging(ctx context.Context, ln net.Listener, h http.Handler, errorLog *log.Logger, onShutdown ...func()) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout, IdleTimeout: idleTimeout,
		ErrorLog: errorLog}
	for _, f := range onShutdown {
		srv.RegisterOnShutdown(f)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
