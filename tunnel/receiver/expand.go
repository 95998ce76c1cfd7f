package receiver

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"

	"github.com/keaphook/keaphook/mock/keap"
)

// Fetcher GETs a Keap resource by its apiUrl. *keapclient.Client is one; it refuses URLs off
// the configured Keap host, so a forged apiUrl cannot collect the token.
type Fetcher interface {
	GetJSON(ctx context.Context, url string, v any) error
}

// ExpandedObject is one entry of the "objects" array an expanded delivery carries, in the
// order of object_keys: the object fetched from apiUrl, or the error that prevented it. An
// entry whose apiUrl is empty is passed through with neither (nothing to fetch).
type ExpandedObject struct {
	ID     int64           `json:"id"`
	APIURL string          `json:"apiUrl"`
	Object json.RawMessage `json:"object,omitempty"`
	Error  string          `json:"error,omitempty"`
}

// expand returns the delivery with an "objects" array appended to the original object, for
// apps that cannot call Keap back: {"event_key":…,"object_keys":[…],"api_url":"","objects":[…]}.
// Every original byte is kept; a body that is not a Keap delivery is returned unchanged.
func (rv *Receiver) expand(ctx context.Context, body []byte, ev *Exchange) []byte {
	var k keap.Event
	if json.Unmarshal(body, &k) != nil || k.ObjectKeys == nil {
		return body
	}
	objs := make([]ExpandedObject, len(k.ObjectKeys))
	sem := make(chan struct{}, rv.cfg.ExpandConcurrency)
	var wg sync.WaitGroup
	for i, key := range k.ObjectKeys {
		objs[i] = ExpandedObject{ID: key.ID, APIURL: key.APIURL}
		if key.APIURL == "" {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var raw json.RawMessage
			if err := rv.cfg.Expand.GetJSON(ctx, key.APIURL, &raw); err != nil {
				objs[i].Error = err.Error()
				return
			}
			objs[i].Object = raw
		})
	}
	wg.Wait()
	for _, o := range objs {
		switch {
		case o.Error != "":
			ev.Failed++
		case o.Object != nil:
			ev.Expanded++
		}
	}
	return appendObjects(body, objs)
}

// appendObjects adds "objects" as the last member of the JSON object in body.
func appendObjects(body []byte, objs []ExpandedObject) []byte {
	list, err := json.Marshal(objs)
	if err != nil {
		return body
	}
	trimmed := bytes.TrimRight(body, " \t\r\n")
	inner := bytes.TrimRight(trimmed[:len(trimmed)-1], " \t\r\n")
	out := bytes.Clone(inner)
	if !bytes.HasSuffix(inner, []byte("{")) {
		out = append(out, ',')
	}
	out = append(out, `"objects":`...)
	out = append(out, list...)
	return append(out, '}')
}
