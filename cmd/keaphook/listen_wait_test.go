package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/testkit"
	"github.com/keaphook/keaphook/tunnel"
)

// listen --register started before the mock waits for it with one progress line, then
// registers as usual.
func TestListenWaitsForKeap(t *testing.T) {
	t.Parallel()
	addr, listen := testkit.ListenLater(t) // refused until the mock starts, and held for it
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": "dev"}, "listen", "--addr", "127.0.0.1:0",
		"--keap", "http://"+addr+"/crm/rest", "--register", "contact.add", "--wait", "20s")
	c.stdout.waitFor(t, `waiting up to 20s for Keap at http://`+addr+`/crm/rest`)
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: m}
	go srv.Serve(listen())
	t.Cleanup(func() { srv.Close(); m.Close() })
	c.stdout.waitFor(t, `hook 1 contact\.add -> http://127\.0\.0\.1:\d+/hooks/contact\.add created: Verified`)
	c.stdout.waitFor(t, ready)
	if n := strings.Count(c.stdout.String(), "waiting up to"); n != 1 {
		t.Fatalf("%d progress lines, want one:\n%s", n, c.stdout)
	}
	if code := c.stop(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
}

// With no Keap there, listen fails on stderr with a hint, and never shows the URL's password.
func TestListenWithoutKeapSaysWhatToDo(t *testing.T) {
	t.Parallel()
	addr := testkit.RefusedAddr(t)
	code, out, errOut := runCmd(t, map[string]string{"KEAP_ACCESS_TOKEN": "dev"}, "listen", "--addr", "127.0.0.1:0",
		"--keap", "http://me:pa55word@"+addr+"/crm/rest", "--register", "contact.add", "--wait", "0s")
	want := "keaphook listen: Keap at http://me:xxxxx@" + addr + "/crm/rest did not answer within 0s (--wait): "
	if code != exitFailure || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, "is the mock running? pass --keap") {
		t.Fatalf("exit %d, stderr %q; want exit 1 and %q... with a hint", code, errOut, want)
	}
	if strings.Contains(out+errOut, "pa55word") {
		t.Fatalf("the password is shown:\n%s%s", out, errOut)
	}
	if strings.Contains(out, "relay listening") {
		t.Fatalf("the banner came before the failure:\n%s", out)
	}
}

// startWithNgrok runs listen --tunnel ngrok against a stand-in for ngrok.
func startWithNgrok(t *testing.T, open func(context.Context, tunnel.NgrokConfig) (tunnel.Listener, error)) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &running{stdout: newSyncBuffer(), stderr: newSyncBuffer(), cancel: cancel, done: make(chan int, 1)}
	e := env{stdout: c.stdout, stderr: c.stderr, openNgrok: open,
		getenv: func(name string) string { return map[string]string{"NGROK_AUTHTOKEN": "2fakeToken_42"}[name] }}
	go func() { c.done <- runIn(ctx, e, []string{"listen", "--tunnel", "ngrok"}) }()
	t.Cleanup(func() { cancel(); <-c.done })
	return c
}

// Ctrl-C while ngrok connects: "connecting to ngrok…" came at once, and the end is one line
// and exit 130.
func TestListenNgrokInterruptedWhileConnecting(t *testing.T) {
	t.Parallel()
	c := startWithNgrok(t, func(ctx context.Context, _ tunnel.NgrokConfig) (tunnel.Listener, error) {
		<-ctx.Done() // as tunnel.Ngrok does when interrupted
		return nil, fmt.Errorf("%w: %w", tunnel.ErrNgrokInterrupted, context.Cause(ctx))
	})
	c.stdout.waitFor(t, "connecting to ngrok…")
	if code := c.stop(t); code != exitInterrupted {
		t.Fatalf("exit %d, want 130", code)
	}
	if got := c.stderr.String(); got != "keaphook listen: interrupted while connecting to ngrok\n" {
		t.Fatalf("stderr %q, want one line", got)
	}
}

