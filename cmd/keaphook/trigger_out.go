package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/trigger"
)

// triggerOut prints trigger's results to stdout: readable lines through the ui, or with
// --json one JSON object per key.
type triggerOut struct {
	u   *ui
	enc *json.Encoder
}

func newTriggerOut(e env, jsonMode bool) *triggerOut {
	o := &triggerOut{u: newUI(e.stdout, e.getenv, jsonMode)}
	if jsonMode {
		o.enc = json.NewEncoder(e.stdout)
	}
	return o
}

// triggerLine is one key's line with --json: the result, and with --wait its deliveries.
type triggerLine struct {
	trigger.Result
	Deliveries []deliveryOutcome `json:"deliveries,omitempty"`
}

// deliveryOutcome is what became of one delivery, as --json shows it.
type deliveryOutcome struct {
	ID      string         `json:"id"`
	HookKey string         `json:"hookKey"`
	State   delivery.State `json:"state"`
	Status  string         `json:"status,omitempty"`
	Error   string         `json:"error,omitempty"`
	Reason  string         `json:"reason,omitempty"`
}

func outcomeOf(d delivery.Delivery) deliveryOutcome {
	o := deliveryOutcome{ID: d.ID, HookKey: d.HookKey, State: d.State, Reason: d.Reason}
	if n := len(d.Attempts); n > 0 {
		o.Status, o.Error = d.Attempts[n-1].Status, d.Attempts[n-1].Error
	}
	return o
}

func (o *triggerOut) result(r trigger.Result, outcomes []delivery.Delivery, waited bool) {
	if o.enc != nil {
		line := triggerLine{Result: r}
		for _, d := range outcomes {
			line.Deliveries = append(line.Deliveries, outcomeOf(d))
		}
		o.enc.Encode(line)
		return
	}
	if r.Err != nil {
		o.u.Failf("✗ %s: %v", r.EventKey, r.Err)
	} else {
		o.u.Successf("✓ %s  %s  %s", r.EventKey, idText(r.IDs), reachText(r.VerifiedHooks))
	}
	for _, req := range r.Requests {
		o.u.Infof("    %s", req)
	}
	if r.Err == nil && len(r.APIURLs) > 0 {
		more := ""
		if len(r.APIURLs) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(r.APIURLs)-1)
		}
		o.u.Infof("    apiUrl %s%s", r.APIURLs[0], more)
	}
	if waited {
		o.outcomes(r, outcomes)
	}
}

func reachText(hooks int) string {
	switch hooks {
	case 0:
		return "→ no Verified hook: nothing is delivered"
	case 1:
		return "→ 1 Verified hook"
	}
	return fmt.Sprintf("→ %d Verified hooks", hooks)
}

// outcomes prints each delivery's first outcome, and the hooks still waiting.
func (o *triggerOut) outcomes(r trigger.Result, ds []delivery.Delivery) {
	for _, d := range ds {
		out := outcomeOf(d)
		line := fmt.Sprintf("    delivery %s to hook %s: %s", d.ID, d.HookKey, d.State)
		switch {
		case out.Reason != "":
			line += " (" + out.Reason + ")"
		case out.Status != "":
			line += fmt.Sprintf(" (attempt %d: %s)", len(d.Attempts), out.Status)
		case out.Error != "":
			line += fmt.Sprintf(" (attempt %d: %s)", len(d.Attempts), out.Error)
		}
		if d.State == delivery.Delivered {
			o.u.Successf("%s", line)
		} else if !trigger.Settled(d) {
			o.u.Warnf("%s: no attempt yet within --wait", line)
		} else {
			o.u.Warnf("%s", line)
		}
	}
	if missing := r.VerifiedHooks - len(ds); missing > 0 {
		o.u.Warnf("    %d of %d deliveries not listed by the mock yet", missing, r.VerifiedHooks)
	}
}

func (o *triggerOut) summary(keys, failed, reached int) {
	if o.enc != nil {
		return
	}
	switch {
	case failed > 0:
		o.u.Failf("%d of %d event keys failed", failed, keys)
	case reached == 0:
		o.u.Headf("triggered %d event keys; none reached a Verified hook, so nothing was sent", keys)
	default:
		o.u.Headf("triggered %d event keys, %d of them reaching a Verified hook; GET /_mock/deliveries shows what was sent", keys, reached)
	}
}

func idText(ids []int64) string {
	if len(ids) == 1 {
		return fmt.Sprintf("id %d", ids[0])
	}
	parts := make([]string, 0, min(len(ids), 10))
	for i, id := range ids {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(ids)))
			break
		}
		parts = append(parts, fmt.Sprint(id))
	}
	return "ids " + strings.Join(parts, ", ")
}
