package receiver

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanBodySummarisesADelivery(t *testing.T) {
	t.Parallel()
	var keys []string
	for i := range 1000 {
		keys = append(keys, `{"apiUrl":"http://x/contacts/`+strconv.Itoa(i)+`","id":`+strconv.Itoa(1000-i)+`,"timestamp":"2026-11-26T15:05:15Z"}`)
	}
	batch := `{"event_key":"contact.add","object_type":"contact","object_keys":[` + strings.Join(keys, ",") + `],"api_url":""}`
	for _, tc := range []struct {
		name, body string
		want       summary
	}{
		{"Keap's example", delivery, summary{"contact.edit", 2, []int64{17738, 183754}}},
		{"a batch of 1,000", batch, summary{"contact.add", 1000, []int64{1000, 999, 998, 997, 996}}},
		{"members in any order, with space", " {\"object_keys\" : [ {\"id\" : 7 } ] ,\n\"event_key\":\"note.add\"} ", summary{"note.add", 1, []int64{7}}},
		{"escaped event key", `{"event_key":"contact\u002eadd"}`, summary{eventKey: "contact.add"}},
		{"an id that is not an integer counts, as 0", `{"event_key":"a.b","object_keys":[{"id":"12"},{"id":1.5},{},3]}`, summary{"a.b", 4, []int64{0, 0, 0, 0}}},
		{"the last of repeated members", `{"event_key":"a.b","event_key":1,"object_keys":[{"id":1}],"object_keys":[{"id":2,"id":3}]}`, summary{"", 1, []int64{3}}},
		{"nested ids are not the object's", `{"object_keys":[{"x":{"id":9},"id":4}]}`, summary{"", 1, []int64{4}}},
		{"not a delivery", `[{"event_key":"contact.add"}]`, summary{}},
	} {
		got, err := scanBody([]byte(tc.body))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(summary{})); diff != "" {
			t.Errorf("%s: summary (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestScanBodyRefusesWhatIsNotJSON(t *testing.T) {
	t.Parallel()
	for body, says := range map[string]string{
		"":                              "unexpected end of JSON input (at byte 0)",
		`{"event_key":`:                 "unexpected end of JSON input (at byte 13)",
		"event=contact.add":             "invalid character 'e' looking for beginning of value (at byte 1)",
		`{"a":1}x`:                      "invalid character 'x' after top-level value (at byte 8)",
		`{"a" 1}`:                       "invalid character '1' after object key (at byte 6)",
		`[1,]`:                          "invalid character ']' looking for beginning of value (at byte 4)",
		`{"a":01}`:                      "invalid character '1' after object key:value pair (at byte 7)",
		"\"tab\there\"":                 `invalid character '\t' in string literal (at byte 5)`,
		`"\x"`:                          `invalid character 'x' in string escape code (at byte 3)`,
		`tru`:                           "unexpected end of JSON input (at byte 3)",
		strings.Repeat("[", maxDepth+1): "exceeded max depth (at byte 10001)",
	} {
		_, err := scanBody([]byte(body))
		if err == nil || err.Error() != says {
			t.Errorf("scanBody(%.20q) = %v, want %q", body, err, says)
		}
	}
}

// FuzzScanBody: the scanner accepts exactly what json.Valid accepts, and its summary is what
// decoding the whole body would give.
func FuzzScanBody(f *testing.F) {
	for _, seed := range []string{delivery, `{"event_key":"a","object_keys":[{"id":1},{"id":-2e3}]}`, `[1,"\u00e9",true,null,{}]`,
		`{"a":[1.5e+3,-0,0.1]}`, `"\ud800"`, "\xff", ` {} `, `{"object_keys":{"id":1}}`, `01`, `1.`, `-`, `{"a":1,}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := scanBody(body)
		if (err == nil) != json.Valid(body) {
			t.Fatalf("scanBody error %v, json.Valid %v, for %q", err, json.Valid(body), body)
		}
		if err != nil || bytes.Contains(body, []byte(`\u`)) { // escaped keys are not matched, by design
			return
		}
		if diff := cmp.Diff(decodedSummary(body), got, cmp.AllowUnexported(summary{})); diff != "" {
			t.Fatalf("summary of %q (-decoded +scanned):\n%s", body, diff)
		}
	})
}

// decodedSummary summarises body the slow way, decoding all of it.
func decodedSummary(body []byte) summary {
	var top map[string]json.RawMessage
	var sum summary
	if json.Unmarshal(body, &top) != nil {
		return sum
	}
	json.Unmarshal(top["event_key"], &sum.eventKey)
	var elems []json.RawMessage
	if json.Unmarshal(top["object_keys"], &elems) != nil {
		return summary{eventKey: sum.eventKey}
	}
	sum.objects = len(elems)
	for i := 0; i < len(elems) && i < MaxIDs; i++ {
		var obj map[string]json.RawMessage
		json.Unmarshal(elems[i], &obj)
		id, _ := strconv.ParseInt(string(obj["id"]), 10, 64)
		sum.ids = append(sum.ids, id)
	}
	return sum
}
