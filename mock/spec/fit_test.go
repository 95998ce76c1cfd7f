package spec

import (
	"encoding/json"
	"testing"

	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// An array whose schema wants unique items keeps the first of each, in order.
func TestFitDropsRepeatedUniqueItems(t *testing.T) {
	e := examples{schemas: []catalog.Schema{{}, {Type: "array", Items: 2, Unique: true}, {Type: "integer"}}}
	got, ok := e.fit(1, []any{json.Number("2"), json.Number("1"), json.Number("2"), json.Number("1")}, 0)
	if b, _ := json.Marshal(got); !ok || string(b) != "[2,1]" {
		t.Errorf("fit = %s %v, want [2,1]", b, ok)
	}
}
