package delivery

import (
	"fmt"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/store"
)

// finish records an attempt's outcome. The outcome and, when the attempt ended the hook, its
// Inactive status are saved in one transaction; the returned ack tells the observer once they
// are on disk.
func (e *Engine) finish(j job, a Attempt) ack {
	r := j.rec
	e.mu.Lock()
	base := e.retryBase(a, e.clock.Now()) // what a retry's delay counts from
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
		r.NextAttemptAt = base.Add(j.plan.retry)
		e.queue.push(r)
	}
	if deactivate != "" {
		e.setStateLocked(r, Failed)
		deactivate += fmt.Sprintf("; Keap stops delivering until POST /v1/hooks/%s/verify succeeds", r.HookKey)
	}
	var forget []store.Op
	if r.State.Final() {
		forget = e.finishLocked(r)
	}
	sv := e.settleLocked(r, deactivate, forget)
	rep := e.attemptNotice(NoticeAttempt, r, r.State, a, e.outcome(r, a, base))
	e.mu.Unlock()

	e.wake()
	return ack{save: sv, then: func() {
		e.report(rep)
		if deactivate != "" {
			e.report(Notice{Kind: NoticeDeactivated, DeliveryID: r.ID, HookKey: r.HookKey, EventKey: r.EventKey,
				State: Failed, Message: deactivate})
		}
	}}
}

// settleLocked saves a delivery's outcome; when it ended its hook (deactivate says why), the
// hook is made Inactive and saved in the same transaction, so no crash can keep one without
// the other.
func (e *Engine) settleLocked(r *record, deactivate string, forget []store.Op) saved {
	if deactivate == "" {
		return e.saveLocked([]*record{r}, forget...)
	}
	var sv saved
	called := false
	e.hooks.Deactivate(r.HookKey, deactivate, func(hookOps ...store.Op) {
		sv, called = e.saveLocked([]*record{r}, append(hookOps, forget...)...), true
	})
	if !called {
		sv = e.saveLocked([]*record{r}, forget...)
	}
	return sv
}

// dropDue drops a delivery that fell due for a hook that is gone or not Verified; the
// returned ack reports the drop once it is saved, as an attempt's outcome is.
func (e *Engine) dropDue(r *record, reason string) ack {
	e.mu.Lock()
	defer e.mu.Unlock()
	r.freeze()
	r.Reason = reason
	r.NextAttemptAt = time.Time{}
	e.setStateLocked(r, Dropped)
	sv := e.saveLocked([]*record{r}, e.finishLocked(r)...)
	rep := e.dropNotice(r)
	return ack{save: sv, then: func() { e.report(rep) }}
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

func (e *Engine) attemptNotice(kind NoticeKind, r *record, s State, a Attempt, msg string) Notice {
	return Notice{Kind: kind, DeliveryID: r.ID, HookKey: r.HookKey, EventKey: r.EventKey,
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
