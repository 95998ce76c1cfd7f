package inspect

import (
	"fmt"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/inspect/ui"
)

// step is one point of a delivery's retry schedule: an attempt made, the next one, one
// still planned, where the clock stands, or the end (the hook going Inactive).
type step struct {
	Class string // done-ok, done-bad, next, planned, skipped, now, end, end reached
	Label string
	When  string
}

// maxSteps bounds the attempts drawn; a schedule of 1,000 attempts is summarised.
const maxSteps = 12

// timeline draws Keap's retry schedule for d up to Inactive, with the clock's place marked.
// Times of attempts not yet made are estimates from the policy's delays.
func timeline(d delivery.Delivery, p delivery.Policy, now time.Time) []step {
	var steps []step
	var at time.Time // the time of the previous step, made or planned
	for n := 1; n <= p.MaxAttempts; n++ {
		if n > maxSteps && n < p.MaxAttempts {
			continue
		}
		s, when := attemptStep(d, p, n, at)
		if n == maxSteps+1 || (n == p.MaxAttempts && p.MaxAttempts > maxSteps+1) {
			s.Label = fmt.Sprintf("… attempt %d", n)
		}
		if !when.IsZero() {
			at = when
		}
		steps = append(steps, s)
	}
	steps = append(steps, endStep(d, p))
	return placeNow(steps, d, now)
}

// attemptStep is attempt n: made (with its answer), due next, or planned after prev.
func attemptStep(d delivery.Delivery, p delivery.Policy, n int, prev time.Time) (step, time.Time) {
	label := fmt.Sprintf("attempt %d", n)
	if n <= len(d.Attempts) {
		a := d.Attempts[n-1]
		class := "done-bad"
		if a.Succeeded {
			class = "done-ok"
		}
		return step{class, label + ": " + answerOf(a), ui.Clock(a.At)}, a.At
	}
	switch {
	case d.State.Final():
		return step{"skipped", label + ": not needed", ""}, time.Time{}
	case n == len(d.Attempts)+1 && !d.NextAttemptAt.IsZero():
		return step{"next", label + ": due", ui.Clock(d.NextAttemptAt)}, d.NextAttemptAt
	case prev.IsZero():
		return step{"planned", label, ""}, time.Time{}
	}
	delay := p.Retry.Delay(n - 1)
	when := prev.Add(delay.Min)
	return step{"planned", fmt.Sprintf("%s: %s after attempt %d", label, delay, n-1), "≈ " + ui.Clock(when)}, when
}

// endStep is where the schedule ends: the hook Inactive after the last failure.
func endStep(d delivery.Delivery, p delivery.Policy) step {
	switch {
	case d.State == delivery.Failed:
		return step{"end reached", "hook Inactive: " + d.Reason, ""}
	case d.State == delivery.Delivered:
		return step{"end", "Delivered: the hook stays Verified", ""}
	case d.State == delivery.Dropped:
		return step{"end reached", "Dropped: " + d.Reason, ""}
	}
	return step{"end", fmt.Sprintf("Inactive if attempt %d fails too", p.MaxAttempts), ""}
}

// placeNow inserts the clock's mark after the last step that has happened.
func placeNow(steps []step, d delivery.Delivery, now time.Time) []step {
	mark := step{"now", "the clock stands here", ui.Clock(now)}
	i := len(d.Attempts)
	switch {
	case d.State.Final():
		i = len(steps)
	case i > len(steps)-1:
		i = len(steps) - 1
	}
	if i > maxSteps {
		i = maxSteps
	}
	out := append([]step{}, steps[:i]...)
	out = append(out, mark)
	return append(out, steps[i:]...)
}

// attemptView is one attempt as the page shows it.
type attemptView struct {
	delivery.Attempt
	ReqHeaders  []ui.Header
	RespHeaders []ui.Header
	HaveWire    bool
	Reason      string
	Sent        bool
	ShownURL    string
	ResponseOK  bool
}

func (in *Inspector) attemptView(d delivery.Delivery, i int, a delivery.Attempt, p delivery.Policy) attemptView {
	v := attemptView{Attempt: a, ShownURL: ui.ShownURL(a.URL), Sent: a.Error != delivery.ErrDroppedByChaos,
		Reason: attemptReason(d, i, a, p), ResponseOK: a.StatusCode != 0}
	if in.wire != nil {
		if ex, ok := in.wire.Lookup(d.MessageID, a.At); ok {
			v.HaveWire, v.ReqHeaders, v.RespHeaders = true, ui.ShownHeaders(ex.Request), ui.ShownHeaders(ex.Response)
		}
	}
	return v
}

// attemptReason says in words what the attempt's answer meant and what followed.
func attemptReason(d delivery.Delivery, i int, a delivery.Attempt, p delivery.Policy) string {
	var why string
	switch {
	case a.Succeeded:
		why = fmt.Sprintf("%s is inside the success range %s", a.Status, p.Success)
	case a.StatusCode == http.StatusGone:
		why = "410 Gone: Keap makes the hook Inactive at once and retries nothing"
	case a.StatusCode != 0:
		why = fmt.Sprintf("%s is outside the success range %s", a.Status, p.Success)
	default:
		why = "no answer: " + a.Error
	}
	switch {
	case a.Succeeded:
		return why + ": Delivered."
	case i+1 < len(d.Attempts):
		return why + fmt.Sprintf("; retried at %s.", ui.Clock(d.Attempts[i+1].At))
	case d.State == delivery.Retrying:
		return why + fmt.Sprintf("; the next attempt is due at %s.", ui.Clock(d.NextAttemptAt))
	case d.State == delivery.Failed:
		return why + "; " + d.Reason + ": the hook is Inactive."
	}
	return why + "."
}

func answerOf(a delivery.Attempt) string {
	if a.StatusCode != 0 {
		return a.Status
	}
	return a.Error
}
