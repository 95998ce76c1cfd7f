package resources

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// object is one Keap object as Keap's v1 GET returns it. Objects are kept as JSON maps rather
// than Go structs so that every field a seed or a request carries survives, and so a body
// goes out with exactly the fields Keap would send (no nulls, no zero values invented).
// Numbers are json.Number: ids and amounts keep their exact text.
type object map[string]any

// stampLayout is how Keap writes date-time fields: UTC with milliseconds and a literal Z.
const stampLayout = "2006-01-02T15:04:05.000Z"

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// decodeObject reads one JSON object, keeping numbers exact.
func decodeObject(raw []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var o object
	if err := dec.Decode(&o); err != nil {
		return nil, err
	}
	if o == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	return o, nil
}

// fieldsOf turns a request struct into the fields it sets: its JSON (omitempty drops
// everything the caller did not send) read back as an object. The structs hold only
// strings, numbers, booleans and decoded JSON, so encoding cannot fail.
func fieldsOf(v any) object {
	if o, ok := reflectFields(v); ok {
		return o
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("resources: encoding a request: %v", err))
	}
	o, err := decodeObject(raw)
	if err != nil {
		panic(fmt.Sprintf("resources: decoding a request: %v", err))
	}
	return o
}

// clone copies o deeply, so a caller can change or encode it outside the store's lock.
func (o object) clone() object {
	return cloneValue(o).(object)
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case object:
		c := make(object, len(t))
		for k, x := range t {
			c[k] = cloneValue(x)
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, x := range t {
			c[k] = cloneValue(x)
		}
		return c
	case []any:
		c := make([]any, len(t))
		for i, x := range t {
			c[i] = cloneValue(x)
		}
		return c
	case []int64:
		return append([]int64(nil), t...)
	default:
		return v
	}
}

// merge sets every field of patch on o (a shallow, top-level replace).
func (o object) merge(patch object) {
	for k, v := range patch {
		o[k] = v
	}
}

// setDefault sets k to v unless o already has k.
func (o object) setDefault(k string, v any) {
	if _, set := o[k]; !set {
		o[k] = v
	}
}

// only returns a copy of o with just the named fields.
func (o object) only(fields ...string) object {
	out := object{}
	for _, f := range fields {
		if v, ok := o[f]; ok {
			out[f] = cloneValue(v)
		}
	}
	return out
}

func (o object) str(key string) string {
	s, _ := o[key].(string)
	return s
}

func (o object) boolean(key string) bool {
	b, _ := o[key].(bool)
	return b
}

// int reads an integer field whatever its Go type (json.Number from a decode, int64 when
// the store set it).
func (o object) int(key string) (int64, bool) {
	return asInt(o[key])
}

func (o object) id() int64 {
	id, _ := o.int("id")
	return id
}

// float reads a number field (an amount).
func (o object) float(key string) float64 {
	switch n := o[key].(type) {
	case json.Number:
		f, _ := n.Float64()
		return f
	case float64:
		return n
	case int64:
		return float64(n)
	}
	return 0
}

// sub returns a nested object field, or nil.
func (o object) sub(key string) object {
	switch m := o[key].(type) {
	case object:
		return m
	case map[string]any:
		return object(m)
	}
	return nil
}

// list returns an array field's items that are objects.
func (o object) list(key string) []object {
	items, _ := o[key].([]any)
	out := make([]object, 0, len(items))
	for _, it := range items {
		switch m := it.(type) {
		case object:
			out = append(out, m)
		case map[string]any:
			out = append(out, object(m))
		}
	}
	return out
}

func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(n), 10, 64)
		return i, err == nil
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		return int64(n), n == float64(int64(n))
	}
	return 0, false
}

// money writes an amount the way Keap does: a JSON number with at least one decimal place
// for whole amounts (1200.0), so clients that type amounts as doubles see a double.
func money(f float64) json.Number {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !bytes.ContainsAny([]byte(s), ".eE") {
		s += ".0"
	}
	return json.Number(s)
}

func num(i int64) json.Number { return json.Number(strconv.FormatInt(i, 10)) }

// objects turns a list of objects into the []any a JSON array field holds.
func objects(list []object) []any {
	out := make([]any, len(list))
	for i, o := range list {
		out[i] = o
	}
	return out
}
