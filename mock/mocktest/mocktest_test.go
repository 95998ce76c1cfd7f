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
