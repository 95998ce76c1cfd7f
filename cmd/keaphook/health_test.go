package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/testkit"
)

func TestHealthOfARunningMock(t *testing.T) {
	t.Parallel()
	m := start(t, nil, "mock", "--addr", "127.0.0.1:0")
	base := m.stdout.waitFor(t, `listening on (http://\S+)`)[1]
	code, out, errOut := runCmd(t, nil, "health", "--url", base)
	if code != exitOK || !strings.Contains(out, "keaphook mock at "+base+" is up; apiUrls point at "+base) {
		t.Fatalf("health --url %s: exit %d, %q %q; want 0 saying it is up and where apiUrls point", base, code, out, errOut)
	}
	// The image's HEALTHCHECK runs plain `keaphook health`: it finds the mock through the
	// mock's own variable.
	_, port, _ := strings.Cut(strings.TrimPrefix(base, "http://"), ":")
	code, out, errOut = runCmd(t, map[string]string{"KEAPHOOK_MOCK_ADDR": "127.0.0.1:" + port}, "health")
	if code != exitOK || !strings.Contains(out, "is up") {
		t.Fatalf("health with KEAPHOOK_MOCK_ADDR: exit %d, %q %q; want 0", code, out, errOut)
	}
	// https:// to a plain mock is a wrong URL, not a mock still starting: said at once, --wait
	// or not, with the URL it was about.
	tlsURL := "https://" + strings.TrimPrefix(base, "http://")
	code, _, errOut = runCmd(t, nil, "health", "--url", tlsURL, "--wait", "1h")
	if code != exitFailure || !strings.Contains(errOut, "the mock at "+tlsURL+": it speaks plain HTTP, not HTTPS (use http:// in --url)") {
		t.Errorf("health --url %s: exit %d %q", tlsURL, code, errOut)
	}
}

func TestHealthWithoutAMock(t *testing.T) {
	t.Parallel()
	addr := testkit.RefusedAddr(t)
	code, out, errOut := runCmd(t, nil, "health", "--url", "http://"+addr)
	if code != exitFailure || out != "" || !strings.Contains(errOut, "no keaphook mock at http://"+addr+": connection refused (is it running? start it with: keaphook mock)") {
		t.Fatalf("exit %d, %q %q; want 1 saying nothing answered and how to start a mock", code, out, errOut)
	}
}

// Something that is not a mock answers: waiting would not help, so even --wait 10m fails at once.
func TestHealthFailsAtOnceOnAnotherServer(t *testing.T) {
	t.Parallel()
	for name, h := range map[string]http.HandlerFunc{
		"404":       func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
		"not JSON":  func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>hello</html>")) },
		"not ready": func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"status":"starting"}`)) },
	} {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		code, _, errOut := runCmd(t, nil, "health", "--url", srv.URL, "--wait", "10m")
		if code != exitFailure || !strings.Contains(errOut, "not a keaphook mock") {
			t.Errorf("%s: exit %d, %q; want 1 saying it is not a keaphook mock", name, code, errOut)
		}
	}
}

// A mock behind a proxy that is still starting: 503s are asked again until the mock answers.
func TestHealthWaitsThroughNotUpYet(t *testing.T) {
	t.Parallel()
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != mock.HealthPath {
			t.Errorf("asked %s, want %s", r.URL.Path, mock.HealthPath)
		}
		if asked.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"status":"ok","baseUrl":""}`))
	}))
	t.Cleanup(srv.Close)
	code, out, errOut := runCmd(t, nil, "health", "--url", srv.URL+mock.HealthPath, "--wait", "1m")
	if code != exitOK || asked.Load() != 3 || !strings.Contains(out, "apiUrls will name it as its first client reaches it") {
		t.Fatalf("exit %d after %d questions, %q %q; want 0 on the third", code, asked.Load(), out, errOut)
	}
	// Without --wait one 503 is the answer.
	asked.Store(0)
	if code, _, errOut := runCmd(t, nil, "health", "--url", srv.URL); code != exitFailure || !strings.Contains(errOut, "503") {
		t.Fatalf("without --wait: exit %d, %q; want 1 naming the 503", code, errOut)
	}
}

func TestHealthUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--url", "127.0.0.1:8080"},
		{"--url", "ftp://127.0.0.1:8080"},
		{"--wait", "-1s"},
		{"--timeout", "0s"},
		{"http://127.0.0.1:8080"},
	} {
		if code, _, errOut := runCmd(t, nil, append([]string{"health"}, args...)...); code != exitUsage {
			t.Errorf("health %q: exit %d, %q; want 2", args, code, errOut)
		}
	}
}

func TestDefaultMockURL(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{
		"":               "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"[::]:9000":      "http://127.0.0.1:9000",
		":7000":          "http://127.0.0.1:7000",
		"127.0.0.1:9090": "http://127.0.0.1:9090",
		"keap:8080":      "http://keap:8080",
		"nonsense":       "http://127.0.0.1:8080",
	} {
		if got := defaultMockURL(func(string) string { return addr }); got != want {
			t.Errorf("KEAPHOOK_MOCK_ADDR=%q: %s, want %s", addr, got, want)
		}
	}
	tlsEnv := map[string]string{"KEAPHOOK_MOCK_ADDR": "127.0.0.1:9443", "KEAPHOOK_MOCK_TLS": "true"}
	if got := defaultMockURL(func(k string) string { return tlsEnv[k] }); got != "https://127.0.0.1:9443" {
		t.Errorf("KEAPHOOK_MOCK_TLS=true: %s, want https://127.0.0.1:9443", got)
	}
}

// Any answer is judged without a panic: a health with status ok, something to ask again for,
// or an error that says this is not a keaphook mock.
func FuzzJudgeHealth(f *testing.F) {
	f.Add(200, []byte(`{"status":"ok","baseUrl":"http://keap:8080"}`))
	f.Add(200, []byte(`{"status":"starting"}`))
	f.Add(200, []byte(`<html>`))
	f.Add(503, []byte(``))
	f.Add(404, []byte(`{"status":"ok"}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		h, err := judgeHealth("http://127.0.0.1:8080/_mock/health", status, body)
		var later *notUpYet
		switch {
		case err == nil:
			if status != 200 || h.Status != "ok" {
				t.Fatalf("status %d, body %q judged healthy: %+v", status, body, h)
			}
		case errors.As(err, &later):
			if status != 502 && status != 503 && status != 504 {
				t.Fatalf("status %d is not worth asking again for", status)
			}
		case !strings.Contains(err.Error(), "not a keaphook mock"):
			t.Fatalf("status %d: %v does not say what is wrong", status, err)
		}
	})
}
