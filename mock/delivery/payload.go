package delivery

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// APIURLFunc returns the resource URL Keap puts in an object key's apiUrl.
type APIURLFunc func(eventKey string, id int64) string

// objectKey builds one object key for a change.
func (e *Engine) objectKey(eventKey string, c Change, now time.Time) keap.ObjectKey {
	at := c.At
	if at.IsZero() {
		at = now
	}
	k := keap.ObjectKey{ID: c.ID, Timestamp: keap.Timestamp(at)}
	if e.apiURL != nil && !e.emptyAPIURL {
		k.APIURL = e.apiURL(eventKey, c.ID)
	}
	return k
}

// renderPayload marshals a delivery body exactly as Keap sends it. keys are in arrival order;
// the body lists them newest first, and among equal timestamps the later arrival first.
func renderPayload(eventKey string, keys []keap.ObjectKey) []byte {
	return appendPayload(make([]byte, 0, payloadSize(eventKey, keys)), eventKey, keys)
}

// appendPayload appends what renderPayload returns.
func appendPayload(b []byte, eventKey string, keys []keap.ObjectKey) []byte {
	sorted := keys // one key is in order already: no copy to sort
	if len(keys) > 1 {
		sorted = slices.Clone(keys)
		slices.Reverse(sorted)
		// The layout is fixed-width UTC, so comparing the strings compares the times.
		slices.SortStableFunc(sorted, func(a, b keap.ObjectKey) int {
			return strings.Compare(b.Timestamp, a.Timestamp)
		})
	}
	return appendEvent(b, &keap.Event{
		EventKey:   eventKey,
		ObjectType: keap.ObjectType(eventKey),
		ObjectKeys: sorted,
		APIURL:     "",
	})
}

// payloadSize is about the length of a payload, to allocate it at once.
func payloadSize(eventKey string, keys []keap.ObjectKey) int {
	n := 64 + 2*len(eventKey)
	for _, k := range keys {
		n += 64 + len(k.APIURL)
	}
	return n
}

// payloadKeys recovers the object keys (in arrival order, oldest first) of a stored payload,
// so a Pending delivery loaded after a restart can keep batching.
func payloadKeys(body []byte) ([]keap.ObjectKey, error) {
	var ev keap.Event
	if err := json.Unmarshal(body, &ev); err != nil {
		return nil, err
	}
	slices.Reverse(ev.ObjectKeys)
	return ev.ObjectKeys, nil
}
