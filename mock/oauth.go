package mock

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/keap"
)

// Lifetimes Keap documents for OAuth tokens.
const (
	AccessTokenLifetime  = 24 * time.Hour
	RefreshTokenLifetime = 45 * 24 * time.Hour
	authCodeLifetime     = 10 * time.Minute
)

// oauthStore holds the codes and tokens the mock's OAuth flow issued.
type oauthStore struct {
	mu      sync.Mutex
	now     func() time.Time
	random  io.Reader
	codes   map[string]authCode
	access  map[string]time.Time // token -> expiry
	refresh map[string]refreshGrant
	sweep   sweeper
}

type authCode struct {
	clientID, redirectURI string
	expires               time.Time
}

type refreshGrant struct {
	clientID string
	expires  time.Time
}

func newOAuthStore(now func() time.Time, random io.Reader) *oauthStore {
	return &oauthStore{
		now: now, random: random,
		codes: map[string]authCode{}, access: map[string]time.Time{}, refresh: map[string]refreshGrant{},
	}
}

func (o *oauthStore) accessValid(token string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	o.pruneLocked(now)
	exp, ok := o.access[token]
	return ok && now.Before(exp)
}

// pruneLocked forgets expired codes and tokens, once per sweep interval.
func (o *oauthStore) pruneLocked(now time.Time) {
	if !o.sweep.due(now, sweepEvery) {
		return
	}
	o.codes = unexpired(o.codes, func(_ string, c authCode) bool { return !now.Before(c.expires) })
	o.access = unexpired(o.access, func(_ string, exp time.Time) bool { return !now.Before(exp) })
	o.refresh = unexpired(o.refresh, func(_ string, g refreshGrant) bool { return !now.Before(g.expires) })
}

// handleAuthorize auto-approves: it redirects straight back with a code, as if the user had
// logged in and clicked Allow.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" {
		s.writeError(w, r, httpapi.Errorf(http.StatusBadRequest, "response_type must be \"code\" (the authorization-code flow)"))
		return
	}
	clientID, redirect := q.Get("client_id"), q.Get("redirect_uri")
	if clientID == "" {
		s.writeError(w, r, httpapi.Errorf(http.StatusBadRequest, "client_id is required"))
		return
	}
	if err := cmp.Or(tooLong("client_id", clientID, MaxClientIDBytes), tooLong("redirect_uri", redirect, MaxRedirectURIBytes)); err != nil {
		s.writeError(w, r, err)
		return
	}
	target, err := url.Parse(redirect)
	if err != nil || !target.IsAbs() || (target.Scheme != "http" && target.Scheme != "https") {
		s.writeError(w, r, httpapi.Errorf(http.StatusBadRequest, "redirect_uri must be an absolute http(s) URL, got %q", keap.ShownURL(redirect)))
		return
	}
	code := s.oauth.issueCode(clientID, redirect)
	v := target.Query()
	v.Set("code", code)
	v.Set("scope", "full")
	if st := q.Get("state"); st != "" {
		v.Set("state", st)
	}
	target.RawQuery = v.Encode()
	// A redirect_uri may carry a password (https://user:pass@host/cb); the log never shows it.
	s.log.Info("oauth: authorized client, redirecting with a code", "clientId", clientID, "redirectUri", keap.ShownURL(redirect))
	http.Redirect(w, r, target.String(), http.StatusFound)
}

// handleToken implements POST /token for the authorization_code and refresh_token grants.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the body must be form-encoded (application/x-www-form-urlencoded)")
		return
	}
	if desc := overlongForm(r.PostForm); desc != "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", desc)
		return
	}
	var (
		tok keap.Token
		oe  *keap.OAuthError
	)
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "authorization_code":
		tok, oe = s.oauth.exchangeCode(r.PostForm)
	case "refresh_token":
		tok, oe = s.oauth.exchangeRefresh(r)
	default:
		oe = &keap.OAuthError{Error: "unsupported_grant_type", ErrorDescription: fmt.Sprintf("grant_type %q is not supported: use authorization_code or refresh_token", gt)}
	}
	if oe != nil {
		status := http.StatusBadRequest
		if oe.Error == "invalid_client" {
			status = http.StatusUnauthorized
		}
		writeOAuthError(w, status, oe.Error, oe.ErrorDescription)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpapi.WriteJSON(w, http.StatusOK, tok)
}

