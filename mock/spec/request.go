package spec

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// review is what checking a request body against its schema found: the first mistake the
// caller must fix, and the fields the schema does not list (ignored unless strict).
type review struct {
	problem string
	unknown []string
}

// check walks v against schema i. full says whether the schema's required fields must be
// there (a create or a replace); a patch sends only what changes.
func (e examples) check(i int, v any, at string, full bool, r *review) {
	if r.problem != "" {
		return
	}
	s := &e.schemas[i]
	if p := e.scalarProblem(s, v); p != "" {
		r.problem = fmt.Sprintf("%s %s", field(at), p)
		return
	}
	switch s.Type {
	case "object":
		e.checkObject(s, v.(map[string]any), at, full, r)
	case "array":
		for n, item := range v.([]any) {
			e.check(s.Items, item, at+"["+strconv.Itoa(n)+"]", full, r)
		}
	}
}

func (e examples) checkObject(s *catalog.Schema, m map[string]any, at string, full bool, r *review) {
	for _, name := range sortedNames(m) {
		child, ok := s.Props[name]
		switch {
		case ok:
			e.check(child, m[name], join(at, name), full, r)
		case s.Additional != 0:
			e.check(s.Additional, m[name], join(at, name), full, r)
		case len(s.Props) > 0:
			r.unknown = append(r.unknown, join(at, name))
		}
	}
	if !full {
		return
	}
	for _, name := range s.Required {
		if _, ok := m[name]; !ok && r.problem == "" {
			r.problem = fmt.Sprintf("%s is required", field(join(at, name)))
		}
	}
}

func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

func field(at string) string {
	if at == "" {
		return "the body"
	}
	return fmt.Sprintf("field %q", at)
}

func sortedNames(m map[string]any) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// coerceNumbers turns strings holding numbers into numbers where schema i wants one, as
// Keap's Jackson reads "2001" into a numeric field. Only the lenient reading does this.
func (e examples) coerceNumbers(i int, v any) any {
	s := &e.schemas[i]
	switch val := v.(type) {
	case string:
		if s.Type == "integer" || s.Type == "number" {
			if n := strings.TrimSpace(val); httpapi.ValidNumber(n) {
				return json.Number(n)
			}
		}
	case map[string]any:
		for k, child := range val {
			if p, ok := s.Props[k]; ok {
				val[k] = e.coerceNumbers(p, child)
			} else if s.Additional != 0 {
				val[k] = e.coerceNumbers(s.Additional, child)
			}
		}
	case []any:
		for n, child := range val {
			val[n] = e.coerceNumbers(s.Items, child)
		}
	}
	return v
}
