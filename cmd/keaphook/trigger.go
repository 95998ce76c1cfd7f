package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/trigger"
)

// triggerFlags are the flags of `keaphook trigger`.
type triggerFlags struct {
	count int
	all   bool
	mock  string
	token string
	// shownToken stands for token in the curl commands trigger suggests: "dev" as it is,
	// any other token by where it came from, never its value (stderr ends up in CI logs).
	shownToken     string
	json           bool
	expectDelivery bool
	wait           time.Duration
	trust          trustFlags
}

// triggerHelp ends with every event key trigger knows, wrapped to the terminal's usual width.
var triggerHelp = `trigger EVENT_KEY [flags]   or   trigger --all [flags]

Make an event happen on a running mock the way a user's action in Keap would: through the
mock's own Keap API (create, edit, delete, apply a tag...), creating what the action needs
first, so the delivery's apiUrl points at a real object. Keys Keap's v1 API cannot cause
(leadsource.*, contact.redact, company.delete...) go through the mock's POST /_mock/events.
Prints the requests made, the ids the event carries and how many Verified hooks it reached:
only those get a delivery. With --wait it also waits for each delivery's first attempt and
prints its outcome.

Without --mock it asks the mock 'keaphook mock' would start here: at KEAPHOOK_MOCK_ADDR
(0.0.0.0 and :: through loopback), else at 127.0.0.1:8080, over https when KEAPHOOK_MOCK_TLS
is set.

Examples:
  keaphook trigger contact.add
  keaphook trigger contact.add --count 3 --json
  keaphook trigger contact.add --expect-delivery --wait 2m   # in CI: exits 1 if nothing was delivered
  keaphook trigger --all --mock http://127.0.0.1:9090 --token dev
  keaphook trigger contact.add --mock https://127.0.0.1:8080   # a mock --tls: its local CA is trusted

Event keys:
` + wrapWords(fixtures.EventKeys(), "  ", 90)

func runTrigger(ctx context.Context, e env, args []string) error {
	var f triggerFlags
	fs := newFlagSet("trigger", triggerHelp)
	fs.IntVar(&f.count, "count", 1, fmt.Sprintf("how many objects each event is about, 1 to %d", trigger.MaxCount))
	fs.BoolVar(&f.all, "all", false, "trigger every event key the mock knows, once each")
	fs.StringVar(&f.mock, "mock", defaultMockURL(e.getenv), "root `URL` of the running mock")
	fs.StringVar(&f.token, "token", "", "access `token` the mock accepts (default: $KEAP_ACCESS_TOKEN, else \"dev\")")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per event key")
	f.trust.define(fs)
	fs.BoolVar(&f.expectDelivery, "expect-delivery", false, "exit 1 when an event reaches no Verified hook (with --wait: or a delivery's first attempt fails)")
	fs.DurationVar(&f.wait, "wait", 0, "wait up to this `long` for each delivery's first attempt and print its outcome")
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	var key string
	if len(args) > 0 {
		key, args = args[0], args[1:]
	}
	if err := f.check(key, args); err != nil {
		return fs.usage(err)
	}
	f.token, f.shownToken = resolveTriggerToken(f.token, e.getenv("KEAP_ACCESS_TOKEN"))
	transport, err := f.trust.transport()
	if err != nil {
		return fs.usage(err)
	}
	tr, err := trigger.New(trigger.Config{MockURL: f.mock, Token: f.token,
		HTTPClient: &http.Client{Transport: transport, Timeout: 30 * time.Second}})
	if err != nil {
		return fs.usage(fmt.Errorf("--mock: %v", err))
	}
	keys, err := f.keys(ctx, tr, key)
	if err != nil {
		return err
	}
	run := &triggerRun{f: &f, tr: tr, out: newTriggerOut(e, f.json), stderr: newUI(e.stderr, e.getenv, false)}
	return run.all(ctx, keys)
}