// overlongForm says which /token field is longer than the mock keeps, or "".
func overlongForm(form url.Values) string {
	for _, f := range []struct {
		name  string
		limit int
	}{
		{"client_id", MaxClientIDBytes}, {"client_secret", MaxTokenBytes}, {"redirect_uri", MaxRedirectURIBytes},
		{"code", MaxTokenBytes}, {"refresh_token", MaxTokenBytes},
	} {
		if err := tooLong(f.name, form.Get(f.name), f.limit); err != nil {
			return err.Error()
		}
	}
	return ""
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	httpapi.WriteJSON(w, status, keap.OAuthError{Error: code, ErrorDescription: desc})
}

func (o *oauthStore) issueCode(clientID, redirectURI string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := o.now()
	o.pruneLocked(now)
	code := randomHex(o.random, 16)
	o.codes[code] = authCode{clientID: clientID, redirectURI: redirectURI, expires: now.Add(authCodeLifetime)}
	return code
}

func (o *oauthStore) exchangeCode(form url.Values) (keap.Token, *keap.OAuthError) {
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if clientID == "" || secret == "" {
		return keap.Token{}, &keap.OAuthError{Error: "invalid_client", ErrorDescription: "client_id and client_secret are required in the body"}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	code, ok := o.codes[form.Get("code")]
	delete(o.codes, form.Get("code")) // single use, even when the exchange fails
	switch {
	case !ok || o.now().After(code.expires):
		return keap.Token{}, &keap.OAuthError{Error: "invalid_grant", ErrorDescription: "Invalid Authorization Code"}
	case code.clientID != clientID:
		return keap.Token{}, &keap.OAuthError{Error: "invalid_grant", ErrorDescription: "the code was issued to another client_id"}
	case code.redirectURI != form.Get("redirect_uri"):
		return keap.Token{}, &keap.OAuthError{Error: "invalid_grant", ErrorDescription: "redirect_uri must be the one used to authorize"}
	}
	return o.issueTokensLocked(clientID), nil
}

func (o *oauthStore) exchangeRefresh(r *http.Request) (keap.Token, *keap.OAuthError) {
	clientID, secret, ok := r.BasicAuth()
	if !ok || clientID == "" || secret == "" {
		return keap.Token{}, &keap.OAuthError{Error: "invalid_client", ErrorDescription: "send Authorization: Basic base64(client_id:client_secret)"}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	rt := r.PostForm.Get("refresh_token")
	grant, found := o.refresh[rt]
	if !found || grant.clientID != clientID || o.now().After(grant.expires) {
		return keap.Token{}, &keap.OAuthError{Error: "invalid_request", ErrorDescription: "Invalid Refresh Token"}
	}
	delete(o.refresh, rt) // every refresh rotates the refresh token
	return o.issueTokensLocked(clientID), nil
}

func (o *oauthStore) issueTokensLocked(clientID string) keap.Token {
	now := o.now()
	o.pruneLocked(now)
	access, refresh := randomHex(o.random, 16), randomHex(o.random, 16)
	o.access[access] = now.Add(AccessTokenLifetime)
	o.refresh[refresh] = refreshGrant{clientID: clientID, expires: now.Add(RefreshTokenLifetime)}
	return keap.Token{
		AccessToken: access, TokenType: "bearer", ExpiresIn: int64(AccessTokenLifetime / time.Second),
		RefreshToken: refresh, Scope: "full",
	}
}

// randomHex returns n random bytes from r, hex-encoded. A failing source of randomness is
// not something the mock can work around, so it panics rather than hand out weak secrets.
func randomHex(r io.Reader, n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		panic(fmt.Sprintf("mock: reading random bytes: %v", err))
	}
	return hex.EncodeToString(b)
}
