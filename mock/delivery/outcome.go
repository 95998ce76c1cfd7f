package delivery

import (
	"fmt"
	"net/http"
	"time"
)

// finish records an attempt's outcome. The acknowledgement is saved before anything else
// happens (the retry is queued, the hook deactivated, the observer told), so a crash right
// after can never send a Delivered delivery again.
func (e *Engine) finish(j job, a Attempt) {
	r := j.rec
	e.mu.Lock()
	now := e.clock.Now()
	r.Attempts = append(r.Attempts, a)
	r.NextAttemptAt = time.Time{}
	deactivate := ""
	switch {
	case a.Succeeded:
		e.setStateLocked(r, Delivered)
	case a.StatusCode == http.StatusGone:
		r.Reason = fmt.Sprintf("the receiver answered %s at attempt %d", a.Status, a.Number)
		deactivate = fmt.Sprintf("hook %s is now Inactive: the receiver answered %s at attempt %d", r.HookKey, a.Status, a.Number)
	case a.Number >= e.policy.MaxAttempts:
		r.Reason = fmt.Sprintf("the %s attempt failed (%s) and no attempts are left", ordinal(a.Number), answer(a))
		deactivate = fmt.Sprintf("hook %s is now Inactive: the %s attempt failed (%s)", r.HookKey, ordinal(a.Number), answer(a))
	default:
		e.setStateLocked(r, Retrying)
		r.NextAttemptAt = now.Add(j.plan.retry)
		e.queue.push(r)
	}
	if deactivate != "" {
		e.setStateLocked(r, Failed)
		deactivate += fmt.Sprintf("; Keap stops delivering until POST /v1/hooks/%s/verify succeeds", r.HookKey)
	}
	errs := []error{e.saveLocked(r)}
	if r.State.Final() {
		errs = append(errs, e.finishLocked(r))
	}
	rep := e.attemptReport(ReportAttempt, r, r.State, a, e.outcome(r, a, now))
	e.mu.Unlock()

	e.wake()
	_ = e.reportStoreError(errs...)
	if deactivate != "" {
		e.hooks.Deactivate(r.HookKey, deactivate)
	}
	e.report(rep)
	if deactivate != "" {
		e.report(Report{Kind: ReportDeactivated, DeliveryID: r.ID, HookKey: r.HookKey, EventKey: r.EventKey,
			State: Failed, Message: deactivate})
	}
}

// dropDue drops a delivery that fell due for a hook that is gone or not Verified.
func (e *Engine) dropDue(r *record, reason string) {
	e.mu.Lock()
	r.freeze()
	r.Reason = reason
	r.NextAttemptAt = time.Time{}
	e.setStateLocked(r, Dropped)
	errs := []error{e.saveLocked(r), e.finishLocked(r)}
	rep := e.dropReport(r)
	e.mu.Unlock()
	_ = e.reportStoreError(errs...)
	e.report(rep)
}

// outcome describes a finished attempt in plain words, for the observer.
func (e *Engine) outcome(r *record, a Attempt, now time.Time) string {
	result := answer(a)
	if a.Error != ErrDroppedByChaos {
		result += " in " + a.Duration.Round(time.Microsecond).String()
	}
	switch r.State {
	case Delivered:
		result += ": Delivered"
	case Retrying:
		result += fmt.Sprintf(": next attempt in %s", r.NextAttemptAt.Sub(now))
	case Failed:
		result += ": Failed, " + r.Reason
	}
	return fmt.Sprintf("%s to hook %s (%s, %s) attempt %d of %d: %s",
		r.ID, r.HookKey, r.EventKey, objects(r.Objects), a.Number, e.policy.MaxAttempts, result)
}

func (e *Engine) attemptReport(kind ReportKind, r *record, s State, a Attempt, msg string) Report {
	return Report{Kind: kind, DeliveryID: r.ID, HookKey: r.HookKey, EventKey: r.EventKey,
		State: s, Attempt: &a, Message: msg}
}

// answer is what an attempt got: its status line, or the error when no status came.
func answer(a Attempt) string {
	if a.StatusCode != 0 {
		return a.Status
	}
	return a.Error
}

// ordinal writes 1 as "1st", 2 as "2nd", 11 as "11th".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}
