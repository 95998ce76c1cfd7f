package main

import (
	"context"
	"errors"
	"time"

	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/tunnel"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// cleanupTimeout bounds deleting the hooks at exit, when the run's context is already over.
const cleanupTimeout = 15 * time.Second

func runListen(ctx context.Context, e env, args []string) int {
	var f listenFlags
	fs := f.define(e)
	if code := parseFlags(fs, e, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		return usagef(e, "listen", "unexpected argument %q", fs.Arg(0))
	}
	if err := f.check(e); err != nil {
		return usagef(e, "listen", "%v", err)
	}
	sig, err := signingFlags(f.sign, f.secrets, f.sigHeader)
	if err != nil {
		return usagef(e, "listen", "%v", err)
	}
	kc, err := f.keapClient()
	if err != nil {
		return usagef(e, "listen", "--keap: %v", err)
	}
	out := newListenUI(newUI(e.stdout, e.getenv, f.json), f.verbose)
	return (&listener{f: &f, e: e, out: out, kc: kc, sig: sig}).run(ctx)
}

// listener is one run of `keaphook listen`.
type listener struct {
	f   *listenFlags
	e   env
	out *listenUI
	kc  *keapclient.Client
	sig signature.Config
	rec *receiver.FileRecorder
}

func (l *listener) run(ctx context.Context) int {
	if l.f.record != "" {
		rec, err := receiver.OpenRecording(l.f.record)
		if err != nil {
			return failf(l.e, "listen", "--record: %v", err)
		}
		defer rec.Close()
		l.rec = rec
	}
	ln, err := l.f.openListener(ctx, l.e)
	if errors.Is(err, tunnel.ErrNoAuthToken) {
		return usagef(l.e, "listen", "--tunnel ngrok: %v", err)
	}
	if errors.Is(err, tunnel.ErrNgrokTimeout) {
		return failf(l.e, "listen", "%v; check the internet connection, or allow more time with --ngrok-timeout", err)
	}
	if err != nil {
		return failf(l.e, "listen", "%v", err)
	}
	defer ln.Close()
	hooks := newHookManager(l.kc, l.out, ln.PublicURL(), l.f.delayed)
	rv, err := receiver.New(l.receiverConfig(hooks))
	if err != nil {
		return usagef(l.e, "listen", "%v", err)
	}
	serveCtx, stopServing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServing()
	served := make(chan error, 1)
	go func() { served <- serve(serveCtx, ln, rv) }()

	l.out.banner(l.f, ln.PublicURL())
	code := exitOK
	if err := hooks.register(ctx, l.f.register); err != nil {
		if ctx.Err() == nil { // not merely interrupted by Ctrl-C
			l.out.fail("registering hooks failed: %v", err)
			code = exitFailure
		}
	} else {
		l.out.ready(len(l.f.register) > 0)
		code = l.wait(ctx, served)
	}
	hooks.cleanup(context.WithoutCancel(ctx), cleanupTimeout)
	stopServing()
	<-served
	l.out.stopped()
	return code
}

// wait serves until the run is cancelled (Ctrl-C) or the listener dies (a dropped tunnel).
func (l *listener) wait(ctx context.Context, served chan error) int {
	select {
	case <-ctx.Done():
		return exitOK
	case err := <-served:
		served <- err // run waits for it again after cleanup
		l.out.fail("the relay stopped: %v", err)
		return exitFailure
	}
}

func (l *listener) receiverConfig(hooks *hookManager) receiver.Config {
	cfg := receiver.Config{
		ForwardTo: l.f.forwardTo, ForwardTimeout: l.f.forwardTimeout,
		Delayed: l.f.delayed, Signature: l.sig, MaxBody: l.f.maxBody,
		Observe: l.out.event,
	}
	if l.f.delayed {
		cfg.OnHandshake = hooks.onHandshake
	}
	if l.rec != nil {
		cfg.Recorder, cfg.FirstSeq = l.rec, l.rec.LastSeq()
	}
	if l.f.expand {
		cfg.Expand = l.kc
	}
	return cfg
}
