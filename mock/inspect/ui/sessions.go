package ui

import (
	"container/list"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// How the guard keeps sessions, and why a client that never keeps the cookie cannot push a
// browser's session out.
//
// Open sessions (Accept nil: the relay's inspector, where any visitor on loopback gets in)
// are kept nowhere: the cookie is a random nonce signed with a key of this process, and the
// CSRF token is derived from the nonce with the same key. Every cookie-less GET still gets a
// session, as a browser's first visit must, but it costs no memory and displaces nothing, so
// a script polling the page can never invalidate a browser's forms. Nothing in such a
// session needs the server's memory: it carries no token.
//
// Token sessions (Accept set: the mock's inspector) remember the token they were opened with,
// so that a session dies with its token (an expired OAuth token); that token must never be in
// the cookie, so these sessions are kept in memory, at most maxTokenSessions of them. They are
// opened only by a ?token= login with a valid token (a cookie-less GET is refused there, not
// given a session), and the one used least recently is forgotten first, so a browser in use
// outlives a burst of logins.

// maxTokenSessions bounds the token sessions kept.
const maxTokenSessions = 1000

// session returns the session the request's cookie names, or nil.
func (g *Guard) session(r *http.Request) *Session {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return nil
	}
	if g.Accept == nil {
		return g.openSession(c.Value)
	}
	g.mu.Lock()
	s := g.sessions.use(c.Value)
	g.mu.Unlock()
	if s == nil || !g.Accept(s.token) {
		return nil // unknown, or its token no longer valid (an expired OAuth token)
	}
	return s
}

// newSession opens a session: a signed open one without Accept, else a kept token session.
func (g *Guard) newSession(tok string) *Session {
	if g.Accept == nil {
		nonce := g.random()
		return &Session{id: nonce + "." + g.sign("session", nonce), CSRF: g.sign("csrf", nonce)}
	}
	s := &Session{CSRF: g.random(), token: tok, id: g.random()}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.sessions.add(s)
	return s
}

// openSession checks an open session's cookie and rebuilds the session from it.
func (g *Guard) openSession(cookie string) *Session {
	nonce, mac, ok := strings.Cut(cookie, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(g.sign("session", nonce))) {
		return nil
	}
	return &Session{id: cookie, CSRF: g.sign("csrf", nonce)}
}

// sign is the hex HMAC of purpose and nonce under the guard's key.
func (g *Guard) sign(purpose, nonce string) string {
	m := hmac.New(sha256.New, g.signingKey())
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(nonce))
	return hex.EncodeToString(m.Sum(nil))
}

// signingKey is the key of open sessions, drawn from Random at its first use. When Random
// fails, randomBytes panics and the key stays unset, for the next request to draw again: never
// is anything signed with an empty key, which anyone could forge with.
func (g *Guard) signingKey() []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.key == nil {
		g.key = g.randomBytes()
	}
	return g.key
}

// tokenSessions holds token sessions by id, least recently used first out.
type tokenSessions struct {
	byID   map[string]*list.Element // of *Session
	recent list.List                // front: the most recently used
}

// use returns the session with id, marking it used, or nil.
func (t *tokenSessions) use(id string) *Session {
	e := t.byID[id]
	if e == nil {
		return nil
	}
	t.recent.MoveToFront(e)
	return e.Value.(*Session)
}

// add keeps s, forgetting the least recently used session when full.
func (t *tokenSessions) add(s *Session) {
	if t.byID == nil {
		t.byID = map[string]*list.Element{}
	}
	if len(t.byID) >= maxTokenSessions {
		oldest := t.recent.Back()
		t.recent.Remove(oldest)
		delete(t.byID, oldest.Value.(*Session).id)
	}
	t.byID[s.id] = t.recent.PushFront(s)
}
