package delivery

import (
	"strconv"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/keap"
)

// With --data the engine encodes every delivery it saves, most of them twice (when made and
// when ended), and renders every payload: encoding/json's reflection, and its compacting
// again of a payload it is handed as a json.RawMessage, were most of the CPU --data adds to a
// delivery. These functions append the very bytes json.Marshal writes, without either;
// encode_test.go holds them to that.

// appendDelivery appends d as json.Marshal writes it, with the payload keys make when d has
// none yet (a Pending delivery's body as it stands). d.Payload must be compact JSON, as
// renderPayload makes it and as it is loaded back from the Store (json.Marshal would compact
// it first). The error is a time json.Marshal cannot write either (a year beyond 9999).
func appendDelivery(b []byte, d *Delivery, keys []keap.ObjectKey) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = httpapi.AppendString(b, d.ID)
	b = append(b, `,"messageId":`...)
	b = httpapi.AppendString(b, d.MessageID)
	b = append(b, `,"hookKey":`...)
	b = httpapi.AppendString(b, d.HookKey)
	b = append(b, `,"eventKey":`...)
	b = httpapi.AppendString(b, d.EventKey)
	b = append(b, `,"url":`...)
	b = httpapi.AppendString(b, d.URL)
	b = append(b, `,"payload":`...)
	switch {
	case d.Payload == nil:
		b = appendPayload(b, d.EventKey, keys)
	case len(d.Payload) == 0:
		b = append(b, "null"...)
	default:
		b = append(b, d.Payload...)
	}
	b = append(b, `,"objects":`...)
	b = strconv.AppendInt(b, int64(d.Objects), 10)
	b = append(b, `,"state":`...)
	b = httpapi.AppendString(b, string(d.State))
	if d.Reason != "" {
		b = append(b, `,"reason":`...)
		b = httpapi.AppendString(b, d.Reason)
	}
	b = append(b, `,"createdAt":`...)
	if b, err = appendTime(b, d.CreatedAt); err != nil {
		return nil, err
	}
	if !d.NextAttemptAt.IsZero() {
		b = append(b, `,"nextAttemptAt":`...)
		if b, err = appendTime(b, d.NextAttemptAt); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"attempts":`...)
	if d.Attempts == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range d.Attempts {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendAttempt(b, &d.Attempts[i]); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if d.RedeliveryOf != "" {
		b = append(b, `,"redeliveryOf":`...)
		b = httpapi.AppendString(b, d.RedeliveryOf)
	}
	return append(b, '}'), nil
}

// encodedSize is about the length of d's encoding, to allocate it at once.
func encodedSize(d *Delivery, keys []keap.ObjectKey) int {
	n := 256 + len(d.ID) + len(d.MessageID) + len(d.HookKey) + len(d.EventKey) + len(d.URL) + len(d.Payload) + len(d.Reason)
	if d.Payload == nil {
		n += payloadSize(d.EventKey, keys)
	}
	for _, a := range d.Attempts {
		n += 160 + len(a.URL) + len(a.Status) + len(a.Error) + len(a.Response)
	}
	return n
}

// appendAttempt appends a as its MarshalJSON writes it.
func appendAttempt(b []byte, a *Attempt) ([]byte, error) {
	var err error
	b = append(b, `{"number":`...)
	b = strconv.AppendInt(b, int64(a.Number), 10)
	b = append(b, `,"at":`...)
	if b, err = appendTime(b, a.At); err != nil {
		return nil, err
	}
	b = append(b, `,"url":`...)
	b = httpapi.AppendString(b, a.URL)
	if a.StatusCode != 0 {
		b = append(b, `,"statusCode":`...)
		b = strconv.AppendInt(b, int64(a.StatusCode), 10)
	}
	if a.Status != "" {
		b = append(b, `,"status":`...)
		b = httpapi.AppendString(b, a.Status)
	}
	if a.Error != "" {
		b = append(b, `,"error":`...)
		b = httpapi.AppendString(b, a.Error)
	}
	if a.Response != "" {
		b = append(b, `,"response":`...)
		b = httpapi.AppendString(b, a.Response)
	}
	b = append(b, `,"succeeded":`...)
	b = strconv.AppendBool(b, a.Succeeded)
	if a.Duplicated {
		b = append(b, `,"duplicated":true`...)
	}
	b = append(b, `,"duration":`...)
	b = httpapi.AppendString(b, a.Duration.String())
	return append(b, '}'), nil
}

// appendEvent appends a delivery body as json.Marshal writes a keap.Event.
func appendEvent(b []byte, ev *keap.Event) []byte {
	b = append(b, `{"event_key":`...)
	b = httpapi.AppendString(b, ev.EventKey)
	b = append(b, `,"object_type":`...)
	b = httpapi.AppendString(b, ev.ObjectType)
	b = append(b, `,"object_keys":`...)
	if ev.ObjectKeys == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, k := range ev.ObjectKeys {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"apiUrl":`...)
			b = httpapi.AppendString(b, k.APIURL)
			b = append(b, `,"id":`...)
			b = strconv.AppendInt(b, k.ID, 10)
			b = append(b, `,"timestamp":`...)
			b = httpapi.AppendString(b, k.Timestamp)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"api_url":`...)
	b = httpapi.AppendString(b, ev.APIURL)
	return append(b, '}')
}

// appendTime appends t as time.Time's MarshalJSON writes it.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		j, err := t.MarshalJSON() // fails as json.Marshal would
		return append(b, j...), err
	}
	if _, offset := t.Zone(); offset%60 != 0 || offset <= -24*3600 || offset >= 24*3600 {
		j, err := t.MarshalJSON() // an offset RFC 3339 cannot write: as json.Marshal writes it
		return append(b, j...), err
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}
