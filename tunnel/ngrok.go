package tunnel

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.ngrok.com/ngrok/v2"
)

// DefaultNgrokTimeout bounds how long Ngrok waits for the tunnel to come up.
const DefaultNgrokTimeout = 20 * time.Second

// NgrokConfig says how to open an ngrok endpoint.
type NgrokConfig struct {
	// AuthToken is the ngrok auth token (NGROK_AUTHTOKEN). Required.
	AuthToken string
	// URL is a domain reserved on the ngrok account ("myapp.ngrok.app" or
	// "https://myapp.ngrok.app"); empty lets ngrok assign one.
	URL string
	// Timeout bounds connecting and opening the endpoint; 0 means DefaultNgrokTimeout.
	Timeout time.Duration
	// Logger receives the SDK's own log; nil discards it.
	Logger *slog.Logger
	// Version is reported to ngrok as the client version; "" means "dev".
	Version string

	// newAgent builds the agent; nil means the SDK's. Tests connect offline through it.
	newAgent agentFactory
}

// ngrokAgent is what Ngrok uses of the SDK's ngrok.Agent.
type ngrokAgent interface {
	Connect(ctx context.Context) error
	Listen(ctx context.Context, opts ...ngrok.EndpointOption) (ngrok.EndpointListener, error)
	Disconnect() error
}

// agentFactory builds an agent that reports each failed connection attempt to attemptFailed.
type agentFactory func(token, version string, logger *slog.Logger, attemptFailed func(error)) (ngrokAgent, error)

// sdkAgent is the SDK's agent. The SDK reports a failed attempt only as a disconnect event.
func sdkAgent(token, version string, logger *slog.Logger, attemptFailed func(error)) (ngrokAgent, error) {
	return ngrok.NewAgent(
		ngrok.WithAuthtoken(token),
		ngrok.WithAutoConnect(false),
		ngrok.WithClientInfo("keaphook", version),
		ngrok.WithLogger(logger),
		ngrok.WithEventHandler(func(ev ngrok.Event) {
			if d, ok := ev.(*ngrok.EventAgentDisconnected); ok {
				attemptFailed(d.Error)
			}
		}),
	)
}

// Ngrok connects to the ngrok service and opens an HTTPS endpoint whose connections arrive on
// the returned Listener. The SDK retries a failed connect forever; Ngrok instead gives up
// when ngrok answers with a coded error (bad token, session limit, domain not yours), which
// it returns as a *NgrokError (a rejected token also when ngrok gives no code), when Timeout
// passes, which wraps ErrNgrokTimeout, and when ctx ends, which wraps ErrNgrokInterrupted.
// Cancelling ctx closes the session, also after Ngrok returned.
func Ngrok(ctx context.Context, cfg NgrokConfig) (Listener, error) {
	token := strings.TrimSpace(cfg.AuthToken)
	if token == "" {
		return nil, ErrNoAuthToken
	}
	endpoint, err := ngrokEndpointURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	timeout := cmp.Or(cfg.Timeout, DefaultNgrokTimeout)
	// The session lives as long as this context: the SDK closes the session when the context
	// given to Connect ends, so it cannot be the timeout's context.
	sessCtx, endSession := context.WithCancelCause(ctx)
	c := &connector{end: endSession}
	newAgent := cfg.newAgent
	if newAgent == nil {
		newAgent = sdkAgent
	}
	agent, err := newAgent(token, cmp.Or(cfg.Version, "dev"), cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)), c.attemptFailed)
	if err != nil {
		endSession(err)
		return nil, withoutToken(err, token)
	}
	stop := time.AfterFunc(timeout, func() { c.giveUp(c.timedOut(timeout)) })
	defer stop.Stop()
	ln, err := c.open(sessCtx, agent, endpoint)
	if err != nil {
		endSession(err)
		agent.Disconnect()
		if ctx.Err() != nil {
			// Interrupted (Ctrl-C): the SDK's error lists every failed attempt, which says
			// nothing the user does not know. One line is enough.
			return nil, fmt.Errorf("%w: %w", ErrNgrokInterrupted, context.Cause(ctx))
		}
		return nil, withoutToken(err, token)
	}
	return ln, nil
}

// connector watches the agent's events while it connects: the SDK reports each failed
// attempt only as a disconnect event, so that is where a coded error is noticed.
type connector struct {
	end       context.CancelCauseFunc
	connected atomic.Bool
	mu        sync.Mutex
	cause     error // why connecting was abandoned
	last      error // the latest failed attempt, for the timeout's message
}

// attemptFailed judges one failed connect: a coded error is the service's answer and will not
// change on retry (bad token, session limit); anything else (network) is worth retrying until
// the timeout.
func (c *connector) attemptFailed(err error) {
	if err == nil {
		return
	}
	if ngrokErrorCode(err) != "" || isAuthRejection(err) {
		c.giveUp(explainNgrok(err))
		return
	}
	c.mu.Lock()
	c.last = err
	c.mu.Unlock()
}

func (c *connector) timedOut(after time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last == nil {
		return fmt.Errorf("%w: no answer within %s", ErrNgrokTimeout, after)
	}
	return fmt.Errorf("%w: still failing after %s, last with: %v", ErrNgrokTimeout, after, c.last)
}

// giveUp ends the attempt with cause, unless the tunnel is already up.
func (c *connector) giveUp(cause error) {
	if c.connected.Load() {
		return
	}
	c.mu.Lock()
	if c.cause == nil {
		c.cause = cause
	}
	c.mu.Unlock()
	c.end(cause)
}

func (c *connector) why(err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cause != nil {
		return c.cause
	}
	if e := explainNgrok(err); e != err {
		return e
	}
	return fmt.Errorf("ngrok: %w", err)
}

// open connects and listens. Listen does not honour its context, so it runs aside and the
// wait for it ends with the session context.
func (c *connector) open(ctx context.Context, agent ngrokAgent, endpoint string) (Listener, error) {
	if err := agent.Connect(ctx); err != nil {
		return nil, c.why(err)
	}
	type result struct {
		ln  ngrok.EndpointListener
		err error
	}
	done := make(chan result, 1)
	go func() {
		var opts []ngrok.EndpointOption
		if endpoint != "" {
			opts = append(opts, ngrok.WithURL(endpoint))
		}
		ln, err := agent.Listen(ctx, opts...)
		done <- result{ln, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, explainNgrok(r.err)
		}
		c.connected.Store(true)
		if ctx.Err() != nil { // the timeout fired just as the endpoint came up
			r.ln.Close()
			return nil, c.why(context.Cause(ctx))
		}
		return &ngrokListener{EndpointListener: r.ln, agent: agent, end: c.end}, nil
	case <-ctx.Done():
		return nil, c.why(context.Cause(ctx))
	}
}

type ngrokListener struct {
	ngrok.EndpointListener
	agent ngrokAgent
	end   context.CancelCauseFunc
	once  sync.Once
}

func (l *ngrokListener) PublicURL() string {
	return strings.TrimSuffix(l.URL().String(), "/")
}

// Close closes the endpoint and the whole agent session, so nothing of ngrok is left running.
func (l *ngrokListener) Close() error {
	var err error
	l.once.Do(func() {
		err = errors.Join(l.EndpointListener.Close(), l.agent.Disconnect())
		l.end(errors.New("listener closed"))
	})
	return err
}
