package resources

import (
	"net/http/httptest"
	"testing"
)

// since and until bound one date field; a stamp that cannot be read is outside any bound.
func TestDateRangeExcludes(t *testing.T) {
	cases := []struct {
		query, stamp string
		excluded     bool
	}{
		{"", "", false},
		{"", "2024-03-14T16:20:58.000Z", false},
		{"since=2024-03-14T00:00:00Z", "2024-03-14T16:20:58.000Z", false},
		{"since=2024-03-15T00:00:00Z", "2024-03-14T16:20:58.000Z", true},
		{"until=2024-03-14T00:00:00Z", "2024-03-14T16:20:58.000Z", true},
		{"until=2024-03-15T00:00:00Z", "2024-03-14T16:20:58.000Z", false},
		{"since=2024-03-14T16:20:58Z&until=2024-03-14T16:20:58Z", "2024-03-14T16:20:58.000Z", false},
		{"since=2024-03-14T00:00:00Z", "", true},
		{"until=2024-03-14T00:00:00Z", "March", true},
	}
	for _, c := range cases {
		q := newQuery(httptest.NewRequest("GET", "/v1/tasks?"+c.query, nil))
		d := q.dateRange()
		if err := q.err(); err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if got := d.excludes(c.stamp); got != c.excluded {
			t.Errorf("?%s excludes %q = %v, want %v", c.query, c.stamp, got, c.excluded)
		}
	}
}
