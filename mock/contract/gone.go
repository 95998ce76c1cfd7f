package contract

import (
	"context"
	"fmt"
	"net/http"
)

// checkNo410 judges every valid delivery of the run, because an endpoint may answer 410 only
// sometimes (to a big batch, an unknown key, under load) and one 410 is enough for Keap to
// switch the hook off. Run alone, it sends one delivery of its own to have something to judge.
func (r *runner) checkNo410(ctx context.Context) Result {
	seen := r.seen()
	if len(seen) == 0 {
		r.deliver(ctx, CheckNo410, r.newDelivery(r.newEvent(eventAdd, 1, r.cfg.Now())))
		seen = r.seen()
	}
	gone, first := 0, ""
	for _, s := range seen {
		if s.status == http.StatusGone {
			if gone == 0 {
				first = s.check
			}
			gone++
		}
	}
	switch {
	case len(seen) == 0:
		return Result{Status: Skipped, Message: "Not judged: no delivery of this run got an answer."}
	case gone > 0:
		return Result{Status: Failed,
			Message: fmt.Sprintf("%d of the %d valid deliveries answered during the run got 410 Gone (the first in %s); Keap marks a hook Inactive at its first 410, with no retry and no notice.", gone, len(seen), first),
			Fix:     "answer 410 only to switch the hook off on purpose; answer 2xx for success and 5xx for temporary trouble"}
	}
	return Result{Status: Passed, Message: fmt.Sprintf(
		"None of the %d valid deliveries answered during the run got 410 Gone, the one answer that makes Keap deactivate a hook at once.", len(seen))}
}
