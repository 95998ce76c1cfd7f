package inspect

import (
	"net/http"
	"testing"
	"time"
)

type answerWith struct{ status int }

func (a answerWith) Do(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: a.status, Header: http.Header{"X-Answer": {"yes"}}, Body: http.NoBody}, nil
}

// send does what the engine does with a Wire's Signer and Sender: sign the request's headers,
// then send the request.
func send(t *testing.T, w *Wire, id string, at time.Time, status int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/", http.NoBody)
	req.Header.Set("X-Sent", id)
	if err := w.Signer(nil).Sign(req.Header, id, at, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Sender(answerWith{status}).Do(req); err != nil {
		t.Fatal(err)
	}
}

func TestWireKeepsTheLatestAttempts(t *testing.T) {
	w := NewWire(2)
	at := time.Unix(1000, 0)
	send(t, w, "m1", at, 500)
	send(t, w, "m1", at, 200) // chaos's duplicate of the same attempt: the first is kept
	send(t, w, "m2", at, 200)
	send(t, w, "m3", at.Add(time.Second), 201)

	if _, ok := w.Lookup("m1", at); ok {
		t.Error("the oldest attempt is still kept beyond the limit")
	}
	ex, ok := w.Lookup("m3", at.Add(time.Second))
	if !ok || ex.StatusCode != 201 || ex.Request.Get("X-Sent") != "m3" || ex.Response.Get("X-Answer") != "yes" {
		t.Errorf("m3: %+v, %v", ex, ok)
	}
	if _, ok := w.Lookup("m3", at); ok {
		t.Error("an attempt is found at another time")
	}
}
