package httpapi

import (
	"reflect"
	"sync"
)

// The fast path for reading a body: most bodies name only fields their Go type has, spelt
// exactly. Scanning the bytes for object keys and looking each up in the set of names the
// type uses anywhere answers that without decoding the body twice; only a body with some
// other key takes the slow path that finds out which key, and where.

// namesCache holds allNames' answer per type.
var namesCache sync.Map // reflect.Type → map[string]bool

// allNames is every JSON field name used anywhere in t's tree of structs.
func allNames(t reflect.Type) map[string]bool {
	if m, ok := namesCache.Load(t); ok {
		return m.(map[string]bool)
	}
	names := map[string]bool{}
	collectNames(t, names, map[reflect.Type]bool{})
	namesCache.Store(t, names)
	return names
}

func collectNames(t reflect.Type, names map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for name, ft := range jsonFields(t) {
		names[name] = true
		collectNames(ft, names, seen)
	}
}

// keysKnown reports whether every object key in body is one of names. It gives up (false)
// on a key with an escape sequence, which the slow path reads properly; for a body that is
// not JSON its answer does not matter, since decoding then fails anyway.
func keysKnown(body []byte, names map[string]bool) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '"' {
			continue
		}
		start := i + 1
		end := start
		for end < len(body) && body[end] != '"' {
			if body[end] == '\\' {
				return false
			}
			end++
		}
		if end >= len(body) {
			return false
		}
		i = end
		j := end + 1
		for j < len(body) && (body[j] == ' ' || body[j] == '\t' || body[j] == '\n' || body[j] == '\r') {
			j++
		}
		if j < len(body) && body[j] == ':' && !names[string(body[start:end])] {
			return false
		}
	}
	return true
}
