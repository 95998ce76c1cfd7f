package resources

import (
	"strings"
	"testing"
)

// Every route is one of Keap's own operations, spelled as Keap's document spells it.
func TestEveryRouteIsAKeapOperation(t *testing.T) {
	h := newHarness(t, false)
	seen := map[string]bool{}
	for _, rt := range h.store.Routes() {
		key := rt.Method + " " + rt.Path
		if seen[key] {
			t.Errorf("%s is registered twice", key)
		}
		seen[key] = true
		if !h.v.Has(rt.Method, "/v1"+rt.Path) {
			t.Errorf("%s is not an operation of Keap's v1 document", key)
		}
		if strings.Contains(rt.Path, "?") || !strings.HasPrefix(rt.Path, "/") {
			t.Errorf("%s: a path template starts with / and has no query", key)
		}
		if rt.Handler == nil {
			t.Errorf("%s has no handler", key)
		}
	}
	if len(seen) < 50 {
		t.Errorf("only %d routes", len(seen))
	}
}
