package httpapi

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestKeysKnown(t *testing.T) {
	names := allNames(reflect.TypeOf(&sample{}))
	for body, want := range map[string]bool{
		`{"name":"a","count":1,"inner":[{"id":2}]}`: true,
		`{"name":"id: \"x\"","count":1}`:            false, // an escape: left to the slow path
		`{"name":"count","inner":[]}`:               true,  // a value that is a name is no key
		`{"Name":"a"}`:                              false,
		`{"inner":[{"ID":2}]}`:                      false,
		`{"name" :"a", "other" : 1}`:                false,
		`{"name":"a"`:                               true,
		`{"name`:                                    false,
		`["name", "count"]`:                         true,
	} {
		if got := keysKnown([]byte(body), names); got != want {
			t.Errorf("keysKnown(%s) = %v, want %v", body, got, want)
		}
	}
}

// FuzzDecodeJSON: whatever the body, the fast and slow paths agree with each other on
// whether it decodes, and nothing panics.
func FuzzKeysKnown(f *testing.F) {
	f.Add(`{"name":"a","count":1,"inner":[{"id":2}]}`)
	f.Add(`{"Name":"a"}`)
	f.Add(`{"na\u006de":"a"}`)
	names := allNames(reflect.TypeOf(&sample{}))
	f.Fuzz(func(t *testing.T, body string) {
		var fast sample
		errFast := DecodeStrict([]byte(body), &fast)
		if keysKnown([]byte(body), names) || errFast != nil {
			return
		}
		var raw any
		if err := json.Unmarshal([]byte(body), &raw); err == nil {
			if err := checkFieldCase(raw, reflect.TypeOf(&fast)); err != nil {
				t.Fatalf("DecodeStrict accepted %q, which has a key matched only by case: %v", body, err)
			}
		}
	})
}
