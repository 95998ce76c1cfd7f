package ui

import (
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
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

// FuzzParseForm: whatever body, content type and query an action comes with, reading its form
// answers nothing (read), 400 or 413, never panics, and never reads past MaxFormBytes.
func FuzzParseForm(f *testing.F) {
	f.Add("csrf=abc&back=%2F_mock%2Fui%2F", "application/x-www-form-urlencoded", "")
	f.Add("back=%zz", "application/x-www-form-urlencoded", "")
	f.Add("csrf=abc", "application/x-www-form-urlencoded", "%zz")
	f.Add("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--b--\r\n", "multipart/form-data; boundary=b", "")
	f.Add("--b\r\nbroken", "multipart/form-data; boundary=b", "a=1")
	f.Add(`{"csrf":"abc"}`, "application/json", "")
	f.Add("a=1", "multipart/form-data", "")
	f.Fuzz(func(t *testing.T, body, contentType, query string) {
		for _, size := range []int{0, MaxFormBytes + 1} {
			b := body
			if size > len(b) {
				b += "&pad=" + strings.Repeat("x", size)
			}
			req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1/_mock/ui/reset", strings.NewReader(b))
			if err != nil {
				t.Skip()
			}
			req.URL.RawQuery = query
			req.Header.Set("Content-Type", contentType)
			status, msg := ParseForm(httptest.NewRecorder(), req)
			switch {
			case status == 0 && msg != "":
				t.Fatalf("read, yet a message %q", msg)
			case status != 0 && status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge:
				t.Fatalf("status %d %q for %q (%s)", status, msg, b, contentType)
			case status != 0 && msg == "":
				t.Fatalf("status %d without a sentence", status)
			}
			if mt, _, _ := mime.ParseMediaType(contentType); status == 0 && len(b) > MaxFormBytes && mt == "application/x-www-form-urlencoded" {
				t.Fatalf("a %d-byte form was read whole", len(b))
			}
		}
	})
}
