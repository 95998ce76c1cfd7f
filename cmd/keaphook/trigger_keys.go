package main

import (
	"slices"
	"strings"
)

// closeMatches returns the keys within a small edit distance of a mistyped one, nearest
// first (at most three), so "contact.ad" suggests "contact.add".
func closeMatches(typed string, keys []string) []string {
	type scored struct {
		key  string
		dist int
	}
	limit := max(2, len(typed)/4)
	var near []scored
	for _, k := range keys {
		d := editDistance(strings.ToLower(typed), strings.ToLower(k))
		if d <= limit {
			near = append(near, scored{k, d})
		}
	}
	slices.SortStableFunc(near, func(a, b scored) int { return a.dist - b.dist })
	var out []string
	for i, s := range near {
		if i == 3 {
			break
		}
		out = append(out, s.key)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, by bytes (event keys are ASCII).
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
