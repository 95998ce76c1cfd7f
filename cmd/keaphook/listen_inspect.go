package main

import (
	"context"
	"net"

	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/tunnel/inspect"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// inspector is listen's web inspector while it runs.
type inspector struct {
	*inspect.Inspector
	url  string
	stop func() // stops serving and waits until it has
}

// startInspector serves listen's web inspector on --inspect (unless "off"), or returns nil.
// Replays go to the relay's own URL and are signed afresh with the relay's secret. The
// inspector is a convenience beside the relay: when its address is taken, the relay runs
// without it and says so.
func (l *listener) startInspector(ctx context.Context, relayURL string) *inspector {
	if l.f.inspect == "off" {
		return nil
	}
	ln, err := net.Listen("tcp", l.f.inspect)
	if err != nil {
		l.out.warn("the inspector cannot listen on %s (%v); the relay runs without it (choose another address with --inspect ADDR)", l.f.inspect, err)
		return nil
	}
	// The relay may serve --tls: replays trust what the relay's own calls trust.
	replayer := receiver.Replayer{Sign: l.sig, Transport: localca.Transport(l.f.roots)}
	if l.sig.Header != "" {
		replayer.DropHeaders = []string{l.sig.Header}
	}
	in := inspect.New(inspect.Options{
		RelayURL: relayURL, Replayer: replayer, Signing: signingName(l.sig),
		AnyHost: !isLoopback(ln.Addr()),
	})
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = serve(ctx, ln, in, in.Close)
	}()
	stop := func() { cancel(); <-done }
	return &inspector{Inspector: in, url: "http://" + reachableAddr(ln.Addr()), stop: stop}
}

// announce says where the inspector is, after the relay's banner.
func (in *inspector) announce(out *listenUI) {
	if in == nil {
		return
	}
	if out.u.json {
		out.say(toneInfo, "inspector listening", "inspector_url", in.url)
		return
	}
	out.u.Infof("  inspector:   %s (each request, the forward, the body, a replay button)", in.url)
}

func (in *inspector) close() {
	if in != nil {
		in.stop()
	}
}

// observeAlso makes the receiver report each request to the inspector as well.
func observeAlso(cfg *receiver.Config, in *inspector) {
	if in == nil {
		return
	}
	print := cfg.Observe
	cfg.ObserveHeaders = true
	cfg.Observe = func(ev receiver.Exchange) {
		print(ev)
		in.Observe(ev)
	}
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// signingName is the scheme the relay checks, "" for none.
func signingName(c signature.Config) string {
	if c.Scheme == signature.None {
		return ""
	}
	return string(c.Scheme)
}
