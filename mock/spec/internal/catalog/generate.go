package catalog

import (
	"bytes"
	"encoding/json"

	"github.com/keaphook/keaphook/fixtures/schema"
)

// Generate builds the catalog from fixtures/schema's documents and encodes it: one line per
// schema and per operation, so a change to Keap's documents reads as a small diff.
func Generate() ([]byte, error) {
	c, err := Build(schema.Document(), schema.DocumentV2())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("{\"schemas\":[\n")
	for i, s := range c.Schemas {
		writeLine(&buf, s, i == len(c.Schemas)-1)
	}
	buf.WriteString("],\"ops\":[\n")
	for i, op := range c.Ops {
		writeLine(&buf, op, i == len(c.Ops)-1)
	}
	buf.WriteString("]}\n")
	return buf.Bytes(), nil
}

func writeLine(buf *bytes.Buffer, v any, last bool) {
	line, _ := json.Marshal(v) // plain structs of strings, numbers and maps: cannot fail
	buf.Write(line)
	if !last {
		buf.WriteByte(',')
	}
	buf.WriteByte('\n')
}
