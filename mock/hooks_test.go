package mock_test

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock/keap"
)

func TestHookLifecycle(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	rc := newReceiver(t, echo)

	keys := a.do("GET", "/crm/rest/v1/hooks/event_keys", "")
	if keys.status != http.StatusOK || len(keys.body) < 100 {
		t.Fatalf("event_keys = %d %s", keys.status, keys.body)
	}

	h := a.createHook("contact.add", rc.URL+"/keap")
	want := keap.RestHook{Key: "1", EventKey: "contact.add", HookURL: rc.URL + "/keap", Status: keap.StatusVerified}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Fatalf("create (-want +got):\n%s", diff)
	}
	second := a.createHook("contact.edit", rc.URL+"/keap")
	if second.Key != "2" {
		t.Errorf("second key = %q, want \"2\" (keys are increasing integers)", second.Key)
	}

	list := a.do("GET", "/crm/rest/v1/hooks", "")
	if list.status != http.StatusOK {
		t.Fatalf("list: %d", list.status)
	}
	if got := string(list.body); got != `[{"key":"1","eventKey":"contact.add","hookUrl":"`+rc.URL+`/keap","status":"Verified"},{"key":"2","eventKey":"contact.edit","hookUrl":"`+rc.URL+`/keap","status":"Verified"}]`+"\n" {
		t.Errorf("list body = %s", got)
	}

	upd := a.do("PUT", "/crm/rest/v1/hooks/1", `{"eventKey":"contact.delete","hookUrl":"`+rc.URL+`/keap"}`)
	if got := upd.hook(t); got.EventKey != "contact.delete" || got.Status != keap.StatusVerified {
		t.Errorf("update with the same URL = %+v, want contact.delete still Verified", got)
	}

	del := a.do("DELETE", "/crm/rest/v1/hooks/1", "")
	if del.status != http.StatusNoContent || len(del.body) != 0 {
		t.Errorf("delete = %d %q, want 204 and no body", del.status, del.body)
	}
	if r := a.do("GET", "/crm/rest/v1/hooks/1", ""); r.status != http.StatusNotFound {
		t.Errorf("get after delete = %d, want 404", r.status)
	}
}

// TestUpdateURLHandshakesAgain: a hook moved to a new URL must prove the new endpoint.
func TestUpdateURLHandshakesAgain(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	good := newReceiver(t, echo)
	bad := newReceiver(t, noEcho)
	h := a.createHook("contact.add", good.URL)

	moved := a.do("PUT", "/crm/rest/v1/hooks/"+h.Key, `{"eventKey":"contact.add","hookUrl":"`+bad.URL+`"}`).hook(t)
	if moved.Status != keap.StatusUnverified || moved.HookURL != bad.URL {
		t.Fatalf("after moving to a non-echoing URL: %+v, want Unverified at the new URL", moved)
	}
	bad.LastSecret(t) // the new URL was sent a handshake

	back := a.do("PUT", "/crm/rest/v1/hooks/"+h.Key, `{"eventKey":"contact.add","hookUrl":"`+good.URL+`"}`).hook(t)
	if back.Status != keap.StatusVerified {
		t.Errorf("after moving back to an echoing URL: %s, want Verified", back.Status)
	}
}

func TestVerifyAfterFixingTheEndpoint(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	fixed := make(chan struct{})
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-fixed:
			echo(w, r)
		default:
			noEcho(w, r)
		}
	})
	h := a.createHook("contact.add", rc.URL)
	if h.Status != keap.StatusUnverified {
		t.Fatalf("status = %s, want Unverified", h.Status)
	}
	close(fixed)
	if got := a.do("POST", "/crm/rest/v1/hooks/"+h.Key+"/verify", "").hook(t); got.Status != keap.StatusVerified {
		t.Errorf("verify after the fix = %s, want Verified", got.Status)
	}
}

func TestDelayedVerify(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	rc := newReceiver(t, noEcho) // answers 200 without the echo, keeps the secret
	h := a.createHook("contact.add", rc.URL)
	firstSecret := rc.LastSecret(t)
	path := "/crm/rest/v1/hooks/" + h.Key + "/delayedVerify"

	if r := a.do("POST", path, ""); r.status != http.StatusBadRequest {
		t.Errorf("without the header: %d, want 400", r.status)
	}
	if r := a.do("POST", path, "", keap.HeaderHookSecret, "guess"); r.status != http.StatusForbidden {
		t.Errorf("wrong secret: %d, want 403", r.status)
	} else if msg := r.message(t); msg == "" {
		t.Error("wrong secret: no message")
	}

	// A newer handshake makes the first secret stale.
	a.do("POST", "/crm/rest/v1/hooks/"+h.Key+"/verify", "")
	if r := a.do("POST", path, "", keap.HeaderHookSecret, firstSecret); r.status != http.StatusForbidden {
		t.Errorf("stale secret: %d, want 403", r.status)
	}
	r := a.do("POST", path, "", keap.HeaderHookSecret, rc.LastSecret(t))
	if r.status != http.StatusOK || r.hook(t).Status != keap.StatusVerified {
		t.Errorf("latest secret: %d %s, want 200 Verified", r.status, r.body)
	}
}

func TestDelayedVerifyBeforeAnyHandshakeIsImpossible(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	if r := a.do("POST", "/crm/rest/v1/hooks/99/delayedVerify", "", keap.HeaderHookSecret, "x"); r.status != http.StatusNotFound {
		t.Errorf("unknown hook: %d, want 404", r.status)
	}
}
