package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzLocalPath: a form's "back" field never leads outside the inspector.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/_mock/ui/", "/_mock/ui/?page=2", "//evil.example/_mock/ui/", "https://evil.example/", "/_mock/ui/../x", "/_mock/ui/\\evil", "javascript:alert(1)", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, back string) {
		got := LocalPath("/_mock/ui/", back)
		u, err := url.Parse(got)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(got, "/_mock/ui/") || strings.HasPrefix(got, "//") {
			t.Fatalf("LocalPath(%q) = %q", back, got)
		}
	})
}

// FuzzShownURL: a password in a URL, or a credential in its query, is never shown.
func FuzzShownURL(f *testing.F) {
	f.Add("http://user:pw@example.com/x?token=abc")
	f.Add("http://example.com/?api_key=s3cr3t&x=1")
	f.Fuzz(func(t *testing.T, raw string) {
		shown := ShownURL(raw)
		u, err := url.Parse(shown)
		if err != nil {
			if shown != "(a URL that cannot be parsed)" {
				t.Fatalf("ShownURL(%q) = %q, which does not parse", raw, shown)
			}
			return
		}
		if pw, ok := u.User.Password(); ok && pw != "xxxxx" {
			t.Fatalf("ShownURL(%q) = %q shows a password", raw, shown)
		}
		for name, values := range u.Query() {
			if looksSecret(name) && (len(values) != 1 || values[0] != "xxxxx") {
				t.Fatalf("ShownURL(%q) = %q shows %s", raw, shown, name)
			}
		}
	})
}

func TestShownHeadersMaskCredentials(t *testing.T) {
	h := http.Header{"X-Hook-Secret": {"abc"}, "Authorization": {"Bearer tok"}, "X-Hook-Signature": {"f00"}}
	got := fmt.Sprint(ShownHeaders(h))
	if strings.Contains(got, "abc") || strings.Contains(got, "tok") || !strings.Contains(got, "f00") {
		t.Fatalf("ShownHeaders = %s: want the secret and token masked, the signature shown", got)
	}
}
