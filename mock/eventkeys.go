package mock

import (
	"slices"
	"strings"
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

// closest returns up to n known keys nearest to key by edit distance (case-insensitive), for
// "did you mean" messages; keys further than a third of their length are not suggested.
func (s eventKeySet) closest(key string, n int) []string {
	type cand struct {
		key  string
		dist int
	}
	var cands []cand
	for _, k := range s.keys {
		d := editDistance(strings.ToLower(key), strings.ToLower(k))
		if d <= max(2, len(k)/3) {
			cands = append(cands, cand{k, d})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return a.dist - b.dist })
	var out []string
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].key)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
