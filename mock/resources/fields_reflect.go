package resources

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// reflectFields is fieldsOf without the JSON round trip: it walks the request struct as
// encoding/json would encode it and builds the object decodeObject would read back (numbers
// as json.Number, nested objects as map[string]any). Creating a contact spent a quarter of
// its time encoding and decoding its own request; ok is false for a kind of value it does
// not know, and fieldsOf then takes the round trip.
func reflectFields(v any) (object, bool) {
	out, ok := jsonValue(reflect.ValueOf(v))
	m, isMap := out.(map[string]any)
	if !ok || !isMap {
		return nil, false
	}
	return object(m), true
}

func jsonValue(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, true
		}
		return jsonValue(v.Elem())
	case reflect.Struct:
		return structValue(v)
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			return rawValue(v.Bytes())
		}
		if v.IsNil() {
			return nil, true
		}
		return sliceValue(v)
	case reflect.Map:
		return mapValue(v)
	case reflect.String:
		if v.Type() == reflect.TypeFor[json.Number]() {
			return json.Number(v.String()), true
		}
		return v.String(), true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return json.Number(strconv.FormatInt(v.Int(), 10)), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return json.Number(strconv.FormatUint(v.Uint(), 10)), true
	case reflect.Float32, reflect.Float64:
		b, err := json.Marshal(v.Interface()) // encoding/json's own float text
		return json.Number(b), err == nil
	}
	return nil, false
}

// jsonField is what structValue needs of a struct field, read once per type.
type jsonField struct {
	index     int
	name      string
	omitEmpty bool
}

// structFields caches each request type's fields; nil means a struct this walk leaves to
// encoding/json (an embedded struct, a ",string" option).
var structFields sync.Map // reflect.Type → []jsonField

func fieldsOfType(t reflect.Type) ([]jsonField, bool) {
	if cached, ok := structFields.Load(t); ok {
		fields := cached.([]jsonField)
		return fields, fields != nil
	}
	var fields []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous || strings.Contains(opts, "string"):
			structFields.Store(t, []jsonField(nil))
			return nil, false
		case !f.IsExported() || name == "-":
			continue
		case name == "":
			name = f.Name
		}
		fields = append(fields, jsonField{index: i, name: name, omitEmpty: strings.Contains(opts, "omitempty")})
	}
	if fields == nil {
		fields = []jsonField{}
	}
	structFields.Store(t, fields)
	return fields, true
}

// structValue makes the object of struct v, in a map made big enough at once.
func structValue(v reflect.Value) (any, bool) {
	fields, ok := fieldsOfType(v.Type())
	if !ok {
		return nil, false
	}
	n := 0
	for _, f := range fields {
		if !f.omitEmpty || !empty(v.Field(f.index)) {
			n++
		}
	}
	out := make(map[string]any, n)
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.omitEmpty && empty(fv) {
			continue
		}
		x, ok := jsonValue(fv)
		if !ok {
			return nil, false
		}
		out[f.name] = x
	}
	return out, true
}

func sliceValue(v reflect.Value) (any, bool) {
	out := make([]any, v.Len())
	for i := range out {
		x, ok := jsonValue(v.Index(i))
		if !ok {
			return nil, false
		}
		out[i] = x
	}
	return out, true
}

func mapValue(v reflect.Value) (any, bool) {
	if v.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	if v.IsNil() {
		return nil, true
	}
	out := make(map[string]any, v.Len())
	for it := v.MapRange(); it.Next(); {
		x, ok := jsonValue(it.Value())
		if !ok {
			return nil, false
		}
		out[it.Key().String()] = x
	}
	return out, true
}

func rawValue(raw []byte) (any, bool) {
	if raw == nil {
		return nil, true
	}
	o, err := decodeObject(raw)
	if err == nil {
		return map[string]any(o), true
	}
	return nil, false // not an object: the round trip reads it
}

// empty is encoding/json's omitempty test.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
