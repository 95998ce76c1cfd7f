package trigger

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
)

// Timing asks the mock how its deliveries are timed (GET /_mock/clock). Under
// delivery.TimingVirtual nothing is attempted until its clock is advanced.
func (t *Trigger) Timing(ctx context.Context) (delivery.Timing, error) {
	var clock struct {
		Timing delivery.Timing `json:"timing"`
	}
	err := t.actor.api.kc.GetJSON(ctx, t.Root()+"/_mock/clock", &clock)
	return clock.Timing, err
}

// Outcomes lists the deliveries of r's event that carry one of its ids, newest first. A
// delivery may carry other ids too: Keap batches the changes made before its first attempt.
func (t *Trigger) Outcomes(ctx context.Context, r Result) ([]delivery.Delivery, error) {
	var list struct {
		Deliveries []delivery.Delivery `json:"deliveries"`
	}
	path := t.Root() + "/_mock/deliveries?eventKey=" + url.QueryEscape(r.EventKey)
	if err := t.actor.api.kc.GetJSON(ctx, path, &list); err != nil {
		return nil, err
	}
	var ours []delivery.Delivery
	for _, d := range list.Deliveries {
		if d.RedeliveryOf == "" && carriesAny(d.Payload, r.IDs) {
			ours = append(ours, d)
		}
	}
	return ours, nil
}

func carriesAny(payload json.RawMessage, ids []int64) bool {
	var ev keap.Event
	if json.Unmarshal(payload, &ev) != nil {
		return false
	}
	return slices.ContainsFunc(ev.ObjectKeys, func(k keap.ObjectKey) bool { return slices.Contains(ids, k.ID) })
}

// Settled reports whether a delivery's first outcome is known: it was attempted at least
// once (Delivered, Retrying, Failed) or Dropped.
func Settled(d delivery.Delivery) bool {
	return d.State != delivery.Pending && d.State != delivery.Attempting
}

// Wait asks for r's deliveries every poll until each of the r.VerifiedHooks deliveries has
// settled, then returns them; when ctx ends first, it returns what it has with ctx's
// error. after is the clock (time.After outside tests).
func (t *Trigger) Wait(ctx context.Context, r Result, poll time.Duration, after func(time.Duration) <-chan time.Time) ([]delivery.Delivery, error) {
	for {
		ds, err := t.Outcomes(ctx, r)
		if err != nil {
			return ds, err
		}
		if len(ds) >= r.VerifiedHooks && !slices.ContainsFunc(ds, func(d delivery.Delivery) bool { return !Settled(d) }) {
			return ds, nil
		}
		select {
		case <-ctx.Done():
			return ds, ctx.Err()
		case <-after(poll):
		}
	}
}
