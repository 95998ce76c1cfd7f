package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
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
