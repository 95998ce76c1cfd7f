package mock_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

// syncBuffer collects log output written from the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func loggerTo(buf *syncBuffer) mock.Option {
	return mock.WithLogger(slog.New(slog.NewTextHandler(buf, nil)))
}

// TestHandshakeOutcomes runs the immediate handshake against real endpoints that get it right
// and wrong, and checks both the resulting status and the reason the mock logs.
func TestHandshakeOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		answer     func(w http.ResponseWriter, r *http.Request)
		wantStatus keap.Status
		wantReason string
	}{
		{"echo", echo, keap.StatusVerified, "echoed X-Hook-Secret"},
		{"no echo", noEcho, keap.StatusUnverified,
			"did not echo the X-Hook-Secret header (it must be a response header with the same value)"},
		{"wrong echo", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(keap.HeaderHookSecret, "not-the-secret")
		}, keap.StatusUnverified, "not the value of this request"},
		{"secret in body", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"secret":"` + r.Header.Get(keap.HeaderHookSecret) + `"}`))
		}, keap.StatusUnverified, "secret in the response body"},
		{"echo with 201", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
			w.WriteHeader(http.StatusCreated)
		}, keap.StatusUnverified, "answered 201 Created"},
		{"two echoes", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
			w.Header().Add(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
		}, keap.StatusUnverified, "several X-Hook-Secret headers"},
		{"server error", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "boom", http.StatusInternalServerError)
		}, keap.StatusUnverified, "answered 500 Internal Server Error"},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, keap.StatusUnverified, "Keap does not follow redirects"},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // a read body lets the server notice the client hang up
			<-r.Context().Done()        // answers only once the mock has given up
		}, keap.StatusUnverified, "did not answer within 200ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			// The timeout is short only where the case is about it: on a busy machine another
			// case's answer must not turn into a timeout.
			timeout := mock.DefaultHandshakeTimeout
			if tt.name == "timeout" {
				timeout = 200 * time.Millisecond
			}
			a := newAPI(t, loggerTo(&logs), mock.WithHandshakeTimeout(timeout))
			rc := newReceiver(t, tt.answer)
			h := a.createHook("contact.add", rc.URL+"/hooks")
			if h.Status != tt.wantStatus {
				t.Errorf("status after create = %s, want %s", h.Status, tt.wantStatus)
			}
			if got := a.do("GET", "/crm/rest/v1/hooks/"+h.Key, "").hook(t); got.Status != tt.wantStatus {
				t.Errorf("stored status = %s, want %s", got.Status, tt.wantStatus)
			}
			if !strings.Contains(logs.String(), tt.wantReason) {
				t.Errorf("log does not say %q:\n%s", tt.wantReason, logs.String())
			}
			if strings.Contains(logs.String(), rc.LastSecret(t)) {
				t.Error("the log shows the secret")
			}
		})
	}
}

func TestHandshakeConnectionRefused(t *testing.T) {
	t.Parallel()
	addr := testkit.RefusedAddr(t)
	var logs syncBuffer
	a := newAPI(t, loggerTo(&logs))
	h := a.createHook("contact.add", "http://"+addr+"/hooks")
	if h.Status != keap.StatusUnverified {
		t.Errorf("status = %s, want Unverified", h.Status)
	}
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("log does not explain the refused connection:\n%s", logs.String())
	}
}

// TestHandshakeRequest checks what the hookUrl receives: a POST of {} as JSON with a fresh
// secret on every attempt.
func TestHandshakeRequest(t *testing.T) {
	t.Parallel()
	type seen struct{ method, ctype, body, secret string }
	got := make(chan seen, 4)
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		b.ReadFrom(r.Body)
		got <- seen{r.Method, r.Header.Get("Content-Type"), b.String(), r.Header.Get(keap.HeaderHookSecret)}
		echo(w, r)
	})
	a := newAPI(t)
	h := a.createHook("contact.edit", rc.URL)
	a.do("POST", "/crm/rest/v1/hooks/"+h.Key+"/verify", "")
	first, second := <-got, <-got
	for _, s := range []seen{first, second} {
		if s.method != "POST" || s.ctype != "application/json" || s.body != "{}" || len(s.secret) < 32 {
			t.Errorf("handshake request = %+v, want a POST of {} as application/json with a long secret", s)
		}
	}
	if first.secret == second.secret {
		t.Error("verify reused the secret of the create handshake; every attempt needs a fresh one")
	}
}

// TestLogHidesHookURLPassword: a hookUrl with credentials in it is logged without them.
func TestLogHidesHookURLPassword(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	a := newAPI(t, loggerTo(&logs))
	rc := newReceiver(t, noEcho)
	withPassword := strings.Replace(rc.URL, "http://", "http://user:hunter2@", 1)
	a.createHook("contact.add", withPassword+"/hooks")
	if strings.Contains(logs.String(), "hunter2") {
		t.Errorf("the log shows the hookUrl's password:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "user:xxxxx@") {
		t.Errorf("the log does not name the hookUrl at all:\n%s", logs.String())
	}
}
