package receiver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// maxDepth is how deeply arrays and objects may nest, as in encoding/json: a body nested
// deeper is refused rather than allowed to exhaust the stack.
const maxDepth = 10000

// summary is what the console shows of a delivery: its event key, how many objects it
// carries and the first few ids.
type summary struct {
	eventKey string
	objects  int
	ids      []int64
}

// syntaxError says where and why a body is not JSON.
type syntaxError struct {
	msg    string
	offset int
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.msg, e.offset) }

// scanBody reads body once: it checks that body is JSON (exactly the grammar json.Valid
// accepts) and, in the same pass, summarises it as a Keap delivery. Only the event key, the
// object count and the first MaxIDs ids are decoded; the rest of a 1,000-id batch is only
// walked over, which is what keeps the relay at the speed of a plain reverse proxy.
func scanBody(body []byte) (summary, error) {
	s := scanner{data: body}
	err := s.value(roleTop)
	if err == nil {
		s.skipSpace()
		if s.pos < len(s.data) {
			err = s.unexpected("after top-level value")
		}
	}
	if err != nil {
		return summary{}, err
	}
	return s.sum, nil
}

// role says what a value means to the summary, so that only those values are decoded.
type role int

const (
	roleNone       role = iota
	roleTop             // the body itself: its event_key and object_keys members are read
	roleEventKey        // the event_key string
	roleObjectKeys      // the object_keys array: counted, its first elements read
	roleObjectKey       // one of the first MaxIDs elements of object_keys: its id is read
	roleID              // the id of such an element
)

type scanner struct {
	data  []byte
	pos   int
	depth int
	sum   summary
}

func (s *scanner) value(r role) error {
	s.forget(r)
	s.skipSpace()
	if s.pos >= len(s.data) {
		return s.unexpected("looking for beginning of value")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(r)
	case c == '[':
		return s.array(r)
	case c == '"':
		return s.stringValue(r)
	case c == '-' || isDigit(c):
		return s.numberValue(r)
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.unexpected("looking for beginning of value")
}

// forget clears what an earlier member of the same name left in the summary: as in
// encoding/json, the last of repeated members counts, whatever its type.
func (s *scanner) forget(r role) {
	switch r {
	case roleEventKey:
		s.sum.eventKey = ""
	case roleObjectKeys:
		s.sum.objects, s.sum.ids = 0, nil
	case roleID:
		s.sum.ids[len(s.sum.ids)-1] = 0
	}
}

func (s *scanner) object(r role) error {
	if err := s.enter(); err != nil {
		return err
	}
	s.skipSpace()
	if s.peek() == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		key, err := s.objectKey()
		if err != nil {
			return err
		}
		if err := s.value(memberRole(r, key)); err != nil {
			return err
		}
		if done, err := s.next('}', "after object key:value pair"); done || err != nil {
			return err
		}
	}
}

// objectKey reads `"key" :` and returns the key's raw bytes.
func (s *scanner) objectKey() ([]byte, error) {
	s.skipSpace()
	if s.peek() != '"' {
		return nil, s.unexpected("looking for beginning of object key string")
	}
	start := s.pos
	if err := s.str(); err != nil {
		return nil, err
	}
	key := s.data[start+1 : s.pos-1]
	s.skipSpace()
	if s.peek() != ':' {
		return nil, s.unexpected("after object key")
	}
	s.pos++
	return key, nil
}

// memberRole is the role of the member named key in an object of role r. Keys are compared
// as Keap writes them; a key spelled with escapes is walked over like any other.
func memberRole(r role, key []byte) role {
	switch {
	case r == roleTop && string(key) == "event_key":
		return roleEventKey
	case r == roleTop && string(key) == "object_keys":
		return roleObjectKeys
	case r == roleObjectKey && string(key) == "id":
		return roleID
	}
	return roleNone
}

func (s *scanner) array(r role) error {
	if err := s.enter(); err != nil {
		return err
	}
	s.skipSpace()
	if s.peek() == ']' {
		s.pos++
		s.depth--
		return nil
	}
	for n := 0; ; n++ {
		elem := roleNone
		if r == roleObjectKeys {
			s.sum.objects++
			if n < MaxIDs {
				elem = roleObjectKey
				s.sum.ids = append(s.sum.ids, 0) // filled by the element's id, if it has one
			}
		}
		if err := s.value(elem); err != nil {
			return err
		}
		if done, err := s.next(']', "after array element"); done || err != nil {
			return err
		}
	}
}

