package keap_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

// Each reason is judged from the error a real client returns against a real loopback
// server behaving that way, not from a hand-made error.
func TestJudgeNoAnswer(t *testing.T) {
	t.Parallel()
	hang := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	t.Cleanup(hanging.Close)
	t.Cleanup(func() { close(hang) }) // runs first: Close waits for the handlers
	resetting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.(*net.TCPConn).SetLinger(0) // close with RST
		conn.Close()
	}))
	t.Cleanup(resetting.Close)
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)

	tests := []struct {
		name string
		url  string
		ctx  func(*testing.T) context.Context
		want keap.NoAnswer
	}{
		{"timeout", hanging.URL, deadline(50 * time.Millisecond), keap.NoAnswerTimeout},
		{"canceled", hanging.URL, canceled, keap.NoAnswerCanceled},
		{"refused", "http://" + testkit.RefusedAddr(t), background, keap.NoAnswerRefused},
		{"unknown host", "http://no-such-host.invalid/", background, keap.NoAnswerUnknownHost},
		{"reset", resetting.URL, background, keap.NoAnswerReset},
		{"https to a plain HTTP server", "https://" + plain.Listener.Addr().String(), background, keap.NoAnswerNotTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequestWithContext(tt.ctx(t), http.MethodPost, tt.url, nil)
			resp, err := offlineClient().Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("the request was answered")
			}
			if got := keap.JudgeNoAnswer(err); got != tt.want {
				t.Errorf("JudgeNoAnswer(%v) = %d, want %d", err, got, tt.want)
			}
		})
	}
	if got := keap.JudgeNoAnswer(errors.New("something new")); got != keap.NoAnswerOther {
		t.Errorf("an unknown error is judged %d, want NoAnswerOther", got)
	}
	if got := keap.JudgeNoAnswer(fmt.Errorf("dial: %w", &net.OpError{Op: "dial", Err: timeoutErr{}})); got != keap.NoAnswerTimeout {
		t.Errorf("a net.Error timeout is judged %d, want NoAnswerTimeout", got)
	}
}

func TestNoAnswerDetailDropsTheURLPrefix(t *testing.T) {
	t.Parallel()
	_, err := testClient.Get("http://" + testkit.RefusedAddr(t))
	if got := keap.NoAnswerDetail(err).Error(); got != "dial tcp "+err.(interface{ Unwrap() error }).Unwrap().(*net.OpError).Addr.String()+": connect: connection refused" {
		t.Errorf("detail = %q", got)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

// offlineClient resolves names without a DNS server, so an unknown host fails at once and
// the test needs no network.
func offlineClient() *http.Client {
	resolver := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no DNS server in this test")
	}}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Resolver: resolver}).DialContext
	return &http.Client{Transport: tr}
}

func background(*testing.T) context.Context { return context.Background() }

func deadline(d time.Duration) func(*testing.T) context.Context {
	return func(t *testing.T) context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		t.Cleanup(cancel)
		return ctx
	}
}

func canceled(*testing.T) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
