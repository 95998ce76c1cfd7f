package ui

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sync"
)

// CookieName is the session cookie. It holds a random session id, never a token.
const CookieName = "keaphook_inspector"

// CSRFField is the name of the hidden form field that carries the session's CSRF token.
const CSRFField = "csrf"

// MaxFormBytes bounds the body of an action: the inspector's forms are a few fields.
const MaxFormBytes = 64 << 10

// ParseForm reads an action's posted form (URL-encoded, or multipart as curl -F sends it), at
// most MaxFormBytes of it. When it cannot, it returns the status to answer and a sentence
// saying why (a zero status when the form is read): a form too large to be one of the
// inspector's, or a form or query that is not well-formed.
func ParseForm(w http.ResponseWriter, r *http.Request) (int, string) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = r.ParseMultipartForm(MaxFormBytes)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return 0, ""
	case errors.As(err, &tooLarge) || errors.Is(err, multipart.ErrMessageTooLarge):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("This form is larger than %d KiB, which none of the inspector's forms is. Send it again from the page.", MaxFormBytes>>10)
	}
	return http.StatusBadRequest, "This form could not be read: it or the address's query is not encoded as a page sends them. Send it again from the page."
}

// Guard lets a request into the inspector. With Accept set (the mock), a browser passes its
// token once as ?token= and gets an HttpOnly, SameSite=Strict cookie for a session; clients
// may instead send the token in a header, which Authorized judges. With Accept nil (the
// relay's inspector on a loopback address) any visitor gets a session. Every POST made with a
// session cookie must carry the session's CSRF token.
type Guard struct {
	// Accept reports whether a token passed as ?token= (and kept by a session) is valid.
	Accept func(token string) bool
	// Authorized reports whether a request carries a valid token in a header.
	Authorized func(r *http.Request) bool
	// Path is the cookie's path, the inspector's root (e.g. "/_mock/ui/").
	Path string
	// Random feeds session ids, CSRF tokens and the key signing open sessions; nil means
	// crypto/rand.
	Random io.Reader

	mu       sync.Mutex
	key      []byte        // signs the open sessions (Accept nil): signingKey
	sessions tokenSessions // the sessions of ?token= logins (Accept set)
}

// Session is one browser's pass into the inspector.
type Session struct {
	CSRF  string
	id    string
	token string
}

type sessionKey struct{}

// SessionOf returns the request's session, or nil for a request authorized by a header.
func SessionOf(r *http.Request) *Session {
	s, _ := r.Context().Value(sessionKey{}).(*Session)
	return s
}

// CSRF returns the token forms of this request's page must carry ("" without a session).
func CSRF(r *http.Request) string {
	if s := SessionOf(r); s != nil {
		return s.CSRF
	}
	return ""
}

// Wrap puts the guard in front of next.
func (g *Guard) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := r.URL.Query().Get("token"); tok != "" && r.Method == http.MethodGet {
			g.login(w, r, tok)
			return
		}
		if s := g.session(r); s != nil {
			g.withSession(w, r, s, next)
			return
		}
		switch {
		case g.Authorized != nil && g.Authorized(r):
			if !g.readForm(w, r) {
				return
			}
			next.ServeHTTP(w, r)
		case g.Accept == nil && r.Method == http.MethodGet:
			s := g.newSession("")
			g.setCookie(w, s)
			g.withSession(w, r, s, next)
		default:
			g.refuse(w, r)
		}
	})
}

func (g *Guard) withSession(w http.ResponseWriter, r *http.Request, s *Session, next http.Handler) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if !g.readForm(w, r) {
			return
		}
		got := r.PostFormValue(CSRFField)
		if subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) != 1 {
			WriteMessage(w, g.Path, http.StatusForbidden, "This form is out of date or did not come from the inspector (its CSRF token does not match). Reload the page and try again.")
			return
		}
	}
	next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, s)))
}

// readForm reads the form of an action (any method but GET and HEAD), answering with why when
// it cannot: the guard reads every action's form, so no handler reads more than MaxFormBytes.
func (g *Guard) readForm(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	if status, msg := ParseForm(w, r); status != 0 {
		WriteMessage(w, g.Path, status, msg)
		return false
	}
	return true
}

// login trades ?token= for a session cookie and redirects to the same page without the token,
// so the token stays out of the address bar, the history and any Referer.
func (g *Guard) login(w http.ResponseWriter, r *http.Request, tok string) {
	if g.Accept != nil && !g.Accept(tok) {
		g.refuse(w, r)
		return
	}
	g.setCookie(w, g.newSession(tok))
	u := *r.URL
	q := u.Query()
	q.Del("token")
	u.RawQuery = q.Encode()
	http.Redirect(w, r, (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String(), http.StatusSeeOther)
}

func (g *Guard) setCookie(w http.ResponseWriter, s *Session) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: s.id, Path: g.Path,
		HttpOnly: true, SameSite: http.SameSiteStrictMode,
	})
}

// random is 24 random bytes in hex, for session ids and CSRF tokens.
func (g *Guard) random() string { return hex.EncodeToString(g.randomBytes()) }

// randomBytes draws 24 bytes from Random (crypto/rand by default); it panics when it cannot,
// so that nothing is ever keyed or named by an empty value.
func (g *Guard) randomBytes() []byte {
	src := g.Random
	if src == nil {
		src = rand.Reader
	}
	b := make([]byte, 24)
	if _, err := io.ReadFull(src, b); err != nil {
		panic(fmt.Sprintf("inspector: no randomness for a session: %v", err))
	}
	return b
}

// refuse answers 401 with a page that says how to get in, never echoing a token.
func (g *Guard) refuse(w http.ResponseWriter, r *http.Request) {
	if g.Accept == nil { // open sessions: a GET always gets one, so only other methods come here
		WriteMessage(w, g.Path, http.StatusUnauthorized, fmt.Sprintf(
			"This request came without the inspector's session cookie (or with one from an earlier run of keaphook). Open %s again and use the form there.", g.Path))
		return
	}
	WriteMessage(w, g.Path, http.StatusUnauthorized, fmt.Sprintf(
		"The inspector needs one of the mock's tokens: open %s?token=YOUR_TOKEN once (the same token as --token), and the browser keeps a session cookie.", g.Path))
}

var messagePage = template.Must(template.New("msg").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>keaphook inspector</title><link rel="stylesheet" href="{{.Static}}style.css"></head>
<body><main class="message"><h1>keaphook inspector</h1><p role="alert">{{.Text}}</p></main></body></html>`))

// WriteMessage answers with a small HTML page holding one sentence; root is the inspector's
// root path, where its stylesheet lives.
func WriteMessage(w http.ResponseWriter, root string, status int, text string) {
	SecurityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = messagePage.Execute(w, struct{ Static, Text string }{root + "static/", text})
}
