package receiver

import (
	"net/http"
	"time"
)

// Kind says what a request turned out to be.
type Kind string

// The kinds of request the relay tells apart.
const (
	// KindHandshake: a POST with X-Hook-Secret, answered by the relay and not forwarded.
	KindHandshake Kind = "handshake"
	// KindDelivery: a POST with a JSON body, forwarded (or answered 200 with no app).
	KindDelivery Kind = "delivery"
	// KindRejected: a delivery whose signature is missing or wrong; answered 401.
	KindRejected Kind = "rejected"
	// KindInvalid: a request the relay cannot take (method, size, not JSON); answered 4xx.
	KindInvalid Kind = "invalid"
	// KindStatus: GET / asking whether the relay is up.
	KindStatus Kind = "status"
)

// MaxIDs is how many object ids an Exchange lists; the rest are only counted.
const MaxIDs = 5

// Exchange reports one request to the observer, after it was answered. It never holds a
// secret: a handshake's secret goes only to Config.OnHandshake.
type Exchange struct {
	// Seq is the request's sequence number; 0 for requests that were not recorded.
	Seq    int64     `json:"seq,omitempty"`
	Time   time.Time `json:"time"`
	Kind   Kind      `json:"kind"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// EventKey, Objects and IDs summarise a Keap delivery body (empty for other JSON).
	EventKey string  `json:"eventKey,omitempty"`
	Objects  int     `json:"objects,omitempty"`
	IDs      []int64 `json:"ids,omitempty"`
	// Status is what the relay answered the sender.
	Status int `json:"status"`
	// Reason says why a request was rejected or a forward failed, in a plain sentence.
	Reason string `json:"reason,omitempty"`
	// Delayed marks a handshake answered without the echo, for delayed confirmation.
	Delayed bool `json:"delayed,omitempty"`
	// Forward is the app's answer; nil when nothing was forwarded.
	Forward *ForwardResult `json:"forward,omitempty"`
	// Expanded counts the objects fetched from apiUrls (--expand); Failed those that failed.
	Expanded int `json:"expanded,omitempty"`
	Failed   int `json:"expandFailed,omitempty"`
	// RecordError says why the outcome of a delivery on record could not be recorded.
	RecordError string `json:"recordError,omitempty"`
	// Body is the raw request body, for verbose display.
	Body []byte `json:"-"`
	// Header is the request's headers as recorded, and Answer what the relay answered (the
	// app's answer when forwarded), for the inspector; X-Hook-Secret's value is redacted in
	// both. They are filled only with Config.ObserveHeaders.
	Header http.Header `json:"-"`
	Answer Answer      `json:"-"`

	replayKey string // the Standard Webhooks message this delivery was taken as
}

// Answer is what the relay sent back: its headers and the start of its body.
type Answer struct {
	Header http.Header
	Body   []byte
}

// MaxAnswerBody is how much of an answer's body an Exchange keeps.
const MaxAnswerBody = 64 << 10

// ForwardResult is what happened when a delivery was passed to the app.
type ForwardResult struct {
	URL      string        `json:"url"`              // the app's URL, any password masked
	Status   int           `json:"status,omitempty"` // 0 when the app did not answer
	Duration time.Duration `json:"duration"`
	Err      string        `json:"error,omitempty"`
}

// Handshake is a handshake secret received at a path, handed to Config.OnHandshake so the
// caller can confirm the hook through delayedVerify.
type Handshake struct {
	Path   string
	Secret string
	Time   time.Time
}

// Summarize fills the Keap fields of ev (EventKey, Objects, IDs) from a delivery body; a
// body that is not a Keap delivery leaves them empty.
func Summarize(ev *Exchange, body []byte) {
	sum, err := scanBody(body)
	if err != nil {
		return
	}
	ev.summarize(sum)
}

func (ev *Exchange) summarize(sum summary) {
	ev.EventKey, ev.Objects, ev.IDs = sum.eventKey, sum.objects, sum.ids
}
