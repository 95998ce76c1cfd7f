package receiver

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeKeap serves apiUrls from a map; unknown URLs fail as Keap's 404 would.
type fakeKeap struct {
	mu      sync.Mutex
	objects map[string]string
	calls   []string
}

func (f *fakeKeap) GetJSON(ctx context.Context, url string, v any) error {
	f.mu.Lock()
	f.calls = append(f.calls, url)
	obj, ok := f.objects[url]
	f.mu.Unlock()
	if !ok {
		return errors.New("keap: GET " + url + ": 404 Not Found: no such contact")
	}
	return json.Unmarshal([]byte(obj), v)
}

func TestExpandForwardsTheObjectsWithTheEvent(t *testing.T) {
	t.Parallel()
	keapAPI := &fakeKeap{objects: map[string]string{
		"https://keap.test/crm/rest/v1/contacts/1": `{"id":1,"given_name":"Ada"}`,
	}}
	a := newApp(t, nil)
	url, evs := relay(t, Config{ForwardTo: a.URL, Expand: keapAPI})
	body := `{"event_key":"contact.add","object_type":"contact","object_keys":[` +
		`{"apiUrl":"https://keap.test/crm/rest/v1/contacts/1","id":1,"timestamp":"2024-01-01T00:00:02Z"},` +
		`{"apiUrl":"https://keap.test/crm/rest/v1/contacts/2","id":2,"timestamp":"2024-01-01T00:00:01Z"},` +
		`{"apiUrl":"","id":3,"timestamp":"2024-01-01T00:00:00Z"}],"api_url":""}`
	if status, _, _ := post(t, url, nil, []byte(body)); status != 200 {
		t.Fatalf("status %d", status)
	}
	got := a.received()[0].Body
	if !strings.HasPrefix(string(got), strings.TrimSuffix(body, "}")+`,"objects":[`) {
		t.Fatalf("forwarded body does not keep the original bytes first:\n%s", got)
	}
	var fwd struct {
		EventKey string           `json:"event_key"`
		Objects  []ExpandedObject `json:"objects"`
	}
	if err := json.Unmarshal(got, &fwd); err != nil {
		t.Fatalf("forwarded body is not JSON: %v\n%s", err, got)
	}
	want := []ExpandedObject{
		{ID: 1, APIURL: "https://keap.test/crm/rest/v1/contacts/1", Object: json.RawMessage(`{"id":1,"given_name":"Ada"}`)},
		{ID: 2, APIURL: "https://keap.test/crm/rest/v1/contacts/2", Error: "keap: GET https://keap.test/crm/rest/v1/contacts/2: 404 Not Found: no such contact"},
		{ID: 3, APIURL: ""},
	}
	if diff := cmp.Diff(want, fwd.Objects); diff != "" || fwd.EventKey != "contact.add" {
		t.Fatalf("objects (-want +got):\n%s", diff)
	}
	if len(keapAPI.calls) != 2 {
		t.Fatalf("fetched %v; an empty apiUrl must not be fetched", keapAPI.calls)
	}
	if ev := evs.last(t); ev.Expanded != 1 || ev.Failed != 1 {
		t.Fatalf("event expanded %d failed %d", ev.Expanded, ev.Failed)
	}
}

func TestExpandLeavesOtherJSONAlone(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	url, _ := relay(t, Config{ForwardTo: a.URL, Expand: &fakeKeap{}})
	bodies := []string{`[1,2]`, `{"hello":"world"}`, `null`, `"x"`}
	for _, body := range bodies {
		post(t, url, nil, []byte(body))
	}
	got := a.received()
	if len(got) != len(bodies) {
		t.Fatalf("the app received %d of %d bodies", len(got), len(bodies))
	}
	for i, r := range got {
		if string(r.Body) != bodies[i] {
			t.Errorf("body %d forwarded as %q, want it untouched", i, r.Body)
		}
	}
}

func TestAppendObjects(t *testing.T) {
	t.Parallel()
	objs := []ExpandedObject{{ID: 1}}
	for in, want := range map[string]string{
		`{}`:                 `{"objects":[{"id":1,"apiUrl":""}]}`,
		"{ }\n":              `{"objects":[{"id":1,"apiUrl":""}]}`,
		`{"object_keys":[]}`: `{"object_keys":[],"objects":[{"id":1,"apiUrl":""}]}`,
		"{\"a\":1 \n}\n\n":   `{"a":1,"objects":[{"id":1,"apiUrl":""}]}`,
	} {
		got := appendObjects([]byte(in), objs)
		if string(got) != want || !json.Valid(got) {
			t.Errorf("appendObjects(%q) = %s, want %s", in, got, want)
		}
	}
}

// A Keap that does not answer cannot hold the delivery: fetching gets half the forward's
// time, then the app gets the event with the error in place of the object.
func TestExpandSharesTheForwardDeadline(t *testing.T) {
	t.Parallel()
	blocked := fetcherFunc(func(ctx context.Context, url string, v any) error {
		<-ctx.Done()
		return ctx.Err()
	})
	a := newApp(t, nil)
	url, evs := relay(t, Config{ForwardTo: a.URL, Expand: blocked, ForwardTimeout: time.Second}) // half for the fetch, half left for the app even under load
	body := `{"event_key":"contact.add","object_keys":[{"apiUrl":"https://keap.test/x","id":1,"timestamp":""}]}`
	status, _, _ := post(t, url, nil, []byte(body))
	if status != http.StatusOK || len(a.received()) != 1 {
		t.Fatalf("status %d, app got %d; want the delivery forwarded after the fetch gave up", status, len(a.received()))
	}
	if !strings.Contains(string(a.received()[0].Body), `"error":"context deadline exceeded"`) {
		t.Fatalf("forwarded %s; want the fetch error in place of the object", a.received()[0].Body)
	}
	if ev := evs.last(t); ev.Failed != 1 {
		t.Fatalf("event = %+v", ev)
	}
}

type fetcherFunc func(ctx context.Context, url string, v any) error

func (f fetcherFunc) GetJSON(ctx context.Context, url string, v any) error { return f(ctx, url, v) }

// TestExpandDropsTheOriginalSignature: the expanded body is not what the sender signed, so
// its signature headers are not passed on (the relay has checked them already).
func TestExpandDropsTheOriginalSignature(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	url, _ := relay(t, Config{ForwardTo: a.URL, Expand: &fakeKeap{}})
	body := `{"event_key":"contact.add","object_type":"contact","object_keys":[{"apiUrl":"","id":1,"timestamp":"2024-01-01T00:00:00Z"}],"api_url":""}`
	h := http.Header{}
	h.Set("X-Hook-Signature", strings.Repeat("ab", 32))
	h.Set("webhook-id", "msg_1")
	h.Set("webhook-signature", "v1,abc")
	h.Set("X-Custom", "kept")
	if status, _, _ := post(t, url, h, []byte(body)); status != 200 {
		t.Fatalf("status %d", status)
	}
	got := a.received()[0].Header
	for _, name := range []string{"X-Hook-Signature", "webhook-id", "webhook-signature"} {
		if got.Get(name) != "" {
			t.Errorf("%s reached the app with an expanded body", name)
		}
	}
	if got.Get("X-Custom") != "kept" {
		t.Error("other headers were dropped too")
	}
}
