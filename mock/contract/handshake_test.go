package contract

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

func TestJudgeHandshake(t *testing.T) {
	t.Parallel()
	const secret, first = "fresh-secret", "first-secret"
	echo := func(vals ...string) http.Header { return http.Header{"X-Hook-Secret": vals} }
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		ok     bool
		says   string // a phrase the sentence must contain
	}{
		{"echoed", 200, echo(secret), "", true, "Verified"},
		{"not 200", 204, echo(secret), "", false, "only on exactly 200"},
		{"server error", 500, echo(secret), "", false, "500 Internal Server Error"},
		{"no echo", 200, http.Header{}, "ok", false, "without an X-Hook-Secret response header"},
		{"secret in body", 200, http.Header{}, `{"secret":"fresh-secret"}`, false, "in the response body instead"},
		{"wrong value", 200, echo("something else"), "", false, "different value"},
		{"first secret cached", 200, echo(first), "", false, "secret of the first"},
		{"two echoes", 200, echo(secret, secret), "", false, "2 X-Hook-Secret headers"},
		{"empty echo", 200, echo(""), "", false, "different value"},
		{"redirect", 301, http.Header{"Location": {"https://example.test/keap"}}, "", false, "does not follow redirects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := judgeHandshake(tt.status, tt.header, []byte(tt.body), secret, first)
			if v.ok != tt.ok || !strings.Contains(v.msg, tt.says) {
				t.Errorf("ok=%v msg=%q; want ok=%v and a sentence containing %q", v.ok, v.msg, tt.ok, tt.says)
			}
			if !v.ok && v.fix == "" {
				t.Error("a failed handshake has no fix")
			}
			if strings.Contains(v.msg, secret) || strings.Contains(v.msg, first) {
				t.Errorf("the sentence quotes a secret: %q", v.msg)
			}
		})
	}
}

// TestHandshakeUnreachable covers the failures judged before any answer arrives.
func TestHandshakeUnreachable(t *testing.T) {
	t.Parallel()
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		res := only(t, Config{URL: "http://" + testkit.RefusedAddr(t)}, CheckHandshakeEcho)
		want(t, res, Failed, "refused")
	})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.ReadAll(r.Body) // the server notices the client leave only once the body is read
			<-r.Context().Done()
		}))
		t.Cleanup(srv.Close)
		res := only(t, Config{URL: srv.URL, Timeout: 50 * time.Millisecond}, CheckHandshakeEcho)
		want(t, res, Failed, "no answer within 50ms")
	})
	t.Run("redirect is not followed", func(t *testing.T) {
		t.Parallel()
		followed := make(chan struct{}, 1)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/final" {
				followed <- struct{}{}
				w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
				return
			}
			http.Redirect(w, r, "/final", http.StatusPermanentRedirect)
		}))
		t.Cleanup(srv.Close)
		res := only(t, Config{URL: srv.URL, Client: srv.Client()}, CheckHandshakeEcho)
		want(t, res, Failed, `redirect to "/final"`)
		select {
		case <-followed:
			t.Error("the redirect was followed; Keap does not follow redirects")
		default:
		}
	})
}

// TestBatchTimeoutIsReal checks the real per-request deadline, not only the clock seam: a
// receiver that never answers a batch fails batch-1000 once Timeout passes.
func TestBatchTimeoutIsReal(t *testing.T) {
	t.Parallel()
	cfg := serve(t, &receiver{blockOver: 100})
	cfg.Timeout = 100 * time.Millisecond
	res := only(t, cfg, CheckBatch1000)
	want(t, res, Failed, "no answer within 100ms")
	if !strings.Contains(res.Fix, "after responding") {
		t.Errorf("fix %q does not advise answering first", res.Fix)
	}
}

func TestBatchSlowWarnsWithItsLatency(t *testing.T) {
	t.Parallel()
	res := only(t, serve(t, &receiver{slowOver: 100, slowBy: 15 * time.Second}), CheckBatch1000)
	want(t, res, Warned, "took 15s")
	if !strings.Contains(res.Fix, "asynchronously") {
		t.Errorf("fix %q does not advise processing asynchronously", res.Fix)
	}
}

// only runs one check and returns its result.
func only(t *testing.T, cfg Config, name string) Result {
	t.Helper()
	cfg.Only = []string{name}
	rep := Run(context.Background(), cfg)
	if rep.Error != "" || len(rep.Results) != 1 {
		t.Fatalf("Run: error %q, %d results; want one", rep.Error, len(rep.Results))
	}
	return rep.Results[0]
}

func want(t *testing.T, res Result, status Status, says string) {
	t.Helper()
	if res.Status != status || !strings.Contains(res.Message, says) {
		t.Errorf("%s: %s %q; want %s and a sentence containing %q", res.Name, res.Status, res.Message, status, says)
	}
}
