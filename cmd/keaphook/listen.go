package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/tunnel"
	"github.com/keaphook/keaphook/tunnel/receiver"
	"github.com/keaphook/keaphook/tunnel/register"
)

// cleanupTimeout bounds deleting the hooks at exit, when the run's context is already over.
const cleanupTimeout = 15 * time.Second

func runListen(ctx context.Context, e env, args []string) error {
	var f listenFlags
	fs := f.define()
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if err := noArgs(args); err != nil {
		return err
	}
	if err := f.check(e); err != nil {
		return fs.usage(err)
	}
	sig, err := f.signing.config()
	if err != nil {
		return fs.usage(err)
	}
	if f.roots, err = f.trust.rootsServing(f.tls); err != nil {
		return fs.usage(err)
	}
	kc, err := f.keapClient()
	if err != nil {
		return fs.usage(fmt.Errorf("--keap: %v", err))
	}
	out := newListenUI(newUI(e.stdout, e.getenv, f.json), f.verbose)
	out.delayed = f.delayed
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

func (l *listener) run(ctx context.Context) error {
	if l.f.record != "" {
		rec, err := receiver.OpenRecording(l.f.record)
		if err != nil {
			return fmt.Errorf("--record: %v", err)
		}
		defer rec.Close()
		l.rec = rec
	}
	if err := l.awaitKeap(ctx); err != nil {
		return err
	}
	if l.f.tunnel == "ngrok" {
		l.out.say(toneInfo, "connecting to ngrok…")
	}
	ln, err := l.f.openListener(ctx, l.e)
	if errors.Is(err, tunnel.ErrNoAuthToken) {
		return usagef("--tunnel ngrok: %v", err)
	}
	if errors.Is(err, tunnel.ErrNgrokInterrupted) {
		return interrupted("interrupted while connecting to ngrok")
	}
	if errors.Is(err, tunnel.ErrNgrokTimeout) {
		return fmt.Errorf("%v; check the internet connection, or allow more time with --ngrok-timeout", err)
	}
	if err != nil {
		return listenError(l.f.addr, err)
	}
	defer ln.Close()
	insp := l.startInspector(ctx, ln.PublicURL())
	defer insp.close()
	hooks := register.New(register.Config{Client: l.kc, PublicURL: ln.PublicURL(), Delayed: l.f.delayed, Observe: l.out.notice})
	cfg := l.receiverConfig(ctx, hooks)
	observeAlso(&cfg, insp)
	rv, err := receiver.New(cfg)
	if err != nil {
		return usagef("%v", err)
	}
	serveCtx, stopServing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServing()
	served := make(chan error, 1)
	var errorLog *log.Logger
	if l.f.caPath != "" {
		errorLog = tlsErrorLog(l.out.u.Logger(), l.f.caPath)
	}
	go func() { served <- serveLogging(serveCtx, ln, rv, errorLog) }()

	l.out.banner(l.f, ln.PublicURL(), rv.ReplayProtected())
	insp.announce(l.out)
	err = hooks.Register(ctx, l.f.register)
	switch {
	case err != nil && ctx.Err() != nil:
		err = nil // merely interrupted by Ctrl-C: the normal way to stop
	case err != nil:
		err = fmt.Errorf("registering hooks failed: %w", err)
	default:
		l.out.ready(len(l.f.register) > 0)
		err = l.wait(ctx, served)
	}
	l.cleanup(ctx, hooks)
	stopServing()
	<-served
	l.out.stopped()
	return err
}

// wait serves until the run is cancelled (Ctrl-C, the normal way to stop a relay) or the
// listener dies (a dropped tunnel).
func (l *listener) wait(ctx context.Context, served chan error) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-served:
		served <- err // run waits for it again after cleanup
		return fmt.Errorf("the relay stopped: %w", err)
	}
}

// cleanup deletes the hooks this run created, within cleanupTimeout even after Ctrl-C.
func (l *listener) cleanup(ctx context.Context, hooks *register.Registrar) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if failed := hooks.Cleanup(ctx); len(failed) > 0 {
		l.out.warn("delete them yourself: DELETE %s/v1/hooks/{%s}", keap.ShownURL(l.kc.BaseURL()), strings.Join(failed, ","))
	}
}

// receiverConfig configures the relay; ctx bounds the delayedVerify calls of handshakes
// that come after registration.
func (l *listener) receiverConfig(ctx context.Context, hooks *register.Registrar) receiver.Config {
	cfg := receiver.Config{
		ForwardTo: l.f.forwardTo, ForwardTimeout: l.f.forwardTimeout,
		Delayed: l.f.delayed, Signature: l.sig, MaxBody: l.f.maxBody,
		Observe: l.out.exchange,
		Roots:   l.f.roots,
	}
	if l.f.delayed {
		cfg.OnHandshake = func(hs receiver.Handshake) { hooks.OnHandshake(ctx, hs.Path, hs.Secret) }
	}
	if l.rec != nil {
		cfg.Recorder, cfg.FirstSeq = l.rec, l.rec.LastSeq()
	}
	if l.f.expand {
		cfg.Expand = l.kc
	}
	return cfg
}
