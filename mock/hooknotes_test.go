package mock

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
)

// refusingTransport fails every handshake without touching the network.
type refusingTransport struct{}

func (refusingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("refused")
}

// caller returns what makes one API call to m with a token, as a client would.
func caller(m *Server) func(method, path, body string) *httptest.ResponseRecorder {
	return func(method, path, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, req)
		return rec
	}
}

// TestDeletedHookLosesItsNote: a deleted hook's handshake note goes with it, so creating and
// deleting hooks does not grow the notes without bound.
func TestDeletedHookLosesItsNote(t *testing.T) {
	t.Parallel()
	m, err := New(WithTransport(refusingTransport{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	call := caller(m)
	rec := call(http.MethodPost, "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"http://receiver.example.test/hooks"}`)
	var h keap.RestHook
	if err := json.Unmarshal(rec.Body.Bytes(), &h); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	if note := m.notes.get(h.Key); !strings.HasPrefix(note, "last handshake failed") {
		t.Fatalf("note after a failed handshake = %q", note)
	}
	if rec := call(http.MethodDelete, "/crm/rest/v1/hooks/"+h.Key, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", rec.Code, rec.Body)
	}
	m.notes.mu.Lock()
	defer m.notes.mu.Unlock()
	if len(m.notes.notes) != 0 {
		t.Errorf("notes after the hook was deleted = %v, want none", m.notes.notes)
	}
}

// heldTransport holds a handshake until released, then refuses it.
type heldTransport struct{ started, release chan struct{} }

func (h heldTransport) RoundTrip(*http.Request) (*http.Response, error) {
	close(h.started)
	<-h.release
	return nil, errors.New("refused")
}

// TestHandshakeEndingAfterTheDeleteLeavesNoNote: a handshake still running when its hook is
// deleted does not leave a note behind for the deleted hook.
func TestHandshakeEndingAfterTheDeleteLeavesNoNote(t *testing.T) {
	t.Parallel()
	held := heldTransport{make(chan struct{}), make(chan struct{})}
	m, err := New(WithTransport(held))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	call := caller(m)
	created := make(chan *httptest.ResponseRecorder)
	go func() {
		created <- call(http.MethodPost, "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"http://receiver.example.test/hooks"}`)
	}()
	<-held.started
	hooks := m.hooks.forEvent("contact.add")
	if len(hooks) != 1 {
		t.Fatalf("hooks during the handshake: %v", hooks)
	}
	if rec := call(http.MethodDelete, "/crm/rest/v1/hooks/"+hooks[0].Key, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("delete during the handshake: %d %s", rec.Code, rec.Body)
	}
	close(held.release)
	<-created
	m.notes.mu.Lock()
	defer m.notes.mu.Unlock()
	if len(m.notes.notes) != 0 {
		t.Errorf("notes after a handshake that ended after its hook's delete = %v, want none", m.notes.notes)
	}
}

// firstHeldTransport holds the first handshake until released, then refuses it; it refuses
// every later one at once, in other words.
type firstHeldTransport struct {
	started, release chan struct{}
	calls            *atomic.Int32
}

func (h firstHeldTransport) RoundTrip(*http.Request) (*http.Response, error) {
	if h.calls.Add(1) > 1 {
		return nil, errors.New("the second receiver refused")
	}
	close(h.started)
	<-h.release
	return nil, errors.New("the first receiver refused")
}

// TestHandshakeEndingAfterAResetLeavesNoNote: a reset starts hook keys at 1 again, so a
// handshake begun before it must not leave its note on the new hook 1.
func TestHandshakeEndingAfterAResetLeavesNoNote(t *testing.T) {
	t.Parallel()
	held := firstHeldTransport{make(chan struct{}), make(chan struct{}), new(atomic.Int32)}
	m, err := New(WithTransport(held))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	call := caller(m)
	const create = `{"eventKey":"contact.add","hookUrl":"http://receiver.example.test/hooks"}`
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- call(http.MethodPost, "/crm/rest/v1/hooks", create) }()
	<-held.started
	if err := m.Reset(); err != nil {
		t.Fatal(err)
	}
	var h keap.RestHook
	if rec := call(http.MethodPost, "/crm/rest/v1/hooks", create); json.Unmarshal(rec.Body.Bytes(), &h) != nil || h.Key != "1" {
		t.Fatalf("a hook made after the reset: %d %s; want key 1 again", rec.Code, rec.Body)
	}
	close(held.release)
	<-first
	if note := m.notes.get("1"); !strings.Contains(note, "the second receiver refused") {
		t.Errorf("hook 1's note = %q, want its own handshake's, not one begun before the reset", note)
	}
}
