package resources

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encodeBody must give json.Marshal's bytes for everything the store answers with: every
// object of the seeded account, through every GET that lists them.
func TestEncodeBodyIsJSONMarshal(t *testing.T) {
	h := newHarness(t, true)
	for _, path := range []string{"/v1/contacts", "/v1/contacts/2001", "/v1/tags", "/v1/companies", "/v1/opportunities",
		"/v1/products", "/v1/users", "/v1/opportunity/stage_pipeline", "/v1/contacts/model"} {
		_, raw := h.do("GET", path, nil)
		v, err := decodeAny(raw)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		same(t, v)
	}
	same(t, map[string]any{"a\u2028<b>&\"\\\x01\xff": []any{nil, true, json.Number("1.50"), int64(-3), 7, []object{{"x": "y"}}, object(nil), []any(nil)}})
}

func decodeAny(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func same(t *testing.T, v any) {
	t.Helper()
	want, errWant := json.Marshal(v)
	got, errGot := encodeBody(v)
	if (errWant == nil) != (errGot == nil) || !bytes.Equal(got, want) {
		t.Errorf("encodeBody =\n%s (%v)\njson.Marshal =\n%s (%v)", got, errGot, want, errWant)
	}
}

func FuzzEncodeBody(f *testing.F) {
	f.Add("plain", "1")
	f.Add("<tag>&\u2029\x00\xc3", "-1.5e3")
	f.Add("\"\\", "x")
	f.Fuzz(func(t *testing.T, s, n string) {
		same(t, object{s: []any{s, json.Number(n), map[string]any{n: s}}})
	})
}
