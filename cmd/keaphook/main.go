// Command keaphook makes Keap REST Hooks easy to build against: a mock Keap, a receiver/relay
// with an optional ngrok tunnel, contract checks, triggers and replays.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
