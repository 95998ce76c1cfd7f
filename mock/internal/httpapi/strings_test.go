package httpapi

import (
	"encoding/json"
	"testing"
)

// FuzzAppendStringIsMarshal: AppendString writes the very bytes json.Marshal writes for a
// string, escapes, HTML characters, control characters and invalid UTF-8 included.
func FuzzAppendStringIsMarshal(f *testing.F) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "line\nbreak\ttab\r\b\f\x00\x1f",
		"é ü 日本", "\u2028\u2029", "\xff\xfe broken", "\xed\xa0\x80 surrogate"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got[1:], want)
		}
	})
}
