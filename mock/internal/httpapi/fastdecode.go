package httpapi

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeFast reads body into dst, a pointer to a zero value, in one pass over the bytes for
// the bodies clients nearly always send: well-formed JSON whose keys each name a field of
// the Go type exactly, at most once. It reports false, leaving dst as it found it, for
// anything else (a syntax error, an unknown or miscased key, a repeated key, a number that
// does not fit, a kind of value it does not read); DecodeStrict then runs encoding/json,
// which decides such bodies and words their errors. So decodeFast never changes an answer,
// only its cost: reading a contact through encoding/json, with the case check it needs on
// top, was a third of what creating one cost. FuzzDecodeFastAgrees holds it to that.
func decodeFast(body []byte, dst any) bool {
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	target := v.Elem()
	p := planFor(target.Type())
	if p == nil || !target.IsZero() {
		return false // a prefilled dst merges in encoding/json's own way: leave it to it
	}
	d := fastDecoder{data: body}
	d.space()
	if !d.value(p, target) {
		target.SetZero()
		return false
	}
	d.space()
	if d.i != len(d.data) {
		target.SetZero()
		return false
	}
	return true
}

// maxFastDepth bounds how deeply decodeFast follows nested values of any type; deeper
// bodies go to encoding/json, which has its own limit and error for them.
const maxFastDepth = 256

// plan is what decodeFast knows of one Go type.
type plan struct {
	kind   planKind
	typ    reflect.Type
	elem   *plan          // pointer, slice and map element
	fields []planField    // struct fields
	byName map[string]int // exact JSON name → index into fields
}

type planField struct {
	index int
	plan  *plan
}

type planKind uint8

const (
	planString planKind = iota
	planNumber          // json.Number
	planBool
	planInt
	planUint
	planFloat
	planPointer
	planSlice
	planStruct
	planMap // string keys
	planAny // an empty interface: objects, arrays, strings, float64, bools, nil
	planRaw // json.RawMessage
)

