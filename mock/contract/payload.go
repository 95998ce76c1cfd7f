package contract

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
)

// The event keys the checks send. unknownEventKey is one no app can handle: a Keap-shaped
// key that names no Keap object, standing in for a key Keap adds tomorrow.
const (
	eventAdd        = "contact.add"
	eventEdit       = "contact.edit"
	unknownEventKey = "keaphook.unknown_event"
)

// payload is a Keap-shaped delivery ready to send: its body and the id it is signed with.
type payload struct {
	body  []byte
	msgID string // the Standard Webhooks webhook-id; a resend keeps it, as a retry would
}

// newEvent builds a delivery of n fresh objects of eventKey, stamped newest first from at
// backwards one second apart, with apiUrl filled as Keap fills it.
func (r *runner) newEvent(eventKey string, n int, at time.Time) keap.Event {
	ev := keap.Event{
		EventKey:   eventKey,
		ObjectType: keap.ObjectType(eventKey),
		ObjectKeys: make([]keap.ObjectKey, n),
		APIURL:     "",
	}
	for i := range ev.ObjectKeys {
		id := r.newID()
		ev.ObjectKeys[i] = keap.ObjectKey{
			APIURL:    r.resourceURL(eventKey, id),
			ID:        id,
			Timestamp: keap.Timestamp(at.Add(-time.Duration(i) * time.Second)),
		}
	}
	return ev
}

// resourceURL is the apiUrl Keap puts on an object key (…/crm/rest/v1/contacts/17738), from
// the table the mock builds its own apiUrls with. unknownEventKey, which no table knows, gets
// a URL of the same shape under its object type, as a key Keap adds tomorrow would.
func (r *runner) resourceURL(eventKey string, id int64) string {
	if info, ok := fixtures.Lookup(eventKey); ok {
		return info.APIURL(r.cfg.APIBaseURL, id)
	}
	return strings.TrimSuffix(r.cfg.APIBaseURL, "/") + "/v1/" + keap.ObjectType(eventKey) + "s/" + strconv.FormatInt(id, 10)
}

func (r *runner) newDelivery(ev keap.Event) payload {
	body, err := json.Marshal(ev)
	if err != nil {
		// keap.Event holds only strings and integers: marshalling cannot fail.
		panic("contract: marshal event: " + err.Error())
	}
	return payload{body: body, msgID: "msg_" + r.randomHex(12)}
}

// send signs d with sig at sentAt and posts it.
func (r *runner) send(ctx context.Context, d payload, sentAt time.Time, sig signature.Config) exchange {
	h := http.Header{}
	if err := sig.Sign(h, d.msgID, sentAt, d.body); err != nil {
		// Config.Validate vetted the signing config and msgID is visible ASCII.
		return exchange{err: err}
	}
	return r.post(ctx, d.body, h)
}

// deliver sends a valid delivery, signed at the current time, and records the answer for
// no-accidental-410: every answer that came, even one later than the timeout.
func (r *runner) deliver(ctx context.Context, check string, d payload) exchange {
	x := r.send(ctx, d, r.cfg.Now(), r.cfg.Signing)
	if x.err == nil {
		r.record(check, x)
	}
	return x
}

// newID draws an object id: positive and below 2^31, like Keap's.
func (r *runner) newID() int64 {
	var b [4]byte
	r.rand.Read(b[:])
	return int64(binary.BigEndian.Uint32(b[:])&0x7fffffff) + 1
}

// randomHex draws n random bytes and returns them as hex.
func (r *runner) randomHex(n int) string {
	b := make([]byte, n)
	r.rand.Read(b)
	return hex.EncodeToString(b)
}
