package resources

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/fixtures/schema"
)

// testStart is the clock's reading when a test store starts.
var testStart = time.Date(2024, 3, 14, 16, 20, 58, 0, time.UTC)

// harness is a store mounted as the mock mounts it (every route under /crm/rest/v1), with
// the events it emits recorded and every answer checked against Keap's document.
type harness struct {
	t      testing.TB
	store  *Store
	mux    *http.ServeMux
	v      *schema.Validator
	mu     sync.Mutex
	events []event
	now    time.Time
}

func newHarness(t testing.TB, seed bool) *harness {
	t.Helper()
	v, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, v: v, now: testStart}
	h.store = New(Config{
		Emit:         h.record,
		Now:          h.clock,
		MaxBodyBytes: 64 << 10,
	})
	if seed {
		d, err := fixtures.Seed()
		if err != nil {
			t.Fatal(err)
		}
		if err := h.store.LoadSeed(d); err != nil {
			t.Fatal(err)
		}
	}
	h.mux = http.NewServeMux()
	for _, rt := range h.store.Routes() {
		h.mux.HandleFunc(rt.Method+" /crm/rest/v1"+rt.Path, rt.Handler)
	}
	// v2's paths overlap in ways ServeMux refuses; they go through a first-match router.
	h.mux.Handle("/crm/rest/v2/", firstMatch("/crm/rest/v2", h.store.RoutesV2()))
	return h
}

func (h *harness) record(key string, ids ...int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events = append(h.events, event{key: key, ids: append([]int64(nil), ids...)})
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

// takeEvents returns the events emitted since the last call, as "key:id,id" strings.
func (h *harness) takeEvents() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []string{}
	for _, e := range h.events {
		out = append(out, eventString(e.key, e.ids...))
	}
	h.events = nil
	return out
}

func eventString(key string, ids ...int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return key + ":" + strings.Join(parts, ",")
}

// do sends a request (body: nil, a string sent as is, or a value encoded as JSON) to path
// under /crm/rest and checks the answer: a documented body valid against Keap's schema, any
// error a Keap {"message"} body, never a 5xx. It reports mismatches with Errorf, so it may
// be called from any goroutine.
func (h *harness) do(method, path string, body any) (int, []byte) {
	h.t.Helper()
	var rd *bytes.Reader
	switch b := body.(type) {
	case nil:
		rd = bytes.NewReader(nil)
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, "/crm/rest"+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.mux.ServeHTTP(rec, req)
	h.checkAnswer(method, path, rec)
	return rec.Code, rec.Body.Bytes()
}

func (h *harness) checkAnswer(method, path string, rec *httptest.ResponseRecorder) {
	h.t.Helper()
	status, body := rec.Code, rec.Body.Bytes()
	if status >= 500 {
		h.t.Errorf("%s %s: %d %s", method, path, status, body)
	}
	if strings.HasPrefix(path, "/v2/") {
		h.checkV2Answer(method, path, rec)
		return
	}
	if status >= 400 {
		var msg struct{ Message string }
		if err := json.Unmarshal(body, &msg); err != nil || msg.Message == "" {
			h.t.Errorf("%s %s: %d with a body that is not Keap's {\"message\"}: %s", method, path, status, body)
		}
	}
	if status == http.StatusNoContent && len(body) > 0 {
		h.t.Errorf("%s %s: 204 with a body: %s", method, path, body)
	}
	if err := h.v.ValidateResponse(method, "/crm/rest"+path, status, rec.Header().Get("Content-Type"), body); err != nil {
		h.t.Errorf("%s %s: the answer does not match Keap's document: %v\nbody: %s", method, path, err, body)
	}
}

// must sends a request that must answer want, and decodes a JSON answer.
func (h *harness) must(method, path string, body any, want int) object {
	h.t.Helper()
	status, raw := h.do(method, path, body)
	if status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, raw)
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	o, err := decodeObject(raw)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	return o
}

// mustList decodes a JSON array answer.
func (h *harness) mustList(method, path string, body any, want int) []object {
	h.t.Helper()
	status, raw := h.do(method, path, body)
	if status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, raw)
	}
	var out []object
	if err := json.Unmarshal(raw, &out); err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	return out
}

// fail sends a request that must fail with want, and returns Keap's message.
func (h *harness) fail(method, path string, body any, want int) string {
	h.t.Helper()
	status, raw := h.do(method, path, body)
	if status != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, raw)
	}
	var msg struct{ Message string }
	json.Unmarshal(raw, &msg)
	return msg.Message
}

// newContact creates a contact with an email and returns its id.
func (h *harness) newContact(given string) int64 {
	h.t.Helper()
	c := h.must("POST", "/v1/contacts", map[string]any{
		"given_name": given, "family_name": "Tester",
		"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": strings.ToLower(given) + "@example.com"}},
	}, http.StatusCreated)
	return c.id()
}

func wantEvents(t testing.TB, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("events %q, want %q", got, want)
	}
}
