package contract

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
)

// retryThenInactive is what Keap does with a failed delivery attempt.
const retryThenInactive = "Keap would count a failed attempt and retry (after 30-60 s, 5 min and 30 min); after four failures it marks the hook Inactive without notice"

// deliveryCase describes one delivery for the judgement: what it was, what its success
// means, and how to fix an error status for this case in particular.
type deliveryCase struct {
	what      string // "A delivery of one contact.add object"
	pass      string // the end of the pass sentence, from its separator: "; Keap …."
	statusFix string // the fix when the answer is an error status
}

// judge turns the answer to a delivery into a Result as Keap would see it: 200-399 within the
// timeout succeeds (a 3xx warns: Keap does not follow it, so the data never arrives), a 410
// deactivates the hook, anything else is a failed attempt.
func (r *runner) judge(x exchange, c deliveryCase) Result {
	if !x.answered() {
		msg, fix := r.unreachable(x, c.what, retryThenInactive)
		return Result{Status: Failed, Message: msg, Fix: fix}
	}
	got := fmt.Sprintf("%s was answered %s", c.what, statusText(x.status))
	switch {
	case x.status == http.StatusGone:
		return Result{Status: Failed,
			Message: got + ": a 410 makes Keap mark the hook Inactive at once, with no retry.",
			Fix:     "never answer 410 unless the hook should be switched off; answer 2xx once the body is read"}
	case x.status >= 300 && x.status < 400:
		return Result{Status: Warned,
			Message: got + ": Keap counts 200-399 as success, so it would not retry, but it does not follow redirects, so the delivery would never reach your code.",
			Fix:     "register the URL the server redirects to as hookUrl"}
	case !delivery.KeapSuccess.OK(x.status):
		return Result{Status: Failed, Message: got + ": " + retryThenInactive + ".", Fix: c.statusFix}
	}
	return Result{Status: Passed, Message: got + c.pass}
}

func (r *runner) checkDeliveryAccepted(ctx context.Context) Result {
	d := r.newDelivery(r.newEvent(eventAdd, 1, r.cfg.Now()))
	return r.judge(r.deliver(ctx, CheckDeliveryAccepted, d), deliveryCase{
		what:      "A delivery of one contact.add object",
		pass:      fmt.Sprintf("; Keap counts any 200-399 within %s as success.", r.cfg.Timeout),
		statusFix: "answer 200 to every well-formed delivery once the body is read; handle failures of your own processing afterwards",
	})
}

// checkBatch1000 sends the largest delivery Keap sends and warns when the answer, although in
// time, came slowly enough that a busier moment would cross Keap's limit.
func (r *runner) checkBatch1000(ctx context.Context) Result {
	d := r.newDelivery(r.newEvent(eventEdit, maxBatch, r.cfg.Now()))
	x := r.deliver(ctx, CheckBatch1000, d)
	res := r.judge(x, deliveryCase{
		what:      "A delivery of 1,000 contact.edit objects",
		pass:      fmt.Sprintf(" in %s, well within Keap's %s limit.", round(x.elapsed), r.cfg.Timeout),
		statusFix: "accept up to 1,000 object keys per delivery: answer 200 first, then process the objects asynchronously (a queue or a goroutine)",
	})
	if res.Status == Passed && x.elapsed > r.cfg.SlowAfter {
		res = Result{Status: Warned,
			Message: fmt.Sprintf("A delivery of 1,000 contact.edit objects was answered %s but took %s; Keap gives up at %s and four failed attempts make the hook Inactive, so a busier moment would cost you the hook.",
				statusText(x.status), round(x.elapsed), r.cfg.Timeout),
			Fix: "answer 200 as soon as the body is read and process the objects asynchronously"}
	}
	return res
}

// maxBatch is the size of Keap's largest delivery.
const maxBatch = 1000

// checkDuplicate sends the same delivery twice, as Keap does when it retries an attempt it
// thinks failed: there is no event id to tell the two apart.
func (r *runner) checkDuplicate(ctx context.Context) Result {
	d := r.newDelivery(r.newEvent(eventAdd, 1, r.cfg.Now()))
	statusFix := "treat a repeated delivery as success: Keap sends no event id and retries resend the same objects, so make processing idempotent (keyed on id and timestamp)"
	first := r.judge(r.deliver(ctx, CheckDuplicate, d), deliveryCase{
		what: "The first copy of a delivery", statusFix: statusFix})
	if first.Status == Failed {
		return first
	}
	return r.judge(r.deliver(ctx, CheckDuplicate, d), deliveryCase{
		what:      "The same delivery sent a second time",
		pass:      "; repeats, which Keap's retries produce, are tolerated.",
		statusFix: statusFix,
	})
}

// checkOutOfOrder sends a batch and then one stamped an hour earlier, as happens when Keap
// retries an old batch after newer ones went through.
func (r *runner) checkOutOfOrder(ctx context.Context) Result {
	now := r.cfg.Now()
	statusFix := "accept batches in any order: compare each object's timestamp with what you stored, never with the last batch received"
	newer := r.judge(r.deliver(ctx, CheckOutOfOrder, r.newDelivery(r.newEvent(eventEdit, 3, now))), deliveryCase{
		what: "A batch of 3 contact.edit objects", statusFix: statusFix})
	if newer.Status == Failed {
		return newer
	}
	return r.judge(r.deliver(ctx, CheckOutOfOrder, r.newDelivery(r.newEvent(eventEdit, 3, now.Add(-time.Hour)))), deliveryCase{
		what:      "A batch stamped an hour earlier than the one before it",
		pass:      "; batches arriving out of timestamp order, as Keap's retries make them, are accepted.",
		statusFix: statusFix,
	})
}

func (r *runner) checkUnknownEventKey(ctx context.Context) Result {
	d := r.newDelivery(r.newEvent(unknownEventKey, 1, r.cfg.Now()))
	return r.judge(r.deliver(ctx, CheckUnknownEventKey, d), deliveryCase{
		what:      fmt.Sprintf("A delivery for the event key %q, which no app handles,", unknownEventKey),
		pass:      "; event keys the app does not handle are acknowledged, not failed.",
		statusFix: "answer 200 to event keys you do not handle and ignore them; Keap adds keys, and one hookUrl can receive several",
	})
}

// checkEmptyAPIURL sends object keys whose apiUrl is "", which real Keap traffic contains.
func (r *runner) checkEmptyAPIURL(ctx context.Context) Result {
	ev := r.newEvent(eventAdd, 2, r.cfg.Now())
	for i := range ev.ObjectKeys {
		ev.ObjectKeys[i].APIURL = ""
	}
	return r.judge(r.deliver(ctx, CheckEmptyAPIURL, r.newDelivery(ev)), deliveryCase{
		what:      "A delivery whose apiUrl fields are empty",
		pass:      "; empty apiUrl values, which real Keap traffic has, are accepted.",
		statusFix: "when apiUrl is empty, build the resource URL from object_type and id (GET /v1/contacts/{id}) instead of failing",
	})
}

// round shortens a latency for a sentence: 1.234567s reads 1.23s, 295.107µs reads 295µs.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(time.Microsecond)
	}
	return d
}
