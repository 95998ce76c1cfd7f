package mock

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/store"
)

// hookStore holds the hook subscriptions and the latest handshake secret of each. It is safe
// for concurrent use; handshakes run outside its lock and settle with the secret they used,
// so a slow handshake cannot overwrite the result of a newer one.
type hookStore struct {
	mu     sync.Mutex
	hooks  map[string]*hookEntry
	lastID int64
}

type hookEntry struct {
	hook   keap.RestHook
	secret string // the latest secret sent to hookUrl; "" before the first handshake
}

var (
	errNoHook      = errors.New("no such hook")
	errNoSecret    = errors.New("no handshake has been attempted for this hook")
	errWrongSecret = errors.New("secret does not match the latest one sent")
	errSuperseded  = errors.New("a newer handshake superseded this one")
)

func newHookStore() *hookStore {
	return &hookStore{hooks: map[string]*hookEntry{}}
}

func (st *hookStore) create(req keap.RestHookRequest) keap.RestHook {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.lastID++
	h := keap.RestHook{
		Key: strconv.FormatInt(st.lastID, 10), EventKey: req.EventKey,
		HookURL: req.HookURL, Status: keap.StatusUnverified,
	}
	st.hooks[h.Key] = &hookEntry{hook: h}
	return h
}

func (st *hookStore) get(key string) (keap.RestHook, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e, ok := st.hooks[key]
	if !ok {
		return keap.RestHook{}, false
	}
	return e.hook, true
}

// list returns every hook in key order (keys are integers, so "2" comes before "10").
func (st *hookStore) list() []keap.RestHook {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]keap.RestHook, 0, len(st.hooks))
	for _, e := range st.hooks {
		out = append(out, e.hook)
	}
	slices.SortFunc(out, func(a, b keap.RestHook) int { return compareKeys(a.Key, b.Key) })
	return out
}

// forEvent returns the hooks subscribed to eventKey, any status, in key order. The delivery
// engine calls it on every event, so it sorts only the hooks it returns.
func (st *hookStore) forEvent(eventKey string) []keap.RestHook {
	st.mu.Lock()
	var out []keap.RestHook
	for _, e := range st.hooks {
		if e.hook.EventKey == eventKey {
			out = append(out, e.hook)
		}
	}
	st.mu.Unlock()
	slices.SortFunc(out, func(a, b keap.RestHook) int { return compareKeys(a.Key, b.Key) })
	return out
}

// compareKeys orders hook keys as the integers they are: a shorter key is a smaller number.
func compareKeys(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
}

// update replaces eventKey and hookUrl. A new hookUrl makes the hook Unverified again: the new
// endpoint has to prove itself. It reports whether the URL changed.
func (st *hookStore) update(key string, req keap.RestHookRequest) (keap.RestHook, bool, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e, ok := st.hooks[key]
	if !ok {
		return keap.RestHook{}, false, errNoHook
	}
	changed := e.hook.HookURL != req.HookURL
	e.hook.EventKey, e.hook.HookURL = req.EventKey, req.HookURL
	if changed {
		e.hook.Status = keap.StatusUnverified
		e.secret = ""
	}
	return e.hook, changed, nil
}

func (st *hookStore) delete(key string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.hooks[key]
	delete(st.hooks, key)
	return ok
}

// issueSecret records secret as the only one now valid for key and returns the hook as it is.
func (st *hookStore) issueSecret(key, secret string) (keap.RestHook, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e, ok := st.hooks[key]
	if !ok {
		return keap.RestHook{}, errNoHook
	}
	e.secret = secret
	return e.hook, nil
}

// settle records a successful handshake made with secret; it verifies (or reactivates) the
// hook only if secret is still the latest issued and the URL has not changed meanwhile.
// A failed handshake changes nothing: the hook keeps the status it had.
func (st *hookStore) settle(key, secret, hookURL string) (keap.RestHook, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e, ok := st.hooks[key]
	if !ok {
		return keap.RestHook{}, errNoHook
	}
	if e.secret != secret || e.hook.HookURL != hookURL {
		return e.hook, errSuperseded
	}
	e.hook.Status = keap.StatusVerified
	return e.hook, nil
}

// confirmDelayed verifies the hook when secret is the latest one sent to its hookUrl.
func (st *hookStore) confirmDelayed(key, secret string) (keap.RestHook, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e, ok := st.hooks[key]
	switch {
	case !ok:
		return keap.RestHook{}, errNoHook
	case e.secret == "":
		return e.hook, errNoSecret
	case !keap.SameSecret(e.secret, secret):
		return e.hook, errWrongSecret
	}
	e.hook.Status = keap.StatusVerified
	return e.hook, nil
}

// deactivate marks a hook Inactive and calls save with the ops that record it before any
// other change to the hook can come between (an absent hook changes nothing: save gets the
// op that keeps it absent).
func (st *hookStore) deactivate(key string, save func(...store.Op)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if e, ok := st.hooks[key]; ok {
		e.hook.Status = keap.StatusInactive
	}
	save(st.opsLocked(key)...)
}

// restore replaces the store's content with saved entries; keys continue after lastID.
func (st *hookStore) restore(entries []hookEntry, lastID int64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.hooks = make(map[string]*hookEntry, len(entries))
	for _, e := range entries {
		st.hooks[e.hook.Key] = &e
		if id, err := strconv.ParseInt(e.hook.Key, 10, 64); err == nil && id > lastID {
			lastID = id
		}
	}
	st.lastID = lastID
}
