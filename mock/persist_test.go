package mock_test

import (
	"net/http/httptest"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
)

// TestHooksSurviveARestart: with a data directory, hooks, their keys and the latest handshake
// secret outlive the process, so a delayedVerify still works after a restart.
func TestHooksSurviveARestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rc := newReceiver(t, noEcho)

	first, err := mock.New(mock.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(first)
	a := &api{t: t, c: srv.Client()}
	a.srv = mocktestServer(srv)
	h := a.do("POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"`+rc.URL+`"}`, "Authorization", "Bearer x").hook(t)
	secret := rc.LastSecret(t)
	srv.Close()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	second, err := mock.New(mock.WithDataDir(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	srv2 := httptest.NewServer(second)
	defer srv2.Close()
	b := &api{t: t, c: srv2.Client(), srv: mocktestServer(srv2)}
	got := b.do("POST", "/crm/rest/v1/hooks/"+h.Key+"/delayedVerify", "", "Authorization", "Bearer x", keap.HeaderHookSecret, secret).hook(t)
	if got.Status != keap.StatusVerified || got.HookURL != rc.URL {
		t.Errorf("after a restart: %+v, want the same hook, Verified by its saved secret", got)
	}
	next := b.do("POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"`+rc.URL+`"}`, "Authorization", "Bearer x").hook(t)
	if next.Key == h.Key {
		t.Errorf("a new hook after the restart reused key %s", h.Key)
	}
}