// resolveTriggerToken is the token to send (--token, else $KEAP_ACCESS_TOKEN, else "dev")
// and the words that stand for it in advice.
func resolveTriggerToken(flagValue, envValue string) (token, shown string) {
	token = cmp.Or(flagValue, envValue, "dev")
	switch {
	case token == "dev":
		return token, token
	case flagValue == "":
		return token, "$KEAP_ACCESS_TOKEN"
	}
	return token, "<your token>"
}

// check reports a wrong command line.
func (f *triggerFlags) check(key string, rest []string) error {
	switch {
	case len(rest) > 0:
		return fmt.Errorf("unexpected argument %q: give one EVENT_KEY (or --all)", rest[0])
	case f.all && key != "":
		return errors.New("give an EVENT_KEY or --all, not both")
	case !f.all && key == "":
		return errors.New("give the EVENT_KEY to trigger, e.g. keaphook trigger contact.add (or --all)")
	case f.count < 1 || f.count > trigger.MaxCount:
		return fmt.Errorf("--count must be from 1 to %d, got %d", trigger.MaxCount, f.count)
	case f.wait < 0:
		return fmt.Errorf("--wait must not be negative, got %s", f.wait)
	}
	return nil
}

// keys returns the keys to trigger: every key the mock knows with --all, else the one given,
// which must be one of Keap's keys or one the mock was started with (--event-keys).
func (f *triggerFlags) keys(ctx context.Context, tr *trigger.Trigger, key string) ([]string, error) {
	if f.all {
		keys, err := tr.EventKeys(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the mock's event keys: %w", explainMockError(err, tr.Root()))
		}
		return keys, nil
	}
	known := fixtures.EventKeys()
	if slices.Contains(known, key) {
		return []string{key}, nil
	}
	if mockKeys, err := tr.EventKeys(ctx); err == nil {
		if slices.Contains(mockKeys, key) {
			return []string{key}, nil
		}
		known = mockKeys
	}
	msg := fmt.Sprintf("%q is not an event key", key)
	if near := fixtures.CloseMatches(key, known); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return nil, usagef("%s (keaphook trigger --help lists them)", msg)
}

// triggerRun is one run of `keaphook trigger`: it fires each key, goes on past a failure,
// and exits 1 if any key failed (or, with --expect-delivery, delivered nothing).
type triggerRun struct {
	f      *triggerFlags
	tr     *trigger.Trigger
	out    *triggerOut
	stderr *ui
	// counts over the run
	failed, unreached, undelivered int
}

func (r *triggerRun) all(ctx context.Context, keys []string) error {
	wait := r.f.wait > 0 && r.canWait(ctx)
	for _, key := range keys {
		if ctx.Err() != nil {
			return interrupted("interrupted before %s", key)
		}
		res := r.tr.Fire(ctx, key, r.f.count)
		if ctx.Err() != nil {
			return interrupted("interrupted during %s", key)
		}
		if res.Err != nil {
			res.Err = explainMockError(res.Err, r.tr.Root())
			res.Error = res.Err.Error()
			r.failed++
		} else if res.VerifiedHooks == 0 {
			r.unreached++
		}
		var outcomes []delivery.Delivery
		if wait && res.Err == nil && res.VerifiedHooks > 0 {
			outcomes = r.waitFor(ctx, res)
		}
		r.out.result(res, outcomes, wait)
	}
	if ctx.Err() != nil {
		return interrupted("interrupted while waiting for the deliveries of %s", keys[len(keys)-1])
	}
	return r.end(keys)
}

