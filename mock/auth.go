package mock

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/keap"
)

// requireAuth lets a request through when it carries an accepted token, either as
// "Authorization: Bearer <token>" (OAuth access tokens, and PATs/SAKs as some SDKs send them)
// or as "X-Keap-API-Key: <key>" (PATs and SAKs, as Keap documents). Anything else gets the
// gateway's 401.
func (s *Server) requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := requestToken(r)
		if err := tooLong("the token", token, MaxTokenBytes); err != nil {
			s.writeError(w, r, err)
			return
		}
		if !s.tokenAccepted(token) {
			s.log.Warn("401: request without an accepted token",
				"method", r.Method, "path", r.URL.Path, "hint", authHint(r, token))
			httpapi.WriteUnauthorized(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requestToken is the token a request carries: X-Keap-API-Key, else a Bearer token, else
// the access_token query parameter, which Keap's gateway accepts too (keap-python sends
// every REST call that way). The query is never logged, so neither is a token sent in it.
func requestToken(r *http.Request) string {
	if k := strings.TrimSpace(r.Header.Get(keap.HeaderAPIKey)); k != "" {
		return k
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(token)
	}
	return strings.TrimSpace(r.URL.Query().Get("access_token"))
}

func (s *Server) tokenAccepted(token string) bool {
	if token == "" {
		return false
	}
	// The configured tokens first: they need no lock, and with none configured every token
	// is accepted, so the OAuth store (one lock for every request) is asked only when
	// its answer can matter.
	if len(s.cfg.tokens) == 0 || oneOf(s.cfg.tokens, token) {
		return true
	}
	return s.oauth.accessValid(token)
}

// oneOf reports whether token is one of tokens, comparing each in constant time: how long a
// refusal takes says nothing about how much of a token was right.
func oneOf(tokens []string, token string) bool {
	found := 0
	for _, t := range tokens {
		found |= subtle.ConstantTimeCompare([]byte(t), []byte(token))
	}
	return found == 1
}

// authHint says in plain words what was wrong, without echoing the token.
func authHint(r *http.Request, token string) string {
	switch {
	case token != "":
		return "the token is not one the mock was started to accept, or it has expired"
	case r.Header.Get("Authorization") != "":
		return `the Authorization header must be "Bearer <token>"`
	default:
		return "send Authorization: Bearer <token>, X-Keap-API-Key: <key> or ?access_token=<token>"
	}
}
