package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
)

// keapCallTimeout bounds every call listen makes to Keap. Keap answers a create only after
// the handshake, which the mock allows 10 s by default, so the bound leaves room for that.
const keapCallTimeout = 30 * time.Second

// defaultKeapWait is how long listen --register waits for Keap to answer at start, so that a
// relay started just before the mock does not fail at once.
const defaultKeapWait = 10 * time.Second

// awaitKeap waits (up to --wait) for Keap to answer, then checks the event keys to register
// against Keap's own list, before anything is printed about the relay.
func (l *listener) awaitKeap(ctx context.Context) error {
	if len(l.f.register) == 0 {
		return nil
	}
	known, err := waitForEventKeys(ctx, l.kc, l.f.wait, func() {
		l.out.say(toneInfo, fmt.Sprintf("waiting up to %s for Keap at %s ...", l.f.wait, keap.ShownURL(l.kc.BaseURL())))
	})
	if err != nil {
		return err
	}
	return checkEventKeys(l.f.register, known)
}

// retryDelays are the pauses between attempts to reach Keap while waiting for it to start.
var retryDelays = []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond}

// waitForEventKeys asks Keap for its event keys until it answers or wait has passed.
// waiting is called once, when the first attempt found nobody there. An answer from Keap
// that is an error (a refused token), or a certificate refused, ends the wait at once: it
// will not change.
//
// wait bounds the calls too, not only the pauses between them: a Keap that accepts the
// connection and never answers would otherwise hold the start for the whole call timeout
// (keapCallTimeout, 30 s), whatever --wait says. --wait 0 means a single attempt, which only
// the call timeout bounds.
func waitForEventKeys(ctx context.Context, kc *keapclient.Client, wait time.Duration, waiting func()) ([]string, error) {
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	callCtx := waitCtx
	if wait == 0 {
		callCtx = ctx
	}
	for attempt := 0; ; attempt++ {
		keys, err := kc.EventKeys(callCtx)
		var api *keapclient.APIError
		switch {
		case err == nil:
			return keys, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case keapclient.IsUnauthorized(err):
			return nil, fmt.Errorf("Keap at %s refused the token: %w; check --token or --api-key (KEAP_ACCESS_TOKEN, KEAP_API_KEY)", keap.ShownURL(kc.BaseURL()), err)
		case errors.As(err, &api):
			return nil, fmt.Errorf("Keap at %s refused to list its event keys: %w", keap.ShownURL(kc.BaseURL()), err)
		case keap.JudgeNoAnswer(err) == keap.NoAnswerCertificate: // waiting will not fix a certificate
			return nil, fmt.Errorf("Keap at %s: %s; a mock --tls is trusted through its local CA in --ca-dir, or --ca-file", keap.ShownURL(kc.BaseURL()), tlsWords(err))
		}
		if waitCtx.Err() != nil { // the call itself used up the wait
			return nil, unreachableKeap(kc.BaseURL(), wait, err)
		}
		if attempt == 0 && wait > 0 {
			waiting()
		}
		pause := time.NewTimer(retryDelays[min(attempt, len(retryDelays)-1)])
		select {
		case <-pause.C:
		case <-waitCtx.Done():
			pause.Stop()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, unreachableKeap(kc.BaseURL(), wait, err)
		}
	}
}

// unreachableKeap says that Keap never answered, and what to do about it.
func unreachableKeap(base string, wait time.Duration, last error) error {
	hint := "is the mock running? pass --keap with its URL (keaphook mock serves http://127.0.0.1:8080/crm/rest)"
	if strings.TrimRight(base, "/") == keap.DefaultBaseURL {
		hint = "check the internet connection, or pass --keap with a mock's URL"
	}
	why := last.Error()
	var op *net.OpError
	switch {
	case keap.JudgeNoAnswer(last) == keap.NoAnswerUnknownHost:
		why = "its host name did not resolve"
	case errors.As(last, &op) && op.Op == "dial":
		why = "no connection could be made"
	case errors.Is(last, context.DeadlineExceeded):
		why = "the connection was accepted but no answer came"
	}
	return fmt.Errorf("Keap at %s did not answer within %s (--wait): %s; %s", keap.ShownURL(base), wait, why, hint)
}

// checkEventKeys refuses an event key Keap does not know, with the nearest it does.
func checkEventKeys(register, known []string) error {
	for _, key := range register {
		if slices.Contains(known, key) {
			continue
		}
		if near := fixtures.CloseMatches(key, known); len(near) > 0 {
			return usagef("--register: Keap has no event key %q; did you mean %s?", key, near[0])
		}
		return usagef("--register: Keap has no event key %q (GET /v1/hooks/event_keys lists the %d it has)", key, len(known))
	}
	return nil
}
