package testkit_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

func TestEndpointEchoesRecordsAndDecodes(t *testing.T) {
	t.Parallel()
	e := testkit.NewEndpoint(t, nil)
	req, _ := http.NewRequest(http.MethodPost, e.URL+"/hooks", strings.NewReader("{}"))
	req.Header.Set(keap.HeaderHookSecret, "s3cret")
	resp, err := testClient.Do(req)
	if err != nil || resp.Header.Get(keap.HeaderHookSecret) != "s3cret" {
		t.Fatalf("handshake: %v %v", resp, err)
	}
	resp, err = testClient.Post(e.URL+"/hooks", "application/json",
		strings.NewReader(`{"event_key":"contact.add","object_keys":[{"id":7,"apiUrl":"","timestamp":""}]}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("delivery: %v %v", resp, err)
	}
	if got := e.Secrets(); len(got) != 1 || got[0] != "s3cret" || e.LastSecret(t) != "s3cret" {
		t.Errorf("secrets = %q", got)
	}
	evs := e.Deliveries(t)
	if len(evs) != 1 || evs[0].EventKey != "contact.add" || evs[0].ObjectKeys[0].ID != 7 {
		t.Errorf("deliveries = %+v", evs)
	}
	if reqs := e.Requests(); len(reqs) != 2 || reqs[1].Path != "/hooks" || !reqs[0].Handshake() || reqs[1].Handshake() {
		t.Errorf("requests = %+v", reqs)
	}
}

func TestEndpointAnswers(t *testing.T) {
	t.Parallel()
	e := testkit.NewEndpoint(t, testkit.NoEcho())
	req, _ := http.NewRequest(http.MethodPost, e.URL, nil)
	req.Header.Set(keap.HeaderHookSecret, "s3cret")
	resp, err := testClient.Do(req)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get(keap.HeaderHookSecret) != "" {
		t.Fatalf("NoEcho: %v %v", resp, err)
	}
	failing := testkit.NewEndpoint(t, testkit.Echo(http.StatusGone))
	if resp, err := testClient.Post(failing.URL, "application/json", strings.NewReader("{}")); err != nil || resp.StatusCode != http.StatusGone {
		t.Fatalf("Echo(410): %v %v", resp, err)
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	c := testkit.NewClock(time.Time{})
	if !c.Now().Equal(testkit.Epoch) {
		t.Fatalf("starts at %s", c.Now())
	}
	c.Advance(time.Minute)
	if got := c.Now().Sub(testkit.Epoch); got != time.Minute {
		t.Errorf("advanced by %s", got)
	}
}
