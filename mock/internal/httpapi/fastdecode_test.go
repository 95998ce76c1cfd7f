package httpapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wide holds every kind of field decodeFast reads, as request bodies use them.
type wide struct {
	Name     string            `json:"name"`
	Nick     *string           `json:"nick,omitempty"`
	Count    int               `json:"count"`
	Small    int8              `json:"small"`
	ID       *int64            `json:"id,omitempty"`
	Unsigned uint16            `json:"unsigned"`
	Price    float64           `json:"price"`
	Ratio    float32           `json:"ratio"`
	On       bool              `json:"on"`
	Maybe    *bool             `json:"maybe"`
	Amount   json.Number       `json:"amount"`
	Raw      json.RawMessage   `json:"raw"`
	RawPtr   *json.RawMessage  `json:"raw_ptr"`
	Tags     []string          `json:"tags"`
	Items    *[]wideItem       `json:"items,omitempty"`
	Content  map[string]any    `json:"content"`
	Counts   map[string]int    `json:"counts"`
	Anything any               `json:"anything"`
	Child    *wide             `json:"child"`
	Options  []map[string]any  `json:"options"`
	Untagged string            // no tag: the Go name is the JSON name
	Skipped  string            `json:"-"`
	Labels   map[string]string `json:"labels"`
	hidden   string
}

type wideItem struct {
	Field *string `json:"field,omitempty"`
	Email *string `json:"email,omitempty"`
}

var fastSeeds = []string{
	`{"name":"Ada","nick":"ada","count":-12,"small":-128,"id":9007199254740993,"unsigned":65535,"price":1.5e3,"ratio":0.25,"on":true,"maybe":false}`,
	`{"amount":-0.5E-3,"raw":{"a":[1,"x",null,{"b":true}]},"raw_ptr":[1, 2],"tags":["a","b"],"items":[{"field":"EMAIL1","email":"a@b.co"},{}]}`,
	`{"content":{"k":"v","n":1,"deep":{"list":[1.5,"s",false,null]},"k":"last"},"counts":{"a":1,"b":-2},"anything":[{"x":1}]}`,
	`{"child":{"name":"kid","child":{"tags":[]}},"options":[{"label":"x"},{}],"Untagged":"u","labels":{"a":"b"}}`,
	` { "name" : "spaced" , "tags" : [ "a" , "b" ] } `,
	`{"name":"esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 ok","tags":["\u0041"]}`,
	`{"name":"José Ünïcödé 漢字"}`,
	`{"name":null,"nick":null,"id":null,"tags":null,"items":null,"content":null,"anything":null,"raw":null,"raw_ptr":null,"child":null}`,
	`{}`, `null`, ``, `   `, `[]`, `{"name":"a"}{}`, `{"name":"a"} x`, `{"name":"a",}`, `{"name" "a"}`,
	`{"Name":"a"}`, `{"name":"a","name":"b"}`, `{"unknown":1}`, `{"hidden":"x"}`, `{"Skipped":"x"}`,
	`{"count":1.0}`, `{"count":1e2}`, `{"count":"12"}`, `{"count":01}`, `{"count":-}`, `{"count":99999999999999999999}`,
	`{"small":128}`, `{"unsigned":-1}`, `{"ratio":1e39}`, `{"price":1e309}`, `{"amount":"12"}`, `{"on":1}`,
	`{"name":"\ud83d"}`, `{"name":"\ud83dx"}`, `{"name":"\u12"}`, `{"name":"\q"}`, "{\"name\":\"a\x01\"}", "{\"name\":\"\xff\"}",
	`{"na\u006de":"key with an escape"}`, `{"tags":[1]}`, `{"tags":"a"}`, `{"content":[]}`, `{"counts":{"a":"x"}}`,
	`{"child":{"child":{"child":{"child":{"name":"deep"}}}}}`, `{"raw":[1,2`, `{"anything":[[[[]]]]}`, `{"items":[{"Field":"x"}]}`,
}

// FuzzDecodeFastAgrees holds decodeFast to its promise: whatever it reads, encoding/json
// (with DecodeStrict's exact-case rule) reads too, into exactly the same value; whatever it
// declines it leaves untouched.
func FuzzDecodeFastAgrees(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var fast wide
		if !decodeFast([]byte(body), &fast) {
			if !reflect.ValueOf(fast).IsZero() {
				t.Fatalf("decodeFast declined %q but left %+v behind", body, fast)
			}
			return
		}
		var slow wide
		if err := decodeStrictSlow([]byte(body), &slow); err != nil {
			t.Fatalf("decodeFast read %q, which encoding/json refuses: %v", body, err)
		}
		if diff := cmp.Diff(slow, fast, cmp.AllowUnexported(wide{})); diff != "" {
			t.Fatalf("decodeFast read %q differently from encoding/json (-json +fast):\n%s", body, diff)
		}
	})
}

// The bodies clients send take the one pass; that is the point of it.
func TestDecodeFastTakesEverydayBodies(t *testing.T) {
	for _, body := range fastSeeds[:8] {
		var w wide
		if !decodeFast([]byte(body), &w) {
			t.Errorf("decodeFast declined %s", body)
		}
	}
}