// canWait says whether waiting can see anything: under a virtual clock nothing is attempted
// until the clock is advanced, so trigger says how instead of waiting in vain.
func (r *triggerRun) canWait(ctx context.Context) bool {
	timing, err := r.tr.Timing(ctx)
	if err != nil || timing != delivery.TimingVirtual {
		return true
	}
	r.stderr.Warnf("keaphook trigger: the mock's clock is virtual, so nothing is attempted until it is advanced; not waiting.\n"+
		"  advance it: curl -X POST -H 'Authorization: Bearer %s' -d '{\"by\":\"15m\"}' %s/_mock/clock/advance\n"+
		"  then see:   curl -H 'Authorization: Bearer %s' %s/_mock/deliveries", r.f.shownToken, r.tr.Root(), r.f.shownToken, r.tr.Root())
	return false
}

// waitFor waits up to --wait for res's deliveries to settle and counts the ones that did
// not succeed at once.
func (r *triggerRun) waitFor(ctx context.Context, res trigger.Result) []delivery.Delivery {
	wctx, cancel := context.WithTimeout(ctx, r.f.wait)
	defer cancel()
	ds, _ := r.tr.Wait(wctx, res, 200*time.Millisecond, time.After)
	for _, d := range ds {
		if d.State != delivery.Delivered {
			r.undelivered++
		}
	}
	if len(ds) < res.VerifiedHooks {
		r.undelivered += res.VerifiedHooks - len(ds)
	}
	return ds
}

// end prints the summary and warnings and chooses the outcome.
func (r *triggerRun) end(keys []string) error {
	if len(keys) > 1 {
		r.out.summary(len(keys), r.failed, len(keys)-r.failed-r.unreached)
	}
	if r.unreached > 0 {
		what := keys[0] + " reached no Verified hook, so nothing was delivered for it"
		if len(keys) > 1 {
			what = fmt.Sprintf("%d of %d event keys reached no Verified hook, so nothing was delivered for them", r.unreached, len(keys))
		}
		r.stderr.Warnf("keaphook trigger: warning: %s; subscribe a hook first "+
			"(POST /crm/rest/v1/hooks, or keaphook listen --register KEYS --keap %s/crm/rest --token %s)", what, r.tr.Root(), r.f.shownToken)
	}
	switch {
	case r.failed > 0:
		return errReported
	case r.f.expectDelivery && r.unreached > 0:
		return fmt.Errorf("--expect-delivery: %d event key(s) reached no Verified hook", r.unreached)
	case r.f.expectDelivery && r.undelivered > 0:
		return fmt.Errorf("--expect-delivery: %d of the deliveries failed its first attempt", r.undelivered)
	}
	return nil
}

// explainMockError adds what to do to the errors a user can fix: a refused token, a mock that
// is not there, an https URL for a plain-HTTP mock.
func explainMockError(err error, root string) error {
	if keapclient.IsUnauthorized(err) {
		return fmt.Errorf("%w (the mock refused the token: pass the one it accepts with --token)", err)
	}
	if !errors.As(err, new(*url.Error)) {
		return err
	}
	if keap.JudgeNoAnswer(err) == keap.NoAnswerCanceled {
		return err
	}
	return fmt.Errorf("cannot reach the mock at %s: %s", root, whyNoAnswer(err, root, "--mock"))
}

// whyNoAnswer says in words why asking the mock at root, given with flag, got no answer.
func whyNoAnswer(err error, root, flag string) string {
	switch keap.JudgeNoAnswer(err) {
	case keap.NoAnswerRefused:
		return "connection refused (is it running? start it with: keaphook mock)"
	case keap.NoAnswerUnknownHost:
		return "the host name does not resolve (check " + flag + ")"
	case keap.NoAnswerNotTLS:
		return "it speaks plain HTTP, not HTTPS (use http:// in " + flag + ")"
	case keap.NoAnswerCertificate:
		return fmt.Sprintf("TLS failed: %s (a mock --tls is trusted through --ca-dir, its local CA, or --ca-file)", keap.TLSReason(err, hostOf(root)))
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // the URL is said already
	}
	if keap.JudgeNoAnswer(err) == keap.NoAnswerTimeout {
		return fmt.Sprintf("no answer in time (%v)", err)
	}
	return err.Error()
}
