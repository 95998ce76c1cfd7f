package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/keap"
)

// triggerFlags are the flags of `keaphook trigger`.
type triggerFlags struct {
	count int
	all   bool
	mock  string
	token string
	json  bool
}

const triggerSynopsis = `trigger EVENT_KEY [flags]   or   trigger --all [flags]

Make an event happen on a running mock the way a user's action in Keap would: through the
mock's own Keap API (create, edit, delete, apply a tag...), creating what the action needs
first, so the delivery's apiUrl points at a real object. Keys Keap's v1 API cannot cause
(leadsource.*, contact.redact, company.delete...) go through the mock's POST /_mock/events.
Prints the requests made and the ids the event carries.`

// maxTriggerCount matches the most objects one Keap delivery carries.
const maxTriggerCount = keap.MaxObjectsPerDelivery

func runTrigger(ctx context.Context, e env, args []string) int {
	var f triggerFlags
	fs := newFlagSet(e, "trigger", triggerSynopsis)
	fs.IntVar(&f.count, "count", 1, fmt.Sprintf("how many objects each event is about, 1 to %d", maxTriggerCount))
	fs.BoolVar(&f.all, "all", false, "trigger every event key the mock knows, once each")
	fs.StringVar(&f.mock, "mock", "http://127.0.0.1:8080", "root `URL` of the running mock")
	fs.StringVar(&f.token, "token", "", "access `token` the mock accepts (default: $KEAP_ACCESS_TOKEN, else \"dev\")")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per event key")
	positional, code := parseInterleaved(fs, e, args)
	if code >= 0 {
		return code
	}
	var key string
	if len(positional) > 0 {
		key, positional = positional[0], positional[1:]
	}
	if code := f.check(e, key, positional); code >= 0 {
		return code
	}
	if f.token == "" {
		f.token = e.getenv("KEAP_ACCESS_TOKEN")
	}
	if f.token == "" {
		f.token = "dev"
	}
	api, err := newMockAPI(f.mock, f.token, &http.Client{Timeout: 30 * time.Second})
	if err != nil {
		return usagef(e, "trigger", "%v", err)
	}
	keys, code := f.keys(ctx, e, api, key)
	if code >= 0 {
		return code
	}
	a := &actor{api: api, now: time.Now, uniq: fmt.Sprintf("%06x", rand.Uint32()&0xffffff)}
	return triggerAll(ctx, newTriggerOut(e, f.json, api.root), a, keys, f.count)
}

// parseInterleaved parses flags wherever they stand, before or after the event key
// (keaphook trigger --mock URL contact.add --count 3), and returns the other arguments.
func parseInterleaved(fs *flag.FlagSet, e env, args []string) ([]string, int) {
	var positional []string
	for {
		if code := parseFlags(fs, e, args); code >= 0 {
			return nil, code
		}
		if fs.NArg() == 0 {
			return positional, -1
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// check reports a wrong command line, or returns -1 to go on.
func (f *triggerFlags) check(e env, key string, rest []string) int {
	switch {
	case len(rest) > 0:
		return usagef(e, "trigger", "unexpected argument %q: give one EVENT_KEY (or --all)", rest[0])
	case f.all && key != "":
		return usagef(e, "trigger", "give an EVENT_KEY or --all, not both")
	case !f.all && key == "":
		return usagef(e, "trigger", "give the EVENT_KEY to trigger, e.g. keaphook trigger contact.add (or --all); see --help")
	case f.count < 1 || f.count > maxTriggerCount:
		return usagef(e, "trigger", "--count must be from 1 to %d, got %d", maxTriggerCount, f.count)
	}
	return -1
}

// keys returns the keys to trigger: every key the mock knows with --all, else the one given,
// which must be one of Keap's keys or one the mock was started with (--event-keys).
func (f *triggerFlags) keys(ctx context.Context, e env, api *mockAPI, key string) ([]string, int) {
	if f.all {
		keys, err := api.kc.EventKeys(ctx)
		if err != nil {
			return nil, failf(e, "trigger", "listing the mock's event keys: %v", api.explain(err))
		}
		return keys, -1
	}
	known := fixtures.EventKeys()
	if slices.Contains(known, key) {
		return []string{key}, -1
	}
	if mockKeys, err := api.kc.EventKeys(ctx); err == nil {
		if slices.Contains(mockKeys, key) {
			return []string{key}, -1
		}
		known = mockKeys
	}
	msg := fmt.Sprintf("%q is not an event key", key)
	if near := fixtures.CloseMatches(key, known); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, ", ") + "?"
	}
	return nil, usagef(e, "trigger", "%s (GET /crm/rest/v1/hooks/event_keys lists them)", msg)
}

// triggerAll makes each key happen and reports each; it goes on past a failure and exits 1
// if any key failed.
func triggerAll(ctx context.Context, out *triggerOut, a *actor, keys []string, n int) int {
	table := actions()
	failed := 0
	for _, key := range keys {
		if ctx.Err() != nil {
			out.stopped(key)
			return exitFailure
		}
		act, ok := table[key]
		if !ok {
			act = invented(key) // a key from the mock's own list: only the mock can cause it
		}
		a.api.done = nil
		ids, err := act(ctx, a, n)
		out.result(key, ids, a.api.done, err)
		if err != nil {
			failed++
		}
	}
	if len(keys) > 1 {
		out.summary(len(keys), failed)
	}
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}
