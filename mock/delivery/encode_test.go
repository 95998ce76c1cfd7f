package delivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// sameAsMarshal fails unless appendDelivery writes d exactly as json.Marshal does.
func sameAsMarshal(t *testing.T, d Delivery) {
	t.Helper()
	want, wantErr := json.Marshal(d)
	got, err := appendDelivery(nil, &d, nil)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendDelivery error %v, json.Marshal error %v", err, wantErr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("appendDelivery wrote\n%s\njson.Marshal writes\n%s", got, want)
	}
}

// The Store keeps what appendDelivery writes and loads it with json.Unmarshal: it must be the
// bytes json.Marshal writes, whatever the fields hold.
func TestAppendDeliveryWritesWhatMarshalWrites(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 890_000_000, time.UTC)
	attempt := Attempt{Number: 1, At: at, URL: "http://127.0.0.1:9/h", StatusCode: 500, Status: "500 Internal Server Error",
		Duration: 1500 * time.Microsecond, Response: "oops", Succeeded: false}
	full := Delivery{ID: "d_000001", MessageID: "msg_ab_1", HookKey: "7", EventKey: "contact.add", URL: "http://127.0.0.1:9/h",
		Payload: renderPayload("contact.add", []keap.ObjectKey{{ID: 1, Timestamp: "2026-03-04T05:06:07.000Z"}}),
		Objects: 1, State: Retrying, Reason: "the receiver answered 500", CreatedAt: at, NextAttemptAt: at.Add(time.Minute),
		Attempts:     []Attempt{attempt, {Number: 2, At: at, Error: "dropped by chaos", Duplicated: true, Succeeded: true}},
		RedeliveryOf: "d_000000"}
	cases := map[string]func(d *Delivery){
		"every field":            func(*Delivery) {},
		"empty optional fields":  func(d *Delivery) { d.Reason, d.RedeliveryOf, d.NextAttemptAt = "", "", time.Time{} },
		"no attempts":            func(d *Delivery) { d.Attempts = []Attempt{} },
		"nil attempts":           func(d *Delivery) { d.Attempts = nil },
		"html and quotes":        func(d *Delivery) { d.Attempts[0].Response = `<b>"a" & 'b'</b> \ /` },
		"control characters":     func(d *Delivery) { d.Reason = "line\nnext\ttab\x00\x1f\x7f" },
		"unicode":                func(d *Delivery) { d.URL = "http://例え.jp/ünï/\u2028\u2029" },
		"invalid utf-8":          func(d *Delivery) { d.Attempts[0].Response = "bad \xff\xfe bytes" },
		"local time zone":        func(d *Delivery) { d.CreatedAt = at.In(time.FixedZone("X", -(5*3600 + 30*60))) },
		"offset with seconds":    func(d *Delivery) { d.CreatedAt = at.In(time.FixedZone("S", 3600+7)) },
		"offset of a day":        func(d *Delivery) { d.CreatedAt = at.In(time.FixedZone("D", 24*3600)) },
		"no fraction of seconds": func(d *Delivery) { d.Attempts[0].At = at.Truncate(time.Second) },
		"year 10000":             func(d *Delivery) { d.NextAttemptAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) },
		"negative numbers":       func(d *Delivery) { d.Objects, d.Attempts[0].Number, d.Attempts[0].StatusCode = -1, -2, -3 },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			d := full
			d.Attempts = append([]Attempt(nil), full.Attempts...)
			change(&d)
			sameAsMarshal(t, d)
		})
	}
}

// A Pending delivery is saved with the payload its keys make, as the engine shows it.
func TestAppendDeliveryRendersAPendingPayload(t *testing.T) {
	keys := []keap.ObjectKey{
		{ID: 1, Timestamp: "2026-03-04T05:06:07.000Z", APIURL: "http://127.0.0.1/crm/rest/v1/contacts/1"},
		{ID: 2, Timestamp: "2026-03-04T05:06:09.000Z"},
		{ID: 3, Timestamp: "2026-03-04T05:06:07.000Z", APIURL: "<&>"},
	}
	d := Delivery{ID: "d_000002", EventKey: "contact.edit", State: Pending, Attempts: []Attempt{}, Objects: 3}
	got, err := appendDelivery(nil, &d, keys)
	if err != nil {
		t.Fatal(err)
	}
	d.Payload = renderPayload(d.EventKey, keys)
	want, _ := json.Marshal(d)
	if !bytes.Equal(got, want) {
		t.Fatalf("appendDelivery wrote\n%s\nwant\n%s", got, want)
	}
	wantBody, _ := json.Marshal(keap.Event{EventKey: "contact.edit", ObjectType: "contact",
		ObjectKeys: []keap.ObjectKey{keys[1], keys[2], keys[0]}})
	if !bytes.Equal(d.Payload, wantBody) {
		t.Errorf("renderPayload wrote\n%s\nwant (newest first, a later arrival first among equals)\n%s", d.Payload, wantBody)
	}
}

func FuzzAppendDelivery(f *testing.F) {
	f.Add("d_000001", "contact.add", "http://127.0.0.1/h", "why", "<html>", "500 Internal Server Error", int64(0), 3, 200, true)
	f.Add("d_\u2028", "a.b", "\xff", "", "\x00", "", int64(1<<62), -1, 0, false)
	f.Fuzz(func(t *testing.T, id, eventKey, url, reason, response, status string, nanos int64, objects, code int, ok bool) {
		at := time.Unix(0, nanos).UTC()
		keys := []keap.ObjectKey{{ID: int64(objects), Timestamp: status, APIURL: url}, {ID: 2, Timestamp: reason}}
		d := Delivery{ID: id, MessageID: id, HookKey: reason, EventKey: eventKey, URL: url, Objects: objects,
			State: State(status), Reason: reason, CreatedAt: at, NextAttemptAt: at.In(time.FixedZone("z", code)),
			Payload: renderPayload(eventKey, keys),
			Attempts: []Attempt{{Number: objects, At: at, URL: url, StatusCode: code, Status: status, Error: reason,
				Response: response, Succeeded: ok, Duplicated: !ok, Duration: time.Duration(nanos)}}}
		sameAsMarshal(t, d)
		var ev keap.Event
		if err := json.Unmarshal(d.Payload, &ev); err != nil {
			t.Fatalf("renderPayload wrote what json.Unmarshal refuses: %v\n%s", err, d.Payload)
		}
	})
}

// Ids keep their format, "d_" and at least six digits, and parse back to their number.
func TestIDsPadToSixDigits(t *testing.T) {
	t.Parallel()
	for _, seq := range []uint64{0, 1, 9, 10, 42, 99999, 100000, 999999, 1000000, 1234567, 1234567890, math.MaxUint64} {
		want := fmt.Sprintf("d_%06d", seq)
		if got := string(appendID(nil, seq)); got != want {
			t.Errorf("appendID(nil, %d) = %q, want %q", seq, got, want)
		}
		if back, err := parseID(want); seq > 0 && (err != nil || back != seq) {
			t.Errorf("parseID(%q) = %d, %v; want %d", want, back, err, seq)
		}
	}
}
