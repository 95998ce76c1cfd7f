package ui

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// Flash is the one-line outcome of an action, shown on the page the action returns to.
type Flash struct {
	Kind string // "ok" or "error"
	Text string
}

const flashCookie = "keaphook_inspector_flash"

// maxFlash bounds a flash's text, so the cookie stays far below browsers' 4 KB limit.
const maxFlash = 1200

// Redirect answers an action: 303 See Other to back (a page of the inspector under root),
// with the outcome kept in a short-lived cookie for that page to show. Every action
// answers this way, success or bad input, so that reloading a page never posts again.
func Redirect(w http.ResponseWriter, r *http.Request, root, back string, f Flash) {
	if len(f.Text) > maxFlash {
		f.Text = f.Text[:maxFlash] + "…"
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(f.Kind + "\n" + f.Text)),
		Path: root, MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, LocalPath(root, back), http.StatusSeeOther)
}

// TakeFlash returns the flash left by the last action and clears it, or nil.
func TakeFlash(w http.ResponseWriter, r *http.Request, root string) *Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: root, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	kind, text, ok := strings.Cut(string(raw), "\n")
	if !ok || (kind != "ok" && kind != "error") {
		return nil
	}
	return &Flash{Kind: kind, Text: text}
}

// LocalPath returns back when it is a path inside root, else root: a form's "back" field can
// never send the browser to another site.
func LocalPath(root, back string) string {
	u, err := url.Parse(back)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, root) ||
		strings.Contains(u.Path, "..") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		return root
	}
	return (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()
}
