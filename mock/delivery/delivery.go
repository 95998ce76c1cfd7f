package delivery

import (
	"encoding/json"
	"fmt"
	"time"
)

// State is where a delivery is in its life.
type State string

// The delivery states. Pending, Attempting and Retrying are live; Delivered, Failed and Dropped
// are final.
const (
	// Pending: waiting for its first attempt; changes for the same hook and event key still join it.
	Pending State = "Pending"
	// Attempting: an attempt is in flight. It is never saved: after a crash the delivery is
	// attempted again from the state it had before.
	Attempting State = "Attempting"
	// Delivered: an attempt got a status inside the success policy.
	Delivered State = "Delivered"
	// Retrying: an attempt failed and another is scheduled.
	Retrying State = "Retrying"
	// Failed: the last allowed attempt failed, or the receiver answered 410 Gone.
	Failed State = "Failed"
	// Dropped: never sent because the hook was not Verified (or was gone) when it was due.
	Dropped State = "Dropped"
)

// States lists every state in life order.
var States = []State{Pending, Attempting, Retrying, Delivered, Failed, Dropped}

// Final reports whether no attempt will follow.
func (s State) Final() bool { return s == Delivered || s == Failed || s == Dropped }

// ParseState reads a state name as written in the constants ("Delivered").
func ParseState(s string) (State, error) {
	for _, st := range States {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("state %q: want one of Pending, Attempting, Retrying, Delivered, Failed, Dropped", s)
}

// Delivery is one POST of one payload to one hook, with every attempt made so far. Values
// returned by the Engine are copies the caller owns.
type Delivery struct {
	ID string `json:"id"`
	// MessageID identifies the message to the receiver (Standard Webhooks' webhook-id): the
	// same on every attempt and on a redelivery, never reused across restarts or resets.
	MessageID string `json:"messageId"`
	HookKey   string `json:"hookKey"`
	EventKey  string `json:"eventKey"`
	// URL is the hook's URL: at the latest attempt, or when the delivery was made.
	URL string `json:"url"`
	// Payload is the exact body sent (while Pending: the body as it stands, still growing).
	Payload json.RawMessage `json:"payload"`
	// Objects is how many object keys the payload carries.
	Objects int   `json:"objects"`
	State   State `json:"state"`
	// Reason says in plain words why a delivery was Dropped or Failed.
	Reason        string    `json:"reason,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
	NextAttemptAt time.Time `json:"nextAttemptAt,omitzero"`
	Attempts      []Attempt `json:"attempts"`
	// RedeliveryOf is the id of the delivery this one repeats, for redeliveries.
	RedeliveryOf string `json:"redeliveryOf,omitempty"`
}

// Attempt is one try at sending a delivery.
type Attempt struct {
	Number int       `json:"number"`
	At     time.Time `json:"at"`
	URL    string    `json:"url"`
	// StatusCode is 0 when no response came.
	StatusCode int `json:"statusCode,omitzero"`
	// Status is the response's status line, such as "500 Internal Server Error".
	Status   string        `json:"status,omitempty"`
	Duration time.Duration `json:"-"`
	// Error says why no acceptable response came (timeout, refused, dropped by chaos).
	Error string `json:"error,omitempty"`
	// Response is the first MaxResponseBytes of the response body.
	Response string `json:"response,omitempty"`
	// Succeeded reports whether the status was inside the success policy.
	Succeeded bool `json:"succeeded"`
	// Duplicated reports that chaos sent the same attempt a second time.
	Duplicated bool `json:"duplicated,omitempty"`
}

// MaxResponseBytes is how much of a response body an Attempt keeps.
const MaxResponseBytes = 1024

// attemptJSON carries Duration as readable text ("12.5ms") instead of nanoseconds.
type attemptJSON struct {
	attemptAlias
	Duration string `json:"duration"`
}

type attemptAlias Attempt

// MarshalJSON writes the attempt with its duration as text such as "12.5ms".
func (a Attempt) MarshalJSON() ([]byte, error) {
	return json.Marshal(attemptJSON{attemptAlias(a), a.Duration.String()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Attempt) UnmarshalJSON(b []byte) error {
	var v attemptJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*a = Attempt(v.attemptAlias)
	if v.Duration != "" {
		d, err := time.ParseDuration(v.Duration)
		if err != nil {
			return fmt.Errorf("attempt %d duration: %w", v.Number, err)
		}
		a.Duration = d
	}
	return nil
}

// Change is one changed object: its id and when it changed (zero means now).
type Change struct {
	ID int64
	At time.Time
}

// Emitted tells which deliveries an Emit reached: the ids of deliveries that will carry the
// changes (new or joined) and of those dropped because their hook was not Verified.
type Emitted struct {
	Queued  []string `json:"queued"`
	Dropped []string `json:"dropped"`
}

// Filter selects deliveries in List; empty fields match everything.
type Filter struct {
	HookKey  string
	EventKey string
	State    State
	// Limit caps how many deliveries List returns (newest first); 0 means all.
	Limit int
}

func (f Filter) match(d *record) bool {
	return (f.HookKey == "" || f.HookKey == d.HookKey) &&
		(f.EventKey == "" || f.EventKey == d.EventKey) &&
		(f.State == "" || f.State == d.State)
}
