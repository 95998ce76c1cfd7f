package keap_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

func TestObjectType(t *testing.T) {
	for key, want := range map[string]string{
		"contact.add":            "contact",
		"contactGroup.applied":   "contactGroup",
		"invoice.payment.add":    "invoice.payment",
		"opportunity.stage_move": "opportunity",
		"nodot":                  "nodot",
		".add":                   ".add",
	} {
		if got := keap.ObjectType(key); got != want {
			t.Errorf("ObjectType(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestTimestampIsUTCSecondsWithZ(t *testing.T) {
	at := time.Date(2018, 3, 29, 12, 55, 37, 999_000_000, time.FixedZone("CEST", 2*3600))
	if got := keap.Timestamp(at); got != "2018-03-29T10:55:37Z" {
		t.Errorf("Timestamp = %q, want 2018-03-29T10:55:37Z", got)
	}
}

// TestEventWireFormat pins the field names and order of a delivery, as in Keap's documentation.
func TestEventWireFormat(t *testing.T) {
	ev := keap.Event{EventKey: "contact.edit", ObjectType: "contact", ObjectKeys: []keap.ObjectKey{
		{APIURL: "", ID: 17738, Timestamp: "2018-03-29T10:55:37Z"},
	}}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event_key":"contact.edit","object_type":"contact","object_keys":[{"apiUrl":"","id":17738,"timestamp":"2018-03-29T10:55:37Z"}],"api_url":""}`
	if string(b) != want {
		t.Errorf("wire format\n got %s\nwant %s", b, want)
	}
}

func TestShownURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://user:hunter2@example.com/keap": "https://user:xxxxx@example.com/keap",
		"http://127.0.0.1:3000/hooks":           "http://127.0.0.1:3000/hooks",
		"http://[::1":                           "http://[::1",
	} {
		if got := keap.ShownURL(in); got != want {
			t.Errorf("ShownURL(%q) = %q, want %q", in, got, want)
		}
	}
}