var (
	plans           sync.Map // reflect.Type → *plan, or nil for a type decodeFast leaves alone
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	numberType      = reflect.TypeFor[json.Number]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textType        = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// planFor returns t's plan, or nil when t holds something decodeFast does not read the way
// encoding/json does (custom unmarshalers, embedded structs, ",string" options, arrays,
// []byte's base64, non-string map keys, non-empty interfaces).
func planFor(t reflect.Type) *plan {
	if cached, ok := plans.Load(t); ok {
		return cached.(*plan)
	}
	p := buildPlan(t, map[reflect.Type]*plan{})
	plans.Store(t, p)
	return p
}

// buildPlan builds t's plan; building holds the plans under construction so that a type
// that refers to itself gets a plan that refers to itself.
func buildPlan(t reflect.Type, building map[reflect.Type]*plan) *plan {
	if p, ok := building[t]; ok {
		return p
	}
	if t == rawMessageType {
		return &plan{kind: planRaw, typ: t}
	}
	if t == numberType {
		return &plan{kind: planNumber, typ: t}
	}
	// A pointer is followed to what it points at, where encoding/json looks for the methods.
	if t.Kind() != reflect.Pointer && (t.Implements(unmarshalerType) || t.Implements(textType) ||
		reflect.PointerTo(t).Implements(unmarshalerType) || reflect.PointerTo(t).Implements(textType)) {
		return nil
	}
	p := &plan{typ: t}
	building[t] = p
	ok := true
	switch t.Kind() {
	case reflect.String:
		p.kind = planString
	case reflect.Bool:
		p.kind = planBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		p.kind = planInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		p.kind = planUint
	case reflect.Float32, reflect.Float64:
		p.kind = planFloat
	case reflect.Interface:
		p.kind, ok = planAny, t.NumMethod() == 0
	case reflect.Pointer:
		p.kind, p.elem = planPointer, buildPlan(t.Elem(), building)
		ok = p.elem != nil
	case reflect.Slice:
		p.kind, p.elem = planSlice, buildPlan(t.Elem(), building)
		ok = p.elem != nil && t.Elem().Kind() != reflect.Uint8 // []byte is base64 text
	case reflect.Map:
		p.kind, p.elem = planMap, buildPlan(t.Elem(), building)
		ok = p.elem != nil && t.Key().Kind() == reflect.String && t.Key().PkgPath() == ""
	case reflect.Struct:
		p.kind = planStruct
		ok = p.addFields(building)
	default:
		ok = false
	}
	delete(building, t)
	if !ok {
		return nil
	}
	return p
}

// addFields reads a struct's exported fields as encoding/json names them.
func (p *plan) addFields(building map[reflect.Type]*plan) bool {
	p.byName = map[string]int{}
	for i := range p.typ.NumField() {
		f := p.typ.Field(i)
		tag := f.Tag.Get("json")
		name, opts, hasOpts := strings.Cut(tag, ",")
		switch {
		case f.Anonymous || strings.Contains(opts, "string") || (name == "-" && hasOpts):
			return false // the last: a field named "-", which DecodeStrict's case check does not know
		case !f.IsExported() || name == "-":
			continue
		case name == "":
			name = f.Name
		case !plainName(name):
			return false
		}
		if _, twice := p.byName[name]; twice {
			return false // encoding/json drops both; not worth copying
		}
		fp := buildPlan(f.Type, building)
		if fp == nil {
			return false
		}
		p.byName[name] = len(p.fields)
		p.fields = append(p.fields, planField{index: i, plan: fp})
	}
	return true
}

// plainName is a tag name encoding/json takes as written: ASCII letters, digits and the
// punctuation its isValidTag allows. encoding/json names a field with any other tag name by
// its Go name (a quote or a backquote, say); non-ASCII names are left to it.
func plainName(s string) bool {
	for _, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// fastDecoder walks data once; every method reports false as soon as the body is not one
// it decides, and the caller gives up.
type fastDecoder struct {
	data  []byte
	i     int
	depth int
}

func (d *fastDecoder) space() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// consume skips spaces and then c.
func (d *fastDecoder) consume(c byte) bool {
	d.space()
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *fastDecoder) peek() byte {
	d.space()
	if d.i < len(d.data) {
		return d.data[d.i]
	}
	return 0
}

func (d *fastDecoder) literal(word string) bool {
	if len(d.data)-d.i >= len(word) && string(d.data[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return true
	}
	return false
}

// value reads one JSON value into v, which holds its zero value.
func (d *fastDecoder) value(p *plan, v reflect.Value) bool {
	if d.depth++; d.depth > maxFastDepth {
		return false
	}
	ok := d.valueAt(p, v)
	d.depth--
	return ok
}

func (d *fastDecoder) valueAt(p *plan, v reflect.Value) bool {
	c := d.peek()
	if c == 'n' {
		if !d.literal("null") {
			return false
		}
		if p.kind == planRaw {
			v.SetBytes([]byte("null"))
		}
		return true // a zero value stays zero, as encoding/json leaves it
	}
	switch p.kind {
	case planPointer:
		e := reflect.New(p.elem.typ)
		if !d.value(p.elem, e.Elem()) {
			return false
		}
		v.Set(e)
		return true
	case planStruct:
		return d.object(p, v)
	case planSlice:
		return d.array(p, v)
	case planMap:
		return d.mapValue(p, v)
	case planAny:
		x, ok := d.anyValue()
		if ok && x != nil {
			v.Set(reflect.ValueOf(x))
		}
		return ok
	case planRaw:
		start := d.i
		if !d.skip() {
			return false
		}
		v.SetBytes(append([]byte(nil), d.data[start:d.i]...))
		return true
	case planString:
		if c != '"' {
			return false
		}
		s, ok := d.str()
		v.SetString(s)
		return ok
	case planBool:
		switch {
		case d.literal("true"):
			v.SetBool(true)
		case d.literal("false"):
		default:
			return false
		}
		return true
	}
	num, ok := d.number()
	if !ok {
		return false
	}
	switch p.kind {
	case planNumber:
		v.SetString(num)
	case planInt:
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
	case planUint:
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil || v.OverflowUint(n) {
			return false
		}
		v.SetUint(n)
	case planFloat:
		f, err := strconv.ParseFloat(num, v.Type().Bits())
		if err != nil {
			return false
		}
		v.SetFloat(f)
	default:
		return false
	}
	return true
}

// object reads a JSON object into the struct v: each key must name a field exactly, once.
func (d *fastDecoder) object(p *plan, v reflect.Value) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	var seen fieldSet
	if len(p.fields) > 64 {
		seen.more = make([]bool, len(p.fields))
	}
	for {
		if d.peek() != '"' {
			return false
		}
		at, known := d.field(p)
		if !known || !seen.add(at) || !d.consume(':') {
			return false
		}
		f := p.fields[at]
		if !d.value(f.plan, v.Field(f.index)) {
			return false
		}
		if d.consume('}') {
			return true
		}
		if !d.consume(',') {
			return false
		}
	}
}

// fieldSet is the fields an object has set so far: a bitmask for up to 64 fields, which
// keeps it off the heap.
type fieldSet struct {
	bits uint64
	more []bool
}

// add reports whether field i was not in the set, and puts it there.
func (s *fieldSet) add(i int) bool {
	if s.more != nil {
		had := s.more[i]
		s.more[i] = true
		return !had
	}
	had := s.bits&(1<<i) != 0
	s.bits |= 1 << i
	return !had
}

// array reads a JSON array into the slice v; an empty array is an empty, non-nil slice.
func (d *fastDecoder) array(p *plan, v reflect.Value) bool {
	if !d.consume('[') {
		return false
	}
	s := reflect.MakeSlice(p.typ, 0, 1)
	if !d.consume(']') {
		for {
			s = reflect.Append(s, reflect.Zero(p.elem.typ))
			if !d.value(p.elem, s.Index(s.Len()-1)) {
				return false
			}
			if d.consume(']') {
				break
			}
			if !d.consume(',') {
				return false
			}
		}
	}
	v.Set(s)
	return true
}

// mapValue reads a JSON object into the map v; a repeated key keeps its last value.
func (d *fastDecoder) mapValue(p *plan, v reflect.Value) bool {
	if !d.consume('{') {
		return false
	}
	m := reflect.MakeMap(p.typ)
	if !d.consume('}') {
		for {
			if d.peek() != '"' {
				return false
			}
			key, ok := d.str()
			if !ok || !d.consume(':') {
				return false
			}
			e := reflect.New(p.elem.typ).Elem()
			if !d.value(p.elem, e) {
				return false
			}
			m.SetMapIndex(reflect.ValueOf(key).Convert(p.typ.Key()), e)
			if d.consume('}') {
				break
			}
			if !d.consume(',') {
				return false
			}
		}
	}
	v.Set(m)
	return true
}

// anyValue reads a value as encoding/json reads one into an empty interface.
func (d *fastDecoder) anyValue() (any, bool) {
	if d.depth++; d.depth > maxFastDepth {
		return nil, false
	}
	x, ok := d.anyValueAt()
	d.depth--
	return x, ok
}

func (d *fastDecoder) anyValueAt() (any, bool) {
	switch c := d.peek(); {
	case c == '"':
		return d.str()
	case c == '{':
		d.i++
		m := map[string]any{}
		if d.consume('}') {
			return m, true
		}
		for {
			if d.peek() != '"' {
				return nil, false
			}
			key, ok := d.str()
			if !ok || !d.consume(':') {
				return nil, false
			}
			if m[key], ok = d.anyValue(); !ok {
				return nil, false
			}
			if d.consume('}') {
				return m, true
			}
			if !d.consume(',') {
				return nil, false
			}
		}
	case c == '[':
		d.i++
		list := []any{}
		if d.consume(']') {
			return list, true
		}
		for {
			x, ok := d.anyValue()
			if !ok {
				return nil, false
			}
			list = append(list, x)
			if d.consume(']') {
				return list, true
			}
			if !d.consume(',') {
				return nil, false
			}
		}
	case d.literal("true"):
		return true, true
	case d.literal("false"):
		return false, true
	case d.literal("null"):
		return nil, true
	}
	num, ok := d.number()
	if !ok {
		return nil, false
	}
	f, err := strconv.ParseFloat(num, 64)
	return f, err == nil
}

// skip passes over one well-formed JSON value.
func (d *fastDecoder) skip() bool {
	_, ok := d.anyValue()
	return ok
}

// field finds the struct field an object key names, without copying the key when it has no
// escapes (a lookup by string(bytes) does not allocate).
func (d *fastDecoder) field(p *plan) (int, bool) {
	start := d.i + 1
	for j := start; j < len(d.data); j++ {
		switch c := d.data[j]; {
		case c == '"':
			d.i = j + 1
			at, ok := p.byName[string(d.data[start:j])]
			return at, ok
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			key, ok := d.str() // the careful reading
			at, known := p.byName[key]
			return at, ok && known
		}
	}
	return 0, false
}

// str reads a JSON string at d.i. It declines (false) what encoding/json would read
// differently from the bytes or refuse: control characters, invalid UTF-8, lone surrogates.
func (d *fastDecoder) str() (string, bool) {
	start := d.i + 1
	j := start
	for ; j < len(d.data); j++ {
		c := d.data[j]
		if c == '"' {
			s := d.data[start:j]
			if !utf8.Valid(s) {
				return "", false
			}
			d.i = j + 1
			return string(s), true
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", false
		}
	}
	// Escapes: build the string as encoding/json does.
	out := append(make([]byte, 0, j-start+16), d.data[start:j]...)
	for j < len(d.data) {
		c := d.data[j]
		switch {
		case c == '"':
			if !utf8.Valid(out) {
				return "", false
			}
			d.i = j + 1
			return string(out), true
		case c < 0x20:
			return "", false
		case c != '\\':
			out = append(out, c)
			j++
			continue
		}
		if j+1 >= len(d.data) {
			return "", false
		}
		switch e := d.data[j+1]; e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, n := d.unicodeEscape(j)
			if n == 0 {
				return "", false
			}
			out = utf8.AppendRune(out, r)
			j += n
			continue
		default:
			return "", false
		}
		j += 2
	}
	return "", false
}

// unicodeEscape reads \uXXXX at j (and its pair, for a surrogate); n is the bytes read, 0
// for what encoding/json would replace rather than read (a lone surrogate).
func (d *fastDecoder) unicodeEscape(j int) (rune, int) {
	r := hex4(d.data, j+2)
	if r < 0 {
		return 0, 0
	}
	if !utf16.IsSurrogate(r) {
		return r, 6
	}
	if j+12 > len(d.data) || d.data[j+6] != '\\' || d.data[j+7] != 'u' {
		return 0, 0
	}
	r2 := hex4(d.data, j+8)
	if dec := utf16.DecodeRune(r, r2); r2 >= 0 && dec != utf8.RuneError {
		return dec, 12
	}
	return 0, 0
}

func hex4(b []byte, at int) rune {
	if at+4 > len(b) {
		return -1
	}
	var r rune
	for _, c := range b[at : at+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// ValidNumber reports whether s is a number as JSON's grammar spells it, the grammar
// json.Marshal demands of a json.Number. strconv reads more ("NaN", "0x1p3", "+5", "1_0"):
// a json.Number holding one of those cannot be written back out. It allocates nothing: the
// store's answers check every number they write with it.
func ValidNumber(s string) bool {
	end, ok := numberEnd(s, 0)
	return ok && end == len(s)
}

// number reads a number at d.i as JSON's grammar spells it.
func (d *fastDecoder) number() (string, bool) {
	end, ok := numberEnd(d.data, d.i)
	if !ok {
		return "", false
	}
	num := string(d.data[d.i:end])
	d.i = end
	return num, true
}

// numberEnd is where the number starting at b[j] ends, as JSON's grammar spells numbers:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd[S ~string | ~[]byte](b S, j int) (int, bool) {
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && '1' <= b[j] && b[j] <= '9':
		j = digits(b, j)
	default:
		return 0, false
	}
	if j < len(b) && b[j] == '.' {
		k := digits(b, j+1)
		if k == j+1 {
			return 0, false
		}
		j = k
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		k := digits(b, j)
		if k == j {
			return 0, false
		}
		j = k
	}
	return j, true
}

func digits[S ~string | ~[]byte](b S, j int) int {
	for j < len(b) && '0' <= b[j] && b[j] <= '9' {
		j++
	}
	return j
}
