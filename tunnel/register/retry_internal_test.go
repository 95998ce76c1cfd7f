package register

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
)

// A registration whose verify fails leaves its path free: a handshake that arrives after the
// failure is not held for the call that ended, and retrying the registration in the same
// process confirms the hook with the retry's own handshake.
func TestFailedVerifyFreesThePathForARetry(t *testing.T) {
	t.Parallel()
	const relay = "http://relay.test"
	path := HookPath("contact.add")
	hook := keap.RestHook{Key: "7", EventKey: "contact.add", HookURL: relay + path, Status: keap.StatusUnverified}
	var r *Registrar
	verifies, latest, handedBack := 0, "", ""
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/hooks", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode([]keap.RestHook{hook})
	})
	mux.HandleFunc("POST /v1/hooks/7/verify", func(w http.ResponseWriter, _ *http.Request) {
		verifies++
		latest = fmt.Sprintf("secret-%d", verifies)
		r.OnHandshake(t.Context(), path, latest) // what the relay does when the handshake reaches it
		if verifies == 1 {
			http.Error(w, `{"message":"Keap is having a moment"}`, http.StatusServiceUnavailable)
			return
		}
		_ = json.NewEncoder(w).Encode(hook)
	})
	mux.HandleFunc("POST /v1/hooks/7/delayedVerify", func(w http.ResponseWriter, req *http.Request) {
		handedBack = req.Header.Get(keap.HeaderHookSecret)
		if handedBack != latest {
			http.Error(w, `{"message":"stale secret"}`, http.StatusForbidden)
			return
		}
		verified := hook
		verified.Status = keap.StatusVerified
		_ = json.NewEncoder(w).Encode(verified)
	})
	keapAPI := httptest.NewServer(mux)
	t.Cleanup(keapAPI.Close)
	kc, err := keapclient.New(keapAPI.URL, keapclient.WithBearerToken("t"))
	if err != nil {
		t.Fatal(err)
	}
	var ready []keap.RestHook
	r = New(Config{Client: kc, PublicURL: relay, Delayed: true, Observe: func(n Notice) {
		if n.Kind == HookReady {
			ready = append(ready, n.Hook)
		}
	}})

	if err := r.Register(t.Context(), []string{"contact.add"}); err == nil {
		t.Fatal("the first registration succeeded; want the verify's 503")
	}
	r.OnHandshake(t.Context(), path, "after-the-failure")
	r.mu.Lock()
	busy, pending := len(r.busy), len(r.pending)
	r.mu.Unlock()
	if busy != 0 || pending != 0 {
		t.Fatalf("after the failed verify: %d paths busy, %d secrets held; want none", busy, pending)
	}

	if err := r.Register(t.Context(), []string{"contact.add"}); err != nil {
		t.Fatalf("retrying the registration: %v", err)
	}
	if handedBack != "secret-2" {
		t.Errorf("delayedVerify got %q; want the retry's handshake secret-2", handedBack)
	}
	if len(ready) != 1 || ready[0].Status != keap.StatusVerified {
		t.Errorf("ready notices = %+v; want one Verified hook", ready)
	}
}
