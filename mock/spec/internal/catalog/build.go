package catalog

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Build makes the catalog from the trimmed v1 and v2 documents (fixtures/schema's).
func Build(v1, v2 []byte) (*Catalog, error) {
	b := &builder{index: map[string]int{}}
	b.cat.Schemas = []Schema{{}}
	for _, d := range []struct {
		raw     []byte
		version int
		prefix  string
	}{{v1, 1, "/crm/rest"}, {v2, 2, "/crm"}} {
		if err := b.document(d.raw, d.version, d.prefix); err != nil {
			return nil, fmt.Errorf("catalog: v%d: %w", d.version, err)
		}
	}
	assignRoles(b.cat.Ops, b.cat.Schemas)
	slices.SortFunc(b.cat.Ops, func(a, c Op) int {
		return cmp.Or(strings.Compare(a.Path, c.Path), strings.Compare(a.Method, c.Method))
	})
	return &b.cat, nil
}

type builder struct {
	cat   Catalog
	index map[string]int // canonical JSON of a Schema → its index
	// components maps "#/components/schemas/Name" to its index in the current document.
	components map[string]int
	schemas    map[string]any
}

type document struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]any `json:"schemas"`
	} `json:"components"`
}

type operation struct {
	RequestBody struct {
		Content map[string]struct {
			Schema any `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Content map[string]struct {
			Schema any `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

var methods = []string{"get", "put", "post", "patch", "delete"}

func (b *builder) document(raw []byte, version int, prefix string) error {
	var doc document
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	if len(doc.Paths) == 0 {
		return fmt.Errorf("the document has no paths")
	}
	b.schemas = doc.Components.Schemas
	b.components = map[string]int{}
	// Components get their index before any is built, so a schema that refers to itself
	// (v1's Throwable) refers to an index that will hold it.
	for _, name := range sortedKeys(doc.Components.Schemas) {
		b.components["#/components/schemas/"+name] = len(b.cat.Schemas)
		b.cat.Schemas = append(b.cat.Schemas, Schema{})
	}
	for _, name := range sortedKeys(doc.Components.Schemas) {
		s, err := b.node(doc.Components.Schemas[name])
		if err != nil {
			return fmt.Errorf("schema %s: %w", name, err)
		}
		b.cat.Schemas[b.components["#/components/schemas/"+name]] = s
	}
	for _, path := range sortedKeys(doc.Paths) {
		for _, m := range methods {
			raw, ok := doc.Paths[path][m]
			if !ok {
				continue
			}
			op, err := b.operation(raw, strings.ToUpper(m), prefix+path, version)
			if err != nil {
				return fmt.Errorf("%s %s: %w", strings.ToUpper(m), path, err)
			}
			b.cat.Ops = append(b.cat.Ops, op)
		}
	}
	return nil
}

func (b *builder) operation(raw json.RawMessage, method, path string, version int) (Op, error) {
	var o operation
	if err := json.Unmarshal(raw, &o); err != nil {
		return Op{}, err
	}
	op := Op{Method: method, Path: path, Version: version}
	for _, status := range sortedKeys(o.Responses) {
		n, err := strconv.Atoi(status)
		if err != nil || n < 200 || n > 299 {
			continue
		}
		op.Status = n
		for ct, media := range o.Responses[status].Content {
			if op.Body, err = b.ref(media.Schema); err != nil {
				return Op{}, err
			}
			if !strings.HasPrefix(ct, "application/json") {
				op.ContentType = ct
			}
		}
		break
	}
	if op.Status == 0 {
		return Op{}, fmt.Errorf("no success status")
	}
	if media, ok := o.RequestBody.Content["application/json"]; ok {
		var err error
		if op.Request, err = b.ref(media.Schema); err != nil {
			return Op{}, err
		}
	}
	return op, nil
}

// ref returns the index of the schema v, building and storing it when it is inline.
func (b *builder) ref(v any) (int, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return 0, nil
	}
	if r, ok := m["$ref"].(string); ok {
		i, ok := b.components[r]
		if !ok {
			return 0, fmt.Errorf("reference %q names no component schema", r)
		}
		return i, nil
	}
	s, err := b.node(m)
	if err != nil {
		return 0, err
	}
	return b.intern(s), nil
}

func (b *builder) intern(s Schema) int {
	key, _ := json.Marshal(s) // maps encode with sorted keys: equal schemas, equal keys
	if i, ok := b.index[string(key)]; ok {
		return i
	}
	b.cat.Schemas = append(b.cat.Schemas, s)
	b.index[string(key)] = len(b.cat.Schemas) - 1
	return len(b.cat.Schemas) - 1
}

// node builds one schema object; its children are stored and referred to by index.
func (b *builder) node(v any) (Schema, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return Schema{}, nil
	}
	s := Schema{Format: str(m["format"]), Title: str(m["title"]), Unique: m["uniqueItems"] == true}
	s.Type = str(m["type"])
	s.Enum, _ = m["enum"].([]any)
	s.Required = strings_(m["required"])
	s.Min, s.Max = number(m["minimum"]), number(m["maximum"])
	s.MinLength, s.MaxLength = integer(m["minLength"]), integer(m["maxLength"])
	var err error
	if props, ok := m["properties"].(map[string]any); ok {
		s.Props = map[string]int{}
		for _, name := range sortedKeys(props) {
			if s.Props[name], err = b.ref(props[name]); err != nil {
				return Schema{}, err
			}
		}
		if s.Type == "" {
			s.Type = "object"
		}
	}
	if s.Items, err = b.ref(m["items"]); err != nil {
		return Schema{}, err
	}
	if s.Additional, err = b.ref(m["additionalProperties"]); err != nil {
		return Schema{}, err
	}
	return s, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strings_(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func number(v any) *float64 {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		return nil
	}
	return &f
}

func integer(v any) int {
	if f := number(v); f != nil {
		return int(*f)
	}
	return 0
}
