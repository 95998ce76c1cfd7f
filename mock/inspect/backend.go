// Package inspect is the mock's web inspector at /_mock/ui/: its hooks and their last
// handshake in words, a live list of deliveries on the mock's clock, a page per delivery with
// every attempt as sent and answered and Keap's retry schedule as a timeline, and buttons for
// the mock's controls. It renders with html/template from the assets in mock/inspect/ui and
// learns of changes through Notify, which feeds a Server-Sent Events stream.
package inspect

import (
	"context"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
)

// Backend is the mock as the inspector drives it. Errors carry a sentence for people (the
// mock's own API messages); the inspector shows them on the page as they are.
type Backend interface {
	// Engine is the delivery engine in use now (a reset replaces it).
	Engine() *delivery.Engine
	// Hooks lists every hook in key order.
	Hooks() []Hook
	// EventKeys lists the event keys the mock knows.
	EventKeys() []string
	// CreateHook subscribes hookURL to eventKey and runs the handshake, as POST /v1/hooks.
	CreateHook(ctx context.Context, eventKey, hookURL string) (Hook, error)
	// Verify runs the handshake again, as POST /v1/hooks/{key}/verify.
	Verify(ctx context.Context, key string) (Hook, error)
	// Emit makes eventKey happen for ids, or for count invented ids, as POST /_mock/events.
	Emit(eventKey string, ids []int64, count int) (Emitted, error)
	// Advance moves the virtual clock and returns once every due attempt was made.
	Advance(ctx context.Context, d time.Duration) (time.Time, error)
	// SetChaos switches chaos on (the mock's configured chaos, or a default mix) or off.
	SetChaos(on bool) (delivery.Chaos, error)
	// Reset returns the mock to how it started.
	Reset() error
}

// Hook is a hook with what the inspector says about its status.
type Hook struct {
	keap.RestHook
	// Note is the last handshake's outcome in words, or why the hook went Inactive.
	Note string
}

// Emitted is what an Emit reached.
type Emitted struct {
	IDs []int64
	delivery.Emitted
}
