package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

type sample struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Inner []nested `json:"inner"`
}

type nested struct {
	ID int64 `json:"id"`
}

func TestDecodeStrictFieldCase(t *testing.T) {
	tests := []struct {
		body, want string // want: a fragment of the error, "" for success
	}{
		{`{"name":"a","count":1,"inner":[{"id":2}]}`, ""},
		{`{"Name":"a"}`, `unknown field "Name"`},
		{`{"inner":[{"ID":2}]}`, `unknown field "ID"`},
		{`{"name":"a"} {}`, "trailing data"},
		{`{"other":1}`, `unknown field "other"`},
	}
	for _, tt := range tests {
		var s sample
		err := DecodeStrict([]byte(tt.body), &s)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.body, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one mentioning %q", tt.body, err, tt.want)
		}
	}
}

func TestDecodeJSONErrorsAreFourHundreds(t *testing.T) {
	for body, want := range map[string]int{
		``:                       http.StatusBadRequest,
		`{`:                      http.StatusBadRequest,
		`{"count":"x"}`:          http.StatusBadRequest,
		strings.Repeat(" ", 512): http.StatusBadRequest,
		`{"name":"` + strings.Repeat("a", 4096) + `"}`: http.StatusRequestEntityTooLarge,
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		err := DecodeJSON(httptest.NewRecorder(), r, &sample{}, 1024, true)
		var ae *Error
		if !errors.As(err, &ae) || ae.Status != want {
			t.Errorf("body of %d bytes: %v, want a %d", len(body), err, want)
		}
	}
}

// FuzzDecodeStrict: any input either fails with an error or decodes to a value that survives
// a round trip; nothing panics.
func FuzzDecodeStrict(f *testing.F) {
	f.Add(`{"name":"a","count":1,"inner":[{"id":2}]}`)
	f.Add(`{"NAME":"a"}`)
	f.Add(`[1]`)
	f.Add(`{"inner":{"id":1}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var s sample
		if DecodeStrict([]byte(body), &s) != nil {
			return
		}
		again, _ := json.Marshal(s)
		var back sample
		if err := DecodeStrict(again, &back); err != nil {
			t.Fatalf("%s decoded, but its re-encoding %s does not: %v", body, again, err)
		}
	})
}

// The lenient reading, as Keap's: unknown and wrongly-cased fields are dropped, numbers
// sent as strings are read as numbers, and a field set by case alone in the strict pass
// does not survive into the result.
func TestLenientDecode(t *testing.T) {
	type ref struct {
		ID *int64 `json:"id,omitempty"`
	}
	type in struct {
		Name    string  `json:"name"`
		Contact *ref    `json:"contact,omitempty"`
		IDs     []int64 `json:"ids"`
	}
	policy := &FieldPolicy{}
	for body, want := range map[string]string{
		`{"name":"a","id":7}`:                   `a <nil> []`,
		`{"Name":"a"}`:                          ` <nil> []`,
		`{"contact":{"id":"2001"},"ids":["5"]}`: ` 2001 [5]`,
		`{"name":"a","contact":{"id":3,"x":1}}`: `a 3 []`,
		`{"contact":{"id":"x"}}`:                `error`,
		`{"ids":"5"}`:                           `error`,
	} {
		r := WithFieldPolicy(httptest.NewRequest("POST", "/", strings.NewReader(body)), policy, "/")
		var got in
		err := DecodeJSON(httptest.NewRecorder(), r, &got, 1024, true)
		if want == "error" || err != nil {
			if (err != nil) != (want == "error") {
				t.Errorf("%s: error %v, want %s", body, err, want)
			}
			continue
		}
		id := "<nil>"
		if got.Contact != nil && got.Contact.ID != nil {
			id = strconv.FormatInt(*got.Contact.ID, 10)
		}
		if s := fmt.Sprintf("%s %s %v", got.Name, id, got.IDs); s != want {
			t.Errorf("%s: decoded %q, want %q", body, s, want)
		}
	}
}

// A string the lenient reading cannot take as a number is refused in the words for a field
// of the wrong type, not with the encoder's complaint about a number it was handed.
func TestLenientDecodeRefusesNonJSONNumbers(t *testing.T) {
	type in struct {
		ID int64 `json:"id"`
	}
	for _, raw := range []string{"0x1p3", "+5", "1_0", "Inf"} {
		body := `{"id":"` + raw + `"}`
		r := WithFieldPolicy(httptest.NewRequest("POST", "/", strings.NewReader(body)), &FieldPolicy{}, "/")
		var got in
		err := DecodeJSON(httptest.NewRecorder(), r, &got, 1024, true)
		var he *Error
		if !errors.As(err, &he) || he.Status != http.StatusBadRequest || !strings.Contains(he.Message, `field "id" must be a number, not a string`) {
			t.Errorf("%s: %v, want 400 saying the field must be a number", body, err)
		}
	}
}

// readBody reads the whole body whatever length the request declares, and refuses one over
// the limit however it is declared.
func TestReadBody(t *testing.T) {
	for _, tt := range []struct {
		body     string
		declared int64
		max      int64
		tooLarge bool
	}{
		{`{"a":1}`, 7, 64, false},
		{`{"a":1}`, 3, 64, false},  // declared too short
		{`{"a":1}`, 50, 64, false}, // declared too long
		{`{"a":1}`, -1, 64, false}, // not declared
		{strings.Repeat("x", 100), 100, 64, true},
		{strings.Repeat("x", 100), 10, 64, true},
		{strings.Repeat("x", 64), 64, 64, false},
	} {
		r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
		r.ContentLength = tt.declared
		got, err := readBody(httptest.NewRecorder(), r, tt.max)
		var mbe *http.MaxBytesError
		switch {
		case tt.tooLarge && !errors.As(err, &mbe):
			t.Errorf("%d bytes declared as %d, limit %d: %v, want a MaxBytesError", len(tt.body), tt.declared, tt.max, err)
		case !tt.tooLarge && (err != nil || string(got) != tt.body):
			t.Errorf("%d bytes declared as %d: got %q, %v", len(tt.body), tt.declared, got, err)
		}
	}
}
