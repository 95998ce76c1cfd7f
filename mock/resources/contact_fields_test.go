package resources

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// viaReflection is what contactObject must equal: fieldsOf's general walk over the body
// without the fields that name other objects.
func viaReflection(in contactInput) object {
	in.Company, in.Origin, in.DuplicateOption, in.fields = nil, nil, nil, nil
	return fieldsOf(&in)
}

// Every field of a contact body, set: a field added to contactInput and forgotten in
// contactObject fails here.
func TestContactObjectIsFieldsOf(t *testing.T) {
	var in contactInput
	fillAll(reflect.ValueOf(&in).Elem())
	in.Company, in.Origin, in.DuplicateOption = nil, nil, nil
	in.CustomFields = &[]customField{{ID: new(int64(3)), Content: map[string]any{"n": 1.5, "s": "x", "l": []any{true, nil}}}}
	if diff := cmp.Diff(viaReflection(in), in.contactObject(0)); diff != "" {
		t.Errorf("contactObject differs from fieldsOf (-fieldsOf +contactObject):\n%s", diff)
	}
	var empty contactInput
	if got := empty.contactObject(0); len(got) != 0 {
		t.Errorf("an empty body made %v", got)
	}
}

// fillAll sets every exported field under v: strings, numbers, one-item lists.
func fillAll(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i))
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillAll(v.Index(0))
	case reflect.String:
		v.SetString("s-" + v.Type().String())
	case reflect.Int64:
		v.SetInt(42)
	}
}

func FuzzContactObjectIsFieldsOf(f *testing.F) {
	f.Add(`{"given_name":"Ada","email_addresses":[{"email":"a@b.co","field":"EMAIL1"}],"phone_numbers":[]}`)
	f.Add(`{"addresses":[{"line1":"1 Main","field":"BILLING","zip_four":"1234"},{}],"owner_id":7,"custom_fields":[{"id":1,"content":{"a":[1,{"b":null}]}}]}`)
	f.Add(`{"social_accounts":[{"name":"x","type":"Facebook"}],"fax_numbers":[{"number":"1"}],"lead_source_id":-1,"website":""}`)
	f.Add(`{"custom_fields":[{"content":{}}],"email_addresses":null,"company":{"id":1},"origin":{"ip_address":"1.2.3.4"}}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in contactInput
		if httpapi.DecodeStrict([]byte(body), &in) != nil {
			return
		}
		if diff := cmp.Diff(viaReflection(in), in.contactObject(0)); diff != "" {
			t.Fatalf("%s: contactObject differs from fieldsOf (-fieldsOf +contactObject):\n%s", body, diff)
		}
	})
}
