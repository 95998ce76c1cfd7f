package main

import (
	"cmp"
	"context"
	"errors"
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

// triggerHelp ends with every event key trigger knows, wrapped to the terminal's usual width.
var triggerHelp = `trigger EVENT_KEY [flags]   or   trigger --all [flags]

Make an event happen on a running mock the way a user's action in Keap would: through the
mock's own Keap API (create, edit, delete, apply a tag...), creating what the action needs
first, so the delivery's apiUrl points at a real object. Keys Keap's v1 API cannot cause
(leadsource.*, contact.redact, company.delete...) go through the mock's POST /_mock/events.
Prints the requests made and the ids the event carries.

Examples:
  keaphook trigger contact.add
  keaphook trigger contact.add --count 3 --json
  keaphook trigger --all --mock http://127.0.0.1:9090 --token dev

Event keys:
` + wrapWords(fixtures.EventKeys(), "  ", 90)

// maxTriggerCount matches the most objects one Keap delivery carries.
const maxTriggerCount = keap.MaxObjectsPerDelivery

func runTrigger(ctx context.Context, e env, args []string) error {
	var f triggerFlags
	fs := newFlagSet("trigger", triggerHelp)
	fs.IntVar(&f.count, "count", 1, fmt.Sprintf("how many objects each event is about, 1 to %d", maxTriggerCount))
	fs.BoolVar(&f.all, "all", false, "trigger every event key the mock knows, once each")
	fs.StringVar(&f.mock, "mock", "http://127.0.0.1:8080", "root `URL` of the running mock")
	fs.StringVar(&f.token, "token", "", "access `token` the mock accepts (default: $KEAP_ACCESS_TOKEN, else \"dev\")")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per event key")
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
	f.token = cmp.Or(f.token, e.getenv("KEAP_ACCESS_TOKEN"), "dev")
	api, err := newMockAPI(f.mock, f.token, &http.Client{Timeout: 30 * time.Second})
	if err != nil {
		return fs.usage(err)
	}
	keys, err := f.keys(ctx, api, key)
	if err != nil {
		return err
	}
	a := &actor{api: api, now: time.Now, uniq: fmt.Sprintf("%06x", rand.Uint32()&0xffffff)}
	return triggerAll(ctx, newTriggerOut(e, f.json, api.root), a, keys, f.count)
}

// wrapWords joins words into lines of at most width characters, each starting with indent.
func wrapWords(words []string, indent string, width int) string {
	var b strings.Builder
	line := indent
	for i, w := range words {
		if i > 0 && len(line)+len(w)+1 > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		line += w + " "
	}
	return b.String() + strings.TrimRight(line, " ")
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
	case f.count < 1 || f.count > maxTriggerCount:
		return fmt.Errorf("--count must be from 1 to %d, got %d", maxTriggerCount, f.count)
	}
	return nil
}

// keys returns the keys to trigger: every key the mock knows with --all, else the one given,
// which must be one of Keap's keys or one the mock was started with (--event-keys).
func (f *triggerFlags) keys(ctx context.Context, api *mockAPI, key string) ([]string, error) {
	if f.all {
		keys, err := api.kc.EventKeys(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing the mock's event keys: %w", api.explain(err))
		}
		return keys, nil
	}
	known := fixtures.EventKeys()
	if slices.Contains(known, key) {
		return []string{key}, nil
	}
	if mockKeys, err := api.kc.EventKeys(ctx); err == nil {
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

// triggerAll makes each key happen and reports each; it goes on past a failure and exits 1
// if any key failed.
func triggerAll(ctx context.Context, out *triggerOut, a *actor, keys []string, n int) error {
	table := actions()
	failed := 0
	for _, key := range keys {
		if ctx.Err() != nil {
			out.stopped(key)
			return ctx.Err()
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
		return errReported
	}
	return nil
}
