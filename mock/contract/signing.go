package contract

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
)

// staleBy is how old the stale-timestamp-rejected delivery is: twice the five minutes the
// Standard Webhooks libraries tolerate, so no reasonable tolerance accepts it.
const staleBy = 10 * time.Minute

// NotSigned is the verdict of the signature checks when Config.Signing signs nothing; a
// command adds how to sign.
const NotSigned = "Not run: deliveries are not signed (Keap itself signs nothing), so whether forged ones are refused cannot be checked."

// checkSignatureRequired sends a correctly signed delivery, which must be accepted, then one
// without a signature and one signed with the wrong secret, which must both get a 4xx.
func (r *runner) checkSignatureRequired(ctx context.Context) Result {
	if !r.cfg.signing() {
		return Result{Status: Skipped, Message: NotSigned}
	}
	scheme := r.cfg.Signing.Scheme
	control := r.judge(r.deliver(ctx, CheckSignatureRequired, r.newDelivery(r.newEvent(eventAdd, 1, r.cfg.Now()))), deliveryCase{
		what:      fmt.Sprintf("A delivery with a correct %s signature", scheme),
		statusFix: "verify with the same scheme, secret and header this run signs with",
	})
	if control.Status != Passed {
		return control
	}
	missing := r.post(ctx, r.newDelivery(r.newEvent(eventAdd, 1, r.cfg.Now())).body, http.Header{})
	if res, bad := r.judgeRejection(missing, "A delivery without a signature"); bad {
		return res
	}
	forged := r.sendForged(ctx)
	if res, bad := r.judgeRejection(forged, fmt.Sprintf("A delivery with a wrong %s signature", scheme)); bad {
		return res
	}
	return Result{Status: Passed, Message: fmt.Sprintf(
		"Deliveries without a signature and with a wrong one were answered %s and %s, and correctly signed ones were accepted.",
		statusText(missing.status), statusText(forged.status))}
}

func (r *runner) checkStaleTimestamp(ctx context.Context) Result {
	switch {
	case !r.cfg.signing():
		return Result{Status: Skipped, Message: NotSigned}
	case r.cfg.Signing.Scheme != signature.Standard:
		return Result{Status: Skipped, Message: fmt.Sprintf(
			"Not run: %s signatures carry no timestamp; only the standard scheme signs one that can go stale.", r.cfg.Signing.Scheme)}
	}
	d := r.newDelivery(r.newEvent(eventAdd, 1, r.cfg.Now()))
	x := r.send(ctx, d, r.cfg.Now().Add(-staleBy), r.cfg.Signing)
	what := fmt.Sprintf("A correctly signed delivery with a webhook-timestamp %s old", staleBy)
	if res, bad := r.judgeRejection(x, what); bad {
		res.Fix = "reject a webhook-timestamp more than 5 minutes from now, before checking the signature (the Standard Webhooks libraries do this)"
		return res
	}
	return Result{Status: Passed, Message: fmt.Sprintf("%s was answered %s: replayed deliveries are refused.", what, statusText(x.status))}
}

// judgeRejection judges the answer to a delivery that must be refused with a 4xx. It returns
// the Result to report and true when the answer was not a clean refusal.
func (r *runner) judgeRejection(x exchange, what string) (Result, bool) {
	switch {
	case !x.answered():
		msg, fix := r.unreachable(x, what, "so it is unknown whether forged deliveries are refused")
		return Result{Status: Failed, Message: msg, Fix: fix}, true
	case x.status == http.StatusGone:
		return Result{Status: Warned,
			Message: fmt.Sprintf("%s was refused with 410 Gone; a 410 makes Keap switch the hook off at once, so one delivery with a bad signature (a secret being rotated) would cost the hook.", what),
			Fix:     "refuse bad signatures with 401 or 403, never 410"}, true
	case x.status >= 500:
		return Result{Status: Failed,
			Message: fmt.Sprintf("%s was answered %s: the endpoint fails on it instead of refusing it.", what, statusText(x.status)),
			Fix:     "check the signature before processing and answer 401 when it is missing or wrong"}, true
	case x.status < 400:
		return Result{Status: Failed,
			Message: fmt.Sprintf("%s was answered %s: the endpoint accepts deliveries anyone could forge or replay.", what, statusText(x.status)),
			Fix:     "verify the signature against the raw body before anything else and answer 401 when it is missing or wrong"}, true
	}
	return Result{}, false
}

// sendForged sends a delivery signed with the configured scheme but a secret nobody holds,
// so its signature is well-formed but wrong. A whsec_ secret is a valid hmac-hex secret too.
func (r *runner) sendForged(ctx context.Context) exchange {
	secret, err := signature.NewStandardSecret(r.rand)
	if err != nil {
		return exchange{err: err}
	}
	wrong := r.cfg.Signing
	wrong.Secrets = []string{secret}
	return r.send(ctx, r.newDelivery(r.newEvent(eventAdd, 1, r.cfg.Now())), r.cfg.Now(), wrong)
}
