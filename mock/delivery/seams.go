package delivery

import (
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// Hooks is the engine's view of the hook subscriptions, which the mock owns.
type Hooks interface {
	// Subscribers returns every hook subscribed to eventKey, whatever its status.
	Subscribers(eventKey string) []keap.RestHook
	// Hook returns a hook's current state; the engine asks again right before every attempt.
	Hook(key string) (keap.RestHook, bool)
	// Deactivate marks a hook Inactive; reason says why in plain words. It calls save once,
	// with the Store ops that record the change, before any other change to the hook can
	// follow: the engine commits them in the same transaction as the delivery that ended the
	// hook (an engine without a Store drops them). The engine calls it holding its own lock,
	// so it must not call back into the engine.
	Deactivate(key, reason string, save func(ops ...store.Op))
}

// Sender makes the HTTP requests; *http.Client satisfies it (see NewHTTPClient).
type Sender interface {
	Do(req *http.Request) (*http.Response, error)
}

// Signer adds signature headers to a delivery. msgID is the delivery's MessageID, the same
// on every attempt of a delivery; now is the engine clock's time of the attempt.
// signature.Config from package mock/signature satisfies it.
type Signer interface {
	Sign(h http.Header, msgID string, now time.Time, body []byte) error
}

// Observer receives a Notice for everything the engine does; the mock turns them into log
// lines. It is called from several goroutines at once and must not block for long.
type Observer func(Notice)

// NoticeKind says what a Notice is about.
type NoticeKind string

// The kinds of Notice.
const (
	// NoticeAttempt: an attempt was made (or dropped by chaos); Attempt holds its outcome.
	NoticeAttempt NoticeKind = "attempt"
	// NoticeDuplicate: chaos sent an attempt a second time; Attempt holds the copy's outcome.
	NoticeDuplicate NoticeKind = "duplicate"
	// NoticeDeactivated: the engine made a hook Inactive.
	NoticeDeactivated NoticeKind = "deactivated"
	// NoticeDropped: a delivery was dropped without being sent.
	NoticeDropped NoticeKind = "dropped"
	// NoticeStoreError: a delivery could not be saved to the Store.
	NoticeStoreError NoticeKind = "store-error"
)

// Notice is one thing that happened, with a plain-words Message such as
// "hook 12 is now Inactive: the 4th attempt failed (500 Internal Server Error); Keap stops
// delivering until POST /v1/hooks/12/verify succeeds".
type Notice struct {
	Kind       NoticeKind `json:"kind"`
	DeliveryID string     `json:"deliveryId,omitempty"`
	HookKey    string     `json:"hookKey,omitempty"`
	EventKey   string     `json:"eventKey,omitempty"`
	// State is the delivery's state after what happened.
	State   State    `json:"state,omitempty"`
	Attempt *Attempt `json:"attempt,omitempty"`
	Message string   `json:"message"`
}
