package resources

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// encodeBody is json.Marshal for the values the store answers with (objects, lists,
// strings, json.Number, booleans, ids), byte for byte the same, without reflection: encoding
// every answer through reflection was an eighth of what a contact create cost. Values of
// other types go through json.Marshal.
func encodeBody(v any) ([]byte, error) {
	return appendValue(make([]byte, 0, 1024), v)
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case object:
		return appendMap(b, t)
	case map[string]any:
		return appendMap(b, t)
	case []any:
		return appendList(b, t)
	case []object:
		if t == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, x := range t {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendMap(b, x); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case string:
		return httpapi.AppendString(b, t), nil
	case json.Number:
		if t == "" {
			return append(b, '0'), nil
		}
		if !httpapi.ValidNumber(string(t)) {
			return json.Marshal(t) // its error, as json.Marshal words it
		}
		return append(b, t...), nil
	case bool:
		return strconv.AppendBool(b, t), nil
	case int64:
		return strconv.AppendInt(b, t, 10), nil
	case int:
		return strconv.AppendInt(b, int64(t), 10), nil
	}
	raw, err := json.Marshal(v)
	return append(b, raw...), err
}

func appendMap(b []byte, m map[string]any) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	// Most objects have fewer keys than this: their sorted keys stay off the heap.
	var small [32]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = httpapi.AppendString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, m[k]); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendList(b []byte, list []any) ([]byte, error) {
	if list == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i, x := range list {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendValue(b, x); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}
