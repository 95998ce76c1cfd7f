package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// fit returns v made valid for schema i, and whether it could be. An object keeps the
// properties the schema lists that fit, loses the others, and gets the required ones it
// lacks from the examples; a value of the wrong type, outside the enum or the bounds does
// not fit. Stored objects go out through fit, so every answer matches its schema.
func (e examples) fit(i int, v any, depth int) (any, bool) {
	s := &e.schemas[i]
	if impossible(s) {
		return nil, false
	}
	if problem := e.scalarProblem(s, v); problem != "" {
		return nil, false
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		return e.fitObject(s, m, depth), true
	case "array":
		list, ok := v.([]any)
		if !ok {
			return nil, false
		}
		out := make([]any, 0, len(list))
		seen := map[string]bool{} // for uniqueItems: the JSON of each item kept
		for _, item := range list {
			x, ok := e.fit(s.Items, item, depth+1)
			if !ok {
				continue
			}
			if s.Unique {
				b, _ := json.Marshal(x)
				if seen[string(b)] {
					continue
				}
				seen[string(b)] = true
			}
			out = append(out, x)
		}
		return out, true
	}
	return v, true
}

func (e examples) fitObject(s *catalog.Schema, m map[string]any, depth int) map[string]any {
	out := make(map[string]any, len(s.Props))
	for name, child := range s.Props {
		if x, ok := m[name]; ok {
			if fitted, ok := e.fit(child, x, depth+1); ok {
				out[name] = fitted
			}
		}
	}
	if len(s.Props) == 0 && s.Additional != 0 {
		for k, x := range m {
			if fitted, ok := e.fit(s.Additional, x, depth+1); ok {
				out[k] = fitted
			}
		}
	}
	for _, name := range s.Required {
		if _, ok := out[name]; !ok && depth < maxDepth {
			out[name] = e.value(s.Props[name], name, depth+1)
		}
	}
	return out
}

// impossible reports a schema no value can match: Keap's v2 task has an integer
// remind_time_mins whose enum lists strings ("5", "10", ...). Answers leave such a field
// out; requests may send it either way.
func impossible(s *catalog.Schema) bool {
	if len(s.Enum) == 0 {
		return false
	}
	for _, v := range s.Enum {
		switch v.(type) {
		case string:
			if s.Type == "string" || s.Type == "" {
				return false
			}
		case json.Number:
			if s.Type == "integer" || s.Type == "number" || s.Type == "" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// scalarProblem says what is wrong with v for s's type, enum, format and bounds, in words
// for a person; "" when nothing is.
func (e examples) scalarProblem(s *catalog.Schema, v any) string {
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(x any) bool { return fmt.Sprint(x) == fmt.Sprint(v) }) {
		return "must be one of " + enumList(s.Enum)
	}
	if impossible(s) {
		return ""
	}
	switch s.Type {
	case "object":
		if _, ok := v.(map[string]any); !ok {
			return "must be a JSON object"
		}
	case "array":
		if _, ok := v.([]any); !ok {
			return "must be a JSON array"
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return "must be a string"
		}
		return textProblem(s, str)
	case "integer", "number":
		n, ok := v.(json.Number)
		if !ok {
			return "must be a number"
		}
		return numberProblem(s, n)
	case "boolean":
		if _, ok := v.(bool); !ok {
			return "must be true or false"
		}
	}
	return ""
}

func textProblem(s *catalog.Schema, str string) string {
	switch {
	case s.Format == "date-time" && !parses(time.RFC3339, str):
		return "must be a date-time such as 2024-03-14T16:21:37.000Z"
	case s.Format == "date" && !parses(time.DateOnly, str):
		return "must be a date such as 2024-03-14"
	case len(str) < s.MinLength:
		return fmt.Sprintf("must be at least %d characters", s.MinLength)
	case s.MaxLength > 0 && len(str) > s.MaxLength:
		return fmt.Sprintf("must be at most %d characters", s.MaxLength)
	}
	return ""
}

func numberProblem(s *catalog.Schema, n json.Number) string {
	f, err := n.Float64()
	switch {
	case err != nil || math.IsInf(f, 0):
		return "must be a number"
	case s.Type == "integer" && f != math.Trunc(f):
		return "must be a whole number"
	case s.Type == "integer" && (s.Format == "int32" && math.Abs(f) > math.MaxInt32 || math.Abs(f) > 1<<53):
		return "is too large"
	case s.Min != nil && f < *s.Min:
		return fmt.Sprintf("must be at least %v", *s.Min)
	case s.Max != nil && f > *s.Max:
		return fmt.Sprintf("must be at most %v", *s.Max)
	}
	return ""
}

func parses(layout, s string) bool {
	_, err := time.Parse(layout, s)
	return err == nil
}

func enumList(values []any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}
