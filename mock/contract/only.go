package contract

import (
	"fmt"
	"strings"
)

// ParseOnly reads a comma-separated list of check names, as --only takes it. Names are
// matched without regard to case (empty-apiUrl is easy to mistype) and returned in their
// canonical spelling, once each, in the order given. An unknown name is an error that lists
// the valid ones; an empty list is an error too, since running nothing is never meant.
func ParseOnly(s string) ([]string, error) {
	var names []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			names = append(names, part)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no check named in %q (valid: %s)", s, strings.Join(Checks(), ", "))
	}
	return canonicalNames(names)
}

// canonicalNames maps names to their canonical spelling, dropping repeats.
func canonicalNames(names []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		canon, ok := lookupCheck(n)
		if !ok {
			return nil, fmt.Errorf("unknown check %q (valid: %s)", n, strings.Join(Checks(), ", "))
		}
		if !seen[canon] {
			seen[canon] = true
			out = append(out, canon)
		}
	}
	return out, nil
}

func lookupCheck(name string) (string, bool) {
	name = strings.TrimSpace(name)
	for _, c := range suite {
		if strings.EqualFold(c.name, name) {
			return c.name, true
		}
	}
	return "", false
}
