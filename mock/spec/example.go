package spec

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// Depths at which examples stop: optional properties are left out below optionalDepth, and
// nothing is built below maxDepth (Keap's v1 Throwable contains itself).
const (
	optionalDepth = 5
	maxDepth      = 12
)

// examples builds values from schemas: every property filled, enums at their first value,
// strings by format and name, numbers at the lowest value allowed from 1 up.
type examples struct {
	schemas []catalog.Schema
	now     time.Time
}

func (e examples) value(i int, name string, depth int) any {
	s := &e.schemas[i]
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	switch s.Type {
	case "object":
		return e.object(s, depth)
	case "array":
		if depth >= optionalDepth {
			return []any{}
		}
		return []any{e.value(s.Items, singular(name), depth+1)}
	case "string":
		return e.text(s, name)
	case "integer":
		return json.Number(strconv.FormatInt(int64(e.number(s)), 10))
	case "number":
		return json.Number(strconv.FormatFloat(e.number(s), 'f', -1, 64))
	case "boolean":
		return false
	}
	return "example"
}

func (e examples) object(s *catalog.Schema, depth int) map[string]any {
	out := make(map[string]any, len(s.Props))
	for name, child := range s.Props {
		optional := !required(s, name)
		if depth >= maxDepth || (depth >= optionalDepth || impossible(&e.schemas[child])) && optional {
			continue
		}
		out[name] = e.value(child, name, depth+1)
	}
	return out
}

func required(s *catalog.Schema, name string) bool {
	for _, r := range s.Required {
		if r == name {
			return true
		}
	}
	return false
}

func (e examples) number(s *catalog.Schema) float64 {
	n := 1.0
	if s.Min != nil && *s.Min > n {
		n = *s.Min
	}
	if s.Max != nil && *s.Max < n {
		n = *s.Max
	}
	return n
}

func (e examples) text(s *catalog.Schema, name string) string {
	var v string
	switch s.Format {
	case "date-time":
		return e.now.UTC().Format("2006-01-02T15:04:05.000Z")
	case "date":
		return e.now.UTC().Format(time.DateOnly)
	case "byte":
		return "ZXhhbXBsZQ=="
	}
	lower := strings.ToLower(name)
	switch {
	case strings.Contains(lower, "email"):
		v = "someone@example.com"
	case strings.Contains(lower, "url") || strings.Contains(lower, "website"):
		v = "https://example.com"
	case strings.Contains(lower, "phone"):
		v = "555-0100"
	default:
		v = "example"
	}
	for len(v) < s.MinLength {
		v += "x"
	}
	if s.MaxLength > 0 && len(v) > s.MaxLength {
		v = v[:s.MaxLength]
	}
	return v
}

func singular(name string) string { return strings.TrimSuffix(name, "s") }
