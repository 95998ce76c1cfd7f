package testkit_test

import (
	"net/http"
	"testing"

	"github.com/keaphook/keaphook/mock/testkit"
)

// TestLoadSendsEveryRequestOnce: n requests, each with the body and the headers, from several
// workers, and not one more.
func TestLoadSendsEveryRequestOnce(t *testing.T) {
	t.Parallel()
	e := testkit.NewEndpoint(t, testkit.Echo(http.StatusAccepted))
	load := testkit.Load{Client: e.Client(), URL: e.URL + "/hooks", Header: http.Header{"Authorization": {"Bearer dev"}},
		Body: []byte(`{"n":1}`), Workers: 4, Want: http.StatusAccepted}
	if load.Send(t, 25) <= 0 {
		t.Error("no time taken")
	}
	reqs := e.Requests()
	if len(reqs) != 25 {
		t.Fatalf("%d requests, want 25", len(reqs))
	}
	for _, r := range reqs {
		if r.Method != http.MethodPost || r.Path != "/hooks" || string(r.Body) != `{"n":1}` || r.Header.Get("Authorization") != "Bearer dev" {
			t.Fatalf("request %+v", r)
		}
	}
}
