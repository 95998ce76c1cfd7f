package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// UserAgent is the User-Agent of every delivery.
const UserAgent = "keaphook-mock/1 (Keap REST Hooks delivery; +https://github.com/keaphook/keaphook)"

// drainLimit is how much of a response beyond MaxResponseBytes is read (and discarded) so the
// connection can be reused; a longer body costs a new connection instead.
const drainLimit = 64 << 10

var errAttemptTimeout = errors.New("attempt timeout")

// attempt makes one attempt of a delivery, start to finish, on a worker goroutine. An
// attempt cut short by shutdown is never marked done, so an Advance waiting on it learns
// that the engine stopped rather than that the window is complete.
func (e *Engine) attempt(ctx context.Context, j job) {
	hook, found := e.hooks.Hook(j.rec.HookKey)
	if reason := dropReason(j.rec, hook, found); reason != "" {
		e.acknowledge(ctx, e.dropDue(j.rec, reason))
		return
	}
	a, body := e.begin(j.rec, hook.HookURL)
	a.Duplicated = j.plan.duplicate
	if j.plan.drop {
		a.Error = ErrDroppedByChaos
	} else if !e.send(ctx, &a, j.rec.MessageID, body) {
		return // shutting down: the attempt stays unacknowledged
	}
	done := e.finish(j, a)
	e.duplicate(ctx, j, a, body)
	e.acknowledge(ctx, done)
}

// duplicate sends the attempt's copy when chaos planned one.
func (e *Engine) duplicate(ctx context.Context, j job, a Attempt, body []byte) {
	if !j.plan.duplicate || j.plan.drop {
		return
	}
	dup := Attempt{Number: a.Number, At: a.At, URL: a.URL, Duplicated: true}
	if e.send(ctx, &dup, j.rec.MessageID, body) {
		msg := fmt.Sprintf("%s to hook %s (%s) attempt %d: chaos sent a duplicate copy: %s in %s",
			j.rec.ID, j.rec.HookKey, j.rec.EventKey, dup.Number, answer(dup), dup.Duration.Round(time.Microsecond))
		e.report(e.attemptNotice(NoticeDuplicate, j.rec, "", dup, msg))
	}
}

// dropReason says why a due delivery must not be sent, or "" to send it.
func dropReason(r *record, h keap.RestHook, found bool) string {
	switch {
	case !found:
		return fmt.Sprintf("hook %s was deleted before the attempt", r.HookKey)
	case h.Status != keap.StatusVerified:
		return fmt.Sprintf("hook %s was %s when the attempt was due: Keap delivers nothing to a hook that is not Verified", h.Key, h.Status)
	case h.EventKey != r.EventKey:
		return fmt.Sprintf("hook %s now listens for %s, not %s", h.Key, h.EventKey, r.EventKey)
	}
	return ""
}

// begin marks the delivery Attempting at the hook's current URL and returns the new attempt
// and the frozen payload. Attempting is not saved: on disk the delivery stays as it was until
// the outcome, so after a crash it is attempted again (see Store).
func (e *Engine) begin(r *record, hookURL string) (Attempt, []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r.freeze()
	r.URL = hookURL
	e.setStateLocked(r, Attempting)
	a := Attempt{Number: len(r.Attempts) + 1, At: e.attemptTimeLocked(r), URL: hookURL}
	return a, r.Payload
}

// send POSTs body once and fills in the attempt's outcome. It returns false when ctx ended
// the attempt (the engine is stopping), in which case the outcome means nothing.
func (e *Engine) send(ctx context.Context, a *Attempt, msgID string, body []byte) bool {
	start := e.watch.Now()
	reqCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := e.watch.AfterFunc(e.policy.AttemptTimeout, func() { cancel(errAttemptTimeout) })
	defer timer.Stop()

	req, err := http.NewRequestWithContext(reqCtx, http.MethodPost, a.URL, bytes.NewReader(body))
	if err != nil {
		a.Error = "the hook URL cannot be requested: " + err.Error()
		return true
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	if e.signer != nil {
		if err := e.signer.Sign(req.Header, msgID, a.At, body); err != nil {
			a.Error = "the delivery could not be signed: " + err.Error()
			return true
		}
	}
	resp, err := e.sender.Do(req)
	if err == nil {
		e.readResponse(a, resp)
	}
	a.Duration = e.watch.Now().Sub(start)
	if err != nil {
		if ctx.Err() != nil {
			return false
		}
		a.Error = e.describe(err, context.Cause(reqCtx), req.URL.Hostname())
	}
	return true
}

// readResponse keeps the status and the start of the body. The status line decides the
// outcome, so a body that stalls or breaks after it only shortens what is kept.
func (e *Engine) readResponse(a *Attempt, resp *http.Response) {
	defer resp.Body.Close()
	a.StatusCode = resp.StatusCode
	a.Status = statusLine(resp.StatusCode, resp.Status)
	a.Succeeded = e.policy.Success.OK(resp.StatusCode)
	head, _ := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes))
	a.Response = string(head)
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))
}

// statusLines holds "500 Internal Server Error" and the like, so that the attempts of
// 100,000 deliveries share one copy of each status line instead of retaining a response's.
var statusLines = sync.OnceValue(func() map[int]string {
	m := map[int]string{}
	for code := 100; code < 600; code++ {
		if text := http.StatusText(code); text != "" {
			m[code] = fmt.Sprintf("%d %s", code, text)
		}
	}
	return m
})

// statusLine returns the shared copy of status when it is the standard line for code.
func statusLine(code int, status string) string {
	std, ok := statusLines()[code]
	switch {
	case ok && (status == std || status == ""):
		return std
	case status == "":
		return strconv.Itoa(code)
	}
	return status
}

// describe turns a transport error into plain words.
func (e *Engine) describe(err, cause error, host string) string {
	if errors.Is(cause, errAttemptTimeout) {
		return fmt.Sprintf("no answer within %s", e.policy.AttemptTimeout)
	}
	detail := keap.NoAnswerDetail(err)
	switch keap.JudgeNoAnswer(err) {
	case keap.NoAnswerTimeout:
		return fmt.Sprintf("no answer in time (%v)", detail)
	case keap.NoAnswerRefused:
		return "connection refused: nothing listens at the hook URL"
	case keap.NoAnswerUnknownHost:
		return fmt.Sprintf("the hook URL's host does not resolve (%v)", detail)
	case keap.NoAnswerReset:
		return fmt.Sprintf("the connection closed before an answer came (%v)", detail)
	case keap.NoAnswerNotTLS, keap.NoAnswerCertificate:
		return "TLS failed: " + keap.TLSReason(err, host)
	}
	return detail.Error()
}

// doneOne marks a taken attempt finished and wakes Advance if nothing else is due.
func (e *Engine) doneOne() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.outstanding--
	e.notifyIdleLocked()
}
