package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
)

// FieldPolicy says what a Keap path does with JSON fields its operation does not take:
// unknown names, names that differ only in case ("hookURL" for "hookUrl"), and read-only
// fields such as the "id" an update repeats. Keap's Spring-based API ignores them, and so
// does the mock unless Strict, which answers 400 naming the field, for teams that want
// their typos caught. Each ignored field is logged once per method and path template.
type FieldPolicy struct {
	Strict bool
	Logger *slog.Logger
	seen   sync.Map // "METHOD template field" → struct{}
}

type fieldPolicyKey struct{}

// WithFieldPolicy returns r carrying p, for DecodeJSON and the spec answerer to consult.
// template names the operation in the log ("/crm/rest/v1/contacts/{contactId}").
func WithFieldPolicy(r *http.Request, p *FieldPolicy, template string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), fieldPolicyKey{}, policyAt{p, template}))
}

type policyAt struct {
	p        *FieldPolicy
	template string
}

// Lenient reports whether r may carry fields its operation does not take. A request
// without a policy (the mock's own controls) is strict.
func Lenient(r *http.Request) bool {
	at, ok := r.Context().Value(fieldPolicyKey{}).(policyAt)
	return ok && at.p != nil && !at.p.Strict
}

// Ignored logs each of fields (dotted paths into the body) the first time r's operation
// ignores it. Only names are logged, never values.
func Ignored(r *http.Request, fields []string) {
	at, ok := r.Context().Value(fieldPolicyKey{}).(policyAt)
	if !ok || at.p == nil || at.p.Logger == nil {
		return
	}
	template := cmp.Or(at.template, r.URL.Path)
	for _, f := range fields {
		if _, dup := at.p.seen.LoadOrStore(r.Method+" "+template+" "+f, struct{}{}); dup {
			continue
		}
		at.p.Logger.Warn("ignored a JSON field this operation does not take (Keap ignores it too; strict fields make it a 400)",
			"field", f, "method", r.Method, "path", template)
	}
}

// dropUnknown removes from the decoded body every object key that is not exactly a JSON
// field name of the Go type it is decoded into, and returns their dotted paths. A string
// holding a number, where the type wants a number, becomes that number.
func dropUnknown(v any, t reflect.Type, at string, dropped []string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch val := v.(type) {
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return dropped
		}
		fields := jsonFields(t)
		for k, child := range val {
			ft, ok := fields[k]
			if !ok {
				delete(val, k)
				dropped = append(dropped, joinField(at, k))
				continue
			}
			if n, ok := numericString(child, ft); ok {
				val[k] = n
				continue
			}
			dropped = dropUnknown(child, ft, joinField(at, k), dropped)
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for i, child := range val {
				if n, ok := numericString(child, t.Elem()); ok {
					val[i] = n
					continue
				}
				dropped = dropUnknown(child, t.Elem(), at+"[]", dropped)
			}
		}
	}
	return dropped
}

// numericString turns "2001" into the number 2001 where t is a number type. Only a number
// spelt as JSON spells it: "0x1p3" stays a string, which the field then refuses in words.
func numericString(v any, t reflect.Type) (json.Number, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s, ok := v.(string)
	if !ok || t.Kind() < reflect.Int || t.Kind() > reflect.Float64 || t == reflect.TypeFor[json.Number]() {
		return "", false
	}
	n := strings.TrimSpace(s)
	if !ValidNumber(n) {
		return "", false
	}
	return json.Number(n), true
}

func joinField(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// decodeLenient decodes body into dst ignoring the fields dst does not have; it returns
// their names. Once they are gone every key matches a field exactly, so a plain Unmarshal
// (which would otherwise match keys in any case) reads the rest.
func decodeLenient(body []byte, dst any) ([]string, error) {
	var raw any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, DecodeStrict(body, dst) // for its error, worded like the strict path's
	}
	dropped := dropUnknown(raw, reflect.TypeOf(dst), "", nil)
	cleaned, err := json.Marshal(raw) // the slow path: always re-encode, numbers may have changed
	if err != nil {
		return nil, err
	}
	return dropped, json.Unmarshal(cleaned, dst)
}
