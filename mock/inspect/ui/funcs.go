package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Funcs are the helpers every page template may call.
var Funcs = template.FuncMap{
	"shownURL": ShownURL,
	"clock":    Clock,
	"dur":      Duration,
	"pretty":   Pretty,
	"headers":  ShownHeaders,
	"ago":      Relative,
}

// masked stands in for every value the inspector must not show.
const masked = "••••••"

// secretQuery are words that mark a query parameter as a credential.
var secretQuery = []string{"token", "secret", "key", "password", "pass", "sig", "auth"}

// ShownURL is rawURL as the inspector shows it: no password, and the values of query
// parameters that look like credentials (?token=, ?api_key=) masked.
func ShownURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(a URL that cannot be parsed)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for name := range q {
			if looksSecret(name) {
				q[name] = []string{"xxxxx"}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func looksSecret(name string) bool {
	lower := strings.ToLower(name)
	return slices.ContainsFunc(secretQuery, func(w string) bool { return strings.Contains(lower, w) })
}

// hiddenHeaders are never shown with their value: the handshake secret and credentials.
// Signature headers are shown: they are what a receiver checks, not the key that makes them.
var hiddenHeaders = []string{"X-Hook-Secret", "Authorization", "X-Keap-Api-Key", "Cookie", "Set-Cookie", "Proxy-Authorization"}

// Header is one header line as shown.
type Header struct{ Name, Value string }

// ShownHeaders lists h sorted by name, with hidden values masked.
func ShownHeaders(h http.Header) []Header {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	var out []Header
	for _, name := range names {
		for _, v := range h[name] {
			if slices.ContainsFunc(hiddenHeaders, func(x string) bool { return strings.EqualFold(x, name) }) {
				v = masked
			}
			out = append(out, Header{name, v})
		}
	}
	return out
}

// Clock writes a time as the clock reads it, "15:04:05" (UTC), or "–" for the zero time.
func Clock(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("15:04:05")
}

// Duration writes d rounded to what a person reads: "12ms", "1.5s", "4m30s".
func Duration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(100 * time.Microsecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// Relative says when t is from now: "in 4m30s", "2m ago", "now".
func Relative(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := t.Sub(now).Round(time.Second)
	switch {
	case d > 0:
		return "in " + Duration(d)
	case d < 0:
		return Duration(-d) + " ago"
	}
	return "now"
}

// Pretty indents a JSON body for reading; anything else comes back as it is.
func Pretty(body any) string {
	var b []byte
	switch v := body.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case json.RawMessage:
		b = v
	default:
		return fmt.Sprint(v)
	}
	var out bytes.Buffer
	if json.Indent(&out, b, "", "  ") != nil {
		return string(b)
	}
	return out.String()
}
