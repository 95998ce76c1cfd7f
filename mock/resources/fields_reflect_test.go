package resources

import (
	"encoding/json"
	"reflect"
	"testing"
)

// reflectFields must give exactly what the JSON round trip gives, for every request type.
func TestReflectFieldsMatchesTheRoundTrip(t *testing.T) {
	price, zero, name, id := 49.95, 0.0, "Ada", int64(7)
	inputs := []any{
		&contactInput{GivenName: &name, Company: &idRef{ID: &id},
			EmailAddresses: &[]emailAddress{{}}, Addresses: &[]contactAddress{}},
		&contactInput{},
		productInput{ProductName: &name, ProductPrice: &price},
		productInput{ProductPrice: &zero},
		&userInput{Email: &name},
		&tagInput{Name: &name, Category: &idRef{ID: &id}},
		map[string]any{"a": json.RawMessage(`{"b":[1,2.50]}`)},
	}
	for _, in := range inputs {
		raw, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		want, err := decodeObject(raw)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := reflectFields(in)
		if !ok {
			t.Errorf("%T: reflectFields gave up", in)
			continue
		}
		if !reflect.DeepEqual(map[string]any(got), map[string]any(want)) {
			t.Errorf("%T:\n got %#v\nwant %#v", in, got, want)
		}
	}
}
