package mock

import (
	"slices"

	"github.com/keaphook/keaphook/fixtures"
)

// eventKeySet is the list GET /v1/hooks/event_keys serves, in its original order, plus a set
// for lookups. It never changes after New.
type eventKeySet struct {
	keys []string
	set  map[string]bool
}

func newEventKeySet(keys []string) eventKeySet {
	s := eventKeySet{keys: keys, set: make(map[string]bool, len(keys))}
	for _, k := range keys {
		s.set[k] = true
	}
	return s
}

func (s eventKeySet) list() []string      { return slices.Clone(s.keys) }
func (s eventKeySet) has(key string) bool { return s.set[key] }

// closest returns up to three known keys near a mistyped one, for "did you mean" messages.
func (s eventKeySet) closest(key string) []string { return fixtures.CloseMatches(key, s.keys) }