// What encoding/json reads differently or refuses is left to it, and DecodeStrict still
// answers as before.
func TestDecodeFastDeclines(t *testing.T) {
	for _, body := range []string{
		`{"Name":"a"}`, `{"name":"a","name":"b"}`, `{"count":1.0}`, `{"count":"12"}`, `{"name":"\ud83d"}`,
		"{\"name\":\"\xff\"}", `{"name":"a"} {}`, `[]`, ``, `{"small":128}`,
	} {
		var w wide
		if decodeFast([]byte(body), &w) {
			t.Errorf("decodeFast read %s, which it should leave to encoding/json", body)
		}
	}
	prefilled := wide{Name: "kept"}
	if decodeFast([]byte(`{"count":1}`), &prefilled) {
		t.Error("decodeFast read into a prefilled value, whose merging it leaves to encoding/json")
	}
}

// Types decodeFast cannot read as encoding/json does get no plan at all.
func TestDecodeFastPlans(t *testing.T) {
	type embedded struct{ wideItem }
	type stringOpt struct {
		N int `json:"n,string"`
	}
	type bytes struct {
		B []byte `json:"b"`
	}
	type iface struct {
		E error `json:"e"`
	}
	type dash struct {
		D string `json:"-,"`
	}
	// encoding/json does not take a tag name holding a quote, a backquote or a comma: it
	// names such a field by its Go name.
	type quoted struct {
		Q string `json:"it's"`
	}
	type backquoted struct {
		B string "json:\"a`b\""
	}
	for _, v := range []any{dash{}, embedded{}, stringOpt{}, bytes{}, iface{}, quoted{}, backquoted{}, [2]int{}, map[int]string{}} {
		if planFor(reflect.TypeOf(v)) != nil {
			t.Errorf("%T has a plan; encoding/json reads it in ways decodeFast does not", v)
		}
	}
	if planFor(reflect.TypeFor[wide]()) == nil {
		t.Fatal("wide has no plan")
	}
}

func TestDecodeFastDepth(t *testing.T) {
	deep := `{"anything":` + strings.Repeat("[", 2*maxFastDepth) + strings.Repeat("]", 2*maxFastDepth) + `}`
	var w wide
	if decodeFast([]byte(deep), &w) {
		t.Error("decodeFast read a body nested deeper than maxFastDepth")
	}
	if err := DecodeStrict([]byte(deep), &w); err != nil {
		t.Errorf("DecodeStrict: %v (encoding/json reads this depth)", err)
	}
}

func BenchmarkDecodeStrictContact(b *testing.B) {
	body := []byte(`{"given_name":"Ada","family_name":"Lovelace","email_addresses":[{"email":"ada@example.com","field":"EMAIL1"}]}`)
	type contact struct {
		GivenName  *string     `json:"given_name,omitempty"`
		FamilyName *string     `json:"family_name,omitempty"`
		Emails     *[]wideItem `json:"email_addresses,omitempty"`
	}
	for _, path := range []struct {
		name   string
		decode func([]byte, any) error
	}{{"one-pass", DecodeStrict}, {"encoding-json", decodeStrictSlow}} {
		b.Run(path.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var c contact
				if err := path.decode(body, &c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A struct of more than 64 fields keeps its set of seen fields in a slice: a repeated key is
// still caught there.
func TestDecodeFastManyFields(t *testing.T) {
	var fields []reflect.StructField
	for i := range 70 {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("F%d", i), Type: reflect.TypeFor[string](), Tag: reflect.StructTag(fmt.Sprintf(`json:"f%d"`, i)),
		})
	}
	typ := reflect.StructOf(fields)
	dst := reflect.New(typ)
	if !decodeFast([]byte(`{"f0":"a","f69":"z"}`), dst.Interface()) || dst.Elem().Field(69).String() != "z" {
		t.Errorf("decodeFast did not read f69 of a 70-field struct: %+v", dst.Elem().Interface())
	}
	again := reflect.New(typ)
	if decodeFast([]byte(`{"f69":"a","f69":"z"}`), again.Interface()) {
		t.Error("decodeFast read a repeated key of a 70-field struct")
	}
}

// ValidNumber takes what json.Marshal writes for a json.Number, and nothing else.
func TestValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "7", "2001", "-12.5", "1e9", "1E+9", "2.5e-3", "0.0"} {
		if !ValidNumber(s) {
			t.Errorf("ValidNumber(%q) = false, want true", s)
		}
		if _, err := json.Marshal(json.Number(s)); err != nil {
			t.Errorf("json.Marshal refuses %q: %v", s, err)
		}
	}
	for _, s := range []string{"", "-", "NaN", "Inf", "-inf", "0x1p3", "+5", "1_0", "01", "1.", ".5", "1e", "1e+", " 7", "7 ", "12a"} {
		if ValidNumber(s) {
			t.Errorf("ValidNumber(%q) = true, want false", s)
		}
		if _, err := json.Marshal(json.Number(s)); err == nil && s != "" {
			t.Errorf("json.Marshal writes %q; ValidNumber should take it", s)
		}
	}
}