// enter steps into an object or array, refusing to nest deeper than maxDepth.
func (s *scanner) enter() error {
	s.pos++
	s.depth++
	if s.depth > maxDepth {
		return &syntaxError{msg: "exceeded max depth", offset: s.pos}
	}
	return nil
}

// next reads the comma before another member or element (false) or the closing byte (true).
func (s *scanner) next(closing byte, context string) (bool, error) {
	s.skipSpace()
	switch s.peek() {
	case ',':
		s.pos++
		return false, nil
	case closing:
		s.pos++
		s.depth--
		return true, nil
	}
	return false, s.unexpected(context)
}

func (s *scanner) stringValue(r role) error {
	start := s.pos
	if err := s.str(); err != nil {
		return err
	}
	if r == roleEventKey {
		s.sum.eventKey = decodeString(s.data[start:s.pos])
	}
	return nil
}

// str walks over one string, from its opening quote to just past its closing one.
func (s *scanner) str() error {
	s.pos++
	for {
		s.pos = plainRun(s.data, s.pos)
		switch c := s.peek(); {
		case s.pos >= len(s.data) || c < 0x20:
			return s.unexpected("in string literal")
		case c == '"':
			s.pos++
			return nil
		default: // a backslash
			if err := s.escape(); err != nil {
				return err
			}
		}
	}
}

// plainRun returns the position of the first byte from i on that a string cannot simply
// walk over (a quote, a backslash or a control byte), or len(data). Most of a delivery is
// strings, so this loop is where the scan spends its time: one table look-up a byte.
func plainRun(data []byte, i int) int {
	for i < len(data) && plainByte[data[i]] {
		i++
	}
	return i
}

// plainByte says which bytes a string holds as they are.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (s *scanner) escape() error {
	s.pos++
	switch s.peek() {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos++
		return nil
	case 'u':
		s.pos++
		for range 4 {
			if !isHex(s.peek()) {
				return s.unexpected("in \\u hexadecimal character escape")
			}
			s.pos++
		}
		return nil
	}
	return s.unexpected("in string escape code")
}

// decodeString turns a JSON string literal (quotes included) into its value.
func decodeString(lit []byte) string {
	if !bytes.ContainsRune(lit, '\\') {
		return string(lit[1 : len(lit)-1])
	}
	var v string
	json.Unmarshal(lit, &v) // the literal was checked already
	return v
}

func (s *scanner) numberValue(r role) error {
	start := s.pos
	if err := s.number(); err != nil {
		return err
	}
	if r == roleID {
		if id, err := strconv.ParseInt(string(s.data[start:s.pos]), 10, 64); err == nil {
			s.sum.ids[len(s.sum.ids)-1] = id
		}
	}
	return nil
}

// number walks over -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() error {
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return s.unexpected("in numeric literal")
	}
	if s.peek() == '.' {
		s.pos++
		if !isDigit(s.peek()) {
			return s.unexpected("after decimal point in numeric literal")
		}
		s.digits()
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !isDigit(s.peek()) {
			return s.unexpected("in exponent of numeric literal")
		}
		s.digits()
	}
	return nil
}

func (s *scanner) digits() {
	for s.pos < len(s.data) && isDigit(s.data[s.pos]) {
		s.pos++
	}
}

func (s *scanner) literal(word string) error {
	for i := 0; i < len(word); i++ {
		if s.peek() != word[i] {
			return s.unexpected("in literal " + word + " (expecting '" + word[i:i+1] + "')")
		}
		s.pos++
	}
	return nil
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek is the byte at the position, or 0 at the end (a byte no rule accepts).
func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// unexpected describes the byte at the position (or the end of the body) in the words
// encoding/json uses, so the message reads the same as before.
func (s *scanner) unexpected(context string) error {
	if s.pos >= len(s.data) {
		return &syntaxError{msg: "unexpected end of JSON input", offset: len(s.data)}
	}
	return &syntaxError{msg: "invalid character " + quoteChar(s.data[s.pos]) + " " + context, offset: s.pos + 1}
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < 0x20 || c >= 0x7f:
		q := strconv.Quote(string(rune(c)))
		return "'" + q[1:len(q)-1] + "'"
	}
	return "'" + string(c) + "'"
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
