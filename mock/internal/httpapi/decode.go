package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"
)

// KeapMalformed opens Keap's own message for bodies it cannot read.
const KeapMalformed = "Input could not be converted to a valid request"

// DecodeJSON reads exactly one JSON value of at most maxBytes into dst. It rejects bodies
// over the limit, a declared content type other than JSON (when strictType: Keap's paths;
// the mock's own controls also take curl's default form type), wrong types and trailing
// data, each with a message that says what to fix. Fields dst does not have are ignored
// and logged when the request's FieldPolicy is lenient (Keap's paths by default), and
// rejected otherwise.
func DecodeJSON(w http.ResponseWriter, r *http.Request, dst any, maxBytes int64, strictType bool) error {
	if strictType {
		if err := requireJSONType(r); err != nil {
			return err
		}
	}
	body, err := readBody(w, r, maxBytes)
	if err != nil {
		return decodeError(err, maxBytes)
	}
	if !Lenient(r) {
		if err := DecodeStrict(body, dst); err != nil {
			return decodeError(err, maxBytes)
		}
		return nil
	}
	err = DecodeStrict(body, dst)
	if err == nil || !lenientCanRead(err) {
		return decodeErrorOrNil(err, maxBytes)
	}
	reflect.ValueOf(dst).Elem().SetZero() // the strict pass may have set fields by case alone
	ignored, err := decodeLenient(body, dst)
	if err != nil {
		return decodeError(err, maxBytes)
	}
	Ignored(r, ignored)
	return nil
}

func decodeErrorOrNil(err error, maxBytes int64) error {
	if err == nil {
		return nil
	}
	return decodeError(err, maxBytes)
}

// lenientCanRead reports whether err is one the lenient reading gets past: a field the type
// lacks or matched only by case, or a number sent as a string (Keap's Jackson reads "2001"
// into a numeric field).
func lenientCanRead(err error) bool {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return ute.Value == "string"
	}
	return strings.HasPrefix(err.Error(), "json: unknown field ")
}

// ReadJSON reads exactly one JSON value of at most maxBytes, numbers kept as json.Number,
// for handlers that check a body against a schema rather than a Go type. An empty body is
// nil. Errors are worded like DecodeJSON's.
func ReadJSON(w http.ResponseWriter, r *http.Request, maxBytes int64) (any, error) {
	if err := requireJSONType(r); err != nil {
		return nil, err
	}
	body, err := readBody(w, r, maxBytes)
	if err != nil {
		return nil, decodeError(err, maxBytes)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, decodeError(err, maxBytes)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, decodeError(errTrailingData, maxBytes)
	}
	return v, nil
}

// readBody reads r's body, refusing more than maxBytes. A body that declares its length is
// read into a buffer of that size: io.ReadAll's growing from 512 bytes was most of what
// reading a contact allocated.
func readBody(w http.ResponseWriter, r *http.Request, maxBytes int64) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, maxBytes)
	n := r.ContentLength
	if n <= 0 || n > maxBytes {
		return io.ReadAll(body)
	}
	buf := make([]byte, 0, n+1) // one byte more: the read that finds the end needs room
	for {
		got, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+got]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case len(buf) == cap(buf):
			buf = append(buf, 0)[:len(buf)] // longer than declared: let append grow it
		}
	}
}

// errTrailingData reports a body with more than one JSON value.
var errTrailingData = errors.New("trailing data")

// DecodeStrict decodes body into dst the way Keap's Java API reads it: field names match
// exactly, case included (encoding/json alone would take "hookURL" for "hookUrl", which Keap
// rejects), unknown fields and trailing data are errors.
func DecodeStrict(body []byte, dst any) error {
	if decodeFast(body, dst) {
		return nil
	}
	return decodeStrictSlow(body, dst)
}

// decodeStrictSlow is DecodeStrict through encoding/json: the reading for every body
// decodeFast declines, and the one that words the errors.
func decodeStrictSlow(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errTrailingData
	}
	if keysKnown(body, allNames(reflect.TypeOf(dst))) {
		return nil // every key is a name spelt exactly: nothing matched by case alone
	}
	var raw any
	if err := json.Unmarshal(body, &raw); err != nil {
		return err
	}
	return checkFieldCase(raw, reflect.TypeOf(dst))
}

// checkFieldCase walks a decoded JSON value alongside the Go type it was decoded into and
// reports the first object key that only matched a field by ignoring case.
func checkFieldCase(v any, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch val := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return nil
		}
		fields := jsonFields(t)
		for k, child := range val {
			ft, ok := fields[k]
			if !ok {
				return fmt.Errorf("json: unknown field %q", k)
			}
			if err := checkFieldCase(child, ft); err != nil {
				return err
			}
		}
	case []any:
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return nil
		}
		for _, child := range val {
			if err := checkFieldCase(child, t.Elem()); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldCache holds jsonFields' answer per struct type: every request body of a kind is
// decoded into the same type, and walking its fields by reflection on each request was a
// sixth of what creating a contact allocated.
var fieldCache sync.Map // reflect.Type → map[string]reflect.Type

// jsonFields maps the exact JSON names of a struct's fields to their types. The map is
// shared: callers must not change it.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := structFields(t)
	fieldCache.Store(t, m)
	return m
}

func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func requireJSONType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	switch ct {
	case "":
		return nil // Keap accepts a body without a declared type; so does the mock.
	case "application/json":
		return nil // what nearly every client sends: no need to parse it
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return Errorf(http.StatusUnsupportedMediaType, "Content-Type %q is not supported: send the body as JSON with Content-Type: application/json", ct)
	}
	return nil
}

func decodeError(err error, maxBytes int64) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		ute *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &mbe):
		return Errorf(http.StatusRequestEntityTooLarge, "request body is larger than %s; send a smaller body", byteSize(maxBytes))
	case errors.Is(err, errTrailingData):
		return Errorf(http.StatusBadRequest, "%s: the body holds more than one JSON value; send a single object", KeapMalformed)
	case errors.Is(err, io.EOF):
		return Errorf(http.StatusBadRequest, "%s: the body is empty; send a JSON object", KeapMalformed)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(http.StatusBadRequest, "%s: the JSON ends too early; check for a missing bracket or quote", KeapMalformed)
	case errors.As(err, &se):
		return Errorf(http.StatusBadRequest, "%s: malformed JSON at byte %d (%v)", KeapMalformed, se.Offset, se)
	case errors.As(err, &ute):
		if ute.Field == "" {
			return Errorf(http.StatusBadRequest, "%s: the body must be a JSON %s, not a %s", KeapMalformed, jsonKind(ute.Type.Kind().String()), ute.Value)
		}
		return Errorf(http.StatusBadRequest, "%s: field %q must be a %s, not a %s", KeapMalformed, ute.Field, jsonKind(ute.Type.Kind().String()), ute.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return Errorf(http.StatusBadRequest, "%s: unknown field %s; field names are case-sensitive, check the spelling", KeapMalformed, field)
	}
	return Errorf(http.StatusBadRequest, "%s: %v", KeapMalformed, err)
}

// jsonKind names a Go kind the way a JSON user thinks of it.
func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	default:
		return "number"
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
