package tunnel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"golang.ngrok.com/ngrok/v2"
)

// fakeAgent connects the way the SDK does when connecting fails: it reports each failed
// attempt, keeps retrying until its context ends, then returns every error it met.
type fakeAgent struct {
	failures     []error
	attempted    chan struct{} // closed once every failure was reported
	disconnected atomic.Bool
	report       func(error)
}

func (f *fakeAgent) factory(token, version string, logger *slog.Logger, attemptFailed func(error)) (ngrokAgent, error) {
	f.report = attemptFailed
	return f, nil
}

func (f *fakeAgent) Connect(ctx context.Context) error {
	for _, err := range f.failures {
		f.report(err)
	}
	close(f.attempted)
	<-ctx.Done()
	return errors.Join(append(append([]error(nil), f.failures...), ctx.Err())...)
}

func (f *fakeAgent) Listen(context.Context, ...ngrok.EndpointOption) (ngrok.EndpointListener, error) {
	return nil, errors.New("the fake agent never connects")
}

func (f *fakeAgent) Disconnect() error { f.disconnected.Store(true); return nil }

func newFakeAgent(failures ...error) *fakeAgent {
	return &fakeAgent{failures: failures, attempted: make(chan struct{})}
}

const fakeToken = "2fakeTOKENvalue_0815"

// A token ngrok refuses ends the connect at once, with a code or without, and the error says
// to check NGROK_AUTHTOKEN without quoting it.
func TestNgrokBadTokenFailsAtOnce(t *testing.T) {
	t.Parallel()
	quoted := "authentication failed: The authtoken you specified does not look like a proper ngrok tunnel authtoken.\nYour authtoken: " + fakeToken
	for name, failure := range map[string]error{
		"coded":   legacyErr{"ERR_NGROK_105", quoted + "\n\nERR_NGROK_105"},
		"uncoded": fmt.Errorf("%s", quoted),
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				agent := newFakeAgent(failure)
				start := time.Now()
				_, err := Ngrok(context.Background(), NgrokConfig{AuthToken: fakeToken, newAgent: agent.factory})
				if err == nil || !strings.Contains(err.Error(), "check NGROK_AUTHTOKEN") {
					t.Fatalf("err = %v; want it to say check NGROK_AUTHTOKEN", err)
				}
				if strings.Contains(err.Error(), fakeToken) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %q; want one line without the token", err)
				}
				if waited := time.Since(start); waited > 0 {
					t.Fatalf("waited %s before failing; a refused token is final", waited)
				}
				if !agent.disconnected.Load() {
					t.Fatal("the agent was left connected")
				}
			})
		})
	}
}

// Ctrl-C while ngrok is still failing to connect ends it with one line, not the list of
// every failed attempt.
func TestNgrokInterruptedWhileConnecting(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		dial := errors.New("dial tcp: lookup connect.ngrok-agent.com: no such host")
		agent := newFakeAgent(dial, dial, dial, dial)
		ctx, interrupt := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := Ngrok(ctx, NgrokConfig{AuthToken: fakeToken, newAgent: agent.factory})
			done <- err
		}()
		<-agent.attempted
		interrupt()
		err := <-done
		if !errors.Is(err, ErrNgrokInterrupted) || !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v; want ErrNgrokInterrupted wrapping context.Canceled", err)
		}
		if strings.Contains(err.Error(), "dial") || strings.Contains(err.Error(), "\n") {
			t.Fatalf("err = %q; want one line without the attempts", err)
		}
	})
}

// A network that keeps failing ends at the timeout, naming the last failure.
func TestNgrokTimesOutNamingTheLastFailure(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		agent := newFakeAgent(errors.New("dial tcp: connection refused"))
		start := time.Now()
		_, err := Ngrok(context.Background(), NgrokConfig{AuthToken: fakeToken, Timeout: 20 * time.Second, newAgent: agent.factory})
		if !errors.Is(err, ErrNgrokTimeout) || !strings.Contains(err.Error(), "last with: dial tcp: connection refused") {
			t.Fatalf("err = %v", err)
		}
		if waited := time.Since(start); waited != 20*time.Second {
			t.Fatalf("gave up after %s, want the 20s timeout", waited)
		}
	})
}
