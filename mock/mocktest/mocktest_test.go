package mocktest_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/mocktest"
)

// TestDeliveriesPointAtTheServer: events emitted from Go carry absolute apiUrls on the
// server's own address, and Deliveries lists what was sent.
func TestDeliveriesPointAtTheServer(t *testing.T) {
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
	got := make(chan string, 1)
	app := httptest.NewServer(receiver(got))
	defer app.Close()
	if _, err := m.Client().Post(m.APIURL+"/v1/hooks", "application/json",
		strings.NewReader(`{"eventKey":"note.add","hookUrl":"`+app.URL+`"}`)); err != nil {
		t.Fatal(err)
	}
	m.Mock.Emit("note.add", 7)
	m.Advance(t, 2*time.Minute)
	var ev keap.Event
	json.Unmarshal([]byte(<-got), &ev)
	if want := m.APIURL + "/v1/notes/7"; len(ev.ObjectKeys) != 1 || ev.ObjectKeys[0].APIURL != want {
		t.Errorf("object keys = %+v, want apiUrl %s", ev.ObjectKeys, want)
	}
	if len(m.Deliveries()) != 1 {
		t.Errorf("Deliveries() = %d, want 1", len(m.Deliveries()))
	}
}

// TestTrigger: Trigger makes the change through the mock's API, so the delivery's apiUrls
// answer with the objects, and says how many Verified hooks the event reached.
func TestTrigger(t *testing.T) {
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
	got := make(chan string, 1)
	app := httptest.NewServer(receiver(got))
	defer app.Close()
	if _, err := m.Client().Post(m.APIURL+"/v1/hooks", "application/json",
		strings.NewReader(`{"eventKey":"contact.add","hookUrl":"`+app.URL+`"}`)); err != nil {
		t.Fatal(err)
	}
	r := m.Trigger(t, "contact.add", 2)
	if r.VerifiedHooks != 1 || len(r.IDs) != 2 || len(r.APIURLs) != 2 {
		t.Fatalf("result = %+v; want 2 ids and apiUrls reaching 1 hook", r)
	}
	resp, err := m.Client().Get(r.APIURLs[0])
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", r.APIURLs[0], resp, err)
	}
	resp.Body.Close()
	m.Advance(t, 2*time.Minute)
	var ev keap.Event
	json.Unmarshal([]byte(<-got), &ev)
	if len(ev.ObjectKeys) != 2 || ev.ObjectKeys[0].APIURL == "" {
		t.Errorf("delivered object keys = %+v", ev.ObjectKeys)
	}
}