// A refused token ends listen with the tunnel's advice, and exit 1.
func TestListenNgrokBadToken(t *testing.T) {
	t.Parallel()
	c := startWithNgrok(t, func(ctx context.Context, cfg tunnel.NgrokConfig) (tunnel.Listener, error) {
		return nil, &tunnel.NgrokError{Code: "ERR_NGROK_105", Msg: "authentication failed",
			Hint: "check NGROK_AUTHTOKEN: it is not a valid ngrok auth token", Err: errors.New("ERR_NGROK_105")}
	})
	select {
	case code := <-c.done:
		c.done <- code
		if code != exitFailure {
			t.Fatalf("exit %d", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("listen did not end after the tunnel failed")
	}
	if !strings.Contains(c.stdout.String(), "connecting to ngrok…") || !strings.Contains(c.stderr.String(), "check NGROK_AUTHTOKEN") {
		t.Fatalf("stdout %q, stderr %q", c.stdout, c.stderr)
	}
	if strings.Contains(c.stdout.String()+c.stderr.String(), "2fakeToken_42") {
		t.Fatal("the token is shown")
	}
}

// The banner says whether replays are refused, and warns that hmac-hex cannot refuse them.
func TestListenBannerSaysWhetherReplaysAreRefused(t *testing.T) {
	t.Parallel()
	for sign, want := range map[string]string{
		"standard": "replays:     refused with 401",
		"hmac-hex": "hmac-hex signs the body only, with no timestamp or id",
	} {
		secret := "s3cret"
		if sign == "standard" {
			secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		}
		c := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--sign", sign, "--signing-secret", secret)
		c.stdout.waitFor(t, ready)
		if !strings.Contains(c.stdout.String(), want) {
			t.Errorf("--sign %s: banner lacks %q:\n%s", sign, want, c.stdout)
		}
		c.stop(t)
	}
}

// Ctrl-C while waiting for Keap ends listen at once, with one line and exit 130.
func TestListenInterruptedWhileWaitingForKeap(t *testing.T) {
	t.Parallel()
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": "dev"}, "listen", "--addr", "127.0.0.1:0",
		"--keap", "http://"+testkit.RefusedAddr(t)+"/crm/rest", "--register", "contact.add", "--wait", "1h")
	c.stdout.waitFor(t, "waiting up to 1h0m0s for Keap")
	if code := c.stop(t); code != exitInterrupted {
		t.Fatalf("exit %d, want 130", code)
	}
	if got := c.stderr.String(); strings.Count(got, "\n") != 1 || !strings.HasPrefix(got, "keaphook listen: ") {
		t.Fatalf("stderr %q, want one line", got)
	}
}

// A Keap that takes the connection and never answers holds listen for --wait, not for the
// 30 s every call to Keap may take.
func TestListenWaitBoundsACallKeapNeverAnswers(t *testing.T) {
	t.Parallel()
	silent := make(chan struct{})
	asked := make(chan struct{}, 1)
	keapAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		select { // never answers while the test runs
		case <-silent:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(keapAPI.Close)
	t.Cleanup(func() { close(silent) }) // runs first: the handler returns, then the server closes
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": "dev"}, "listen", "--addr", "127.0.0.1:0",
		"--keap", keapAPI.URL+"/crm/rest", "--register", "contact.add", "--wait", "200ms")
	<-asked
	select {
	case code := <-c.done:
		c.done <- code // for the cleanup
		if code != exitFailure {
			t.Fatalf("exit %d, want 1", code)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, far below the 30 s call timeout
		t.Fatalf("listen still waits for Keap after 10s with --wait 200ms; output:\n%s", c.stdout)
	}
	want := "keaphook listen: Keap at " + keapAPI.URL + "/crm/rest did not answer within 200ms (--wait): the connection was accepted but no answer came"
	if got := c.stderr.String(); !strings.HasPrefix(got, want) {
		t.Fatalf("stderr %q; want %q...", got, want)
	}
}

// A --wait that ran out says which step never finished: the name, the connection, or the
// answer on a connection that was made.
func TestUnreachableKeapSaysWhatNeverFinished(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		err  error
		want string
	}{
		{&url.Error{Op: "Get", URL: "http://keap.test/", Err: &net.DNSError{Err: "timeout", Name: "keap.test", IsTimeout: true}}, "its host name did not resolve"},
		{&url.Error{Op: "Get", URL: "http://10.255.255.1/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: context.DeadlineExceeded}}, "no connection could be made"},
		{&url.Error{Op: "Get", URL: "http://127.0.0.1/", Err: context.DeadlineExceeded}, "the connection was accepted but no answer came"},
	} {
		if got := unreachableKeap("http://127.0.0.1:1/crm/rest", time.Second, c.err).Error(); !strings.Contains(got, "(--wait): "+c.want+";") {
			t.Errorf("for %v: %q, want it to say %q", c.err, got, c.want)
		}
	}
}
