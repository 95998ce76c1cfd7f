package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	anyToken := newAPI(t)
	onlyMine := newAPI(t, mock.WithTokens("pat-123", "sak-456"))
	plain := testClient
	tests := []struct {
		name   string
		a      *api
		header []string
		want   int
	}{
		{"no header", anyToken, nil, 401},
		{"empty bearer", anyToken, []string{"Authorization", "Bearer "}, 401},
		{"basic instead of bearer", anyToken, []string{"Authorization", "Basic Zm9vOmJhcg=="}, 401},
		{"any bearer accepted by default", anyToken, []string{"Authorization", "Bearer whatever"}, 200},
		{"api key header", anyToken, []string{keap.HeaderAPIKey, "KeapAK-x"}, 200},
		{"listed PAT as bearer", onlyMine, []string{"Authorization", "Bearer pat-123"}, 200},
		{"listed SAK as api key", onlyMine, []string{keap.HeaderAPIKey, "sak-456"}, 200},
		{"unlisted token", onlyMine, []string{"Authorization", "Bearer nope"}, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.a.doWith(plain, "GET", "/crm/rest/v1/hooks", "", tt.header...)
			if r.status != tt.want {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.want, r.body)
			}
			if tt.want == 401 {
				var f keap.Fault
				if err := json.Unmarshal(r.body, &f); err != nil || f.Fault.Detail.ErrorCode != "oauth.v2.InvalidAccessToken" {
					t.Errorf("401 body = %s, want Keap's gateway fault", r.body)
				}
			}
		})
	}
}

// TestOAuthFlow walks the authorization-code flow, uses the token on the API, refreshes it
// (rotating the refresh token) and lets the access token expire.
func TestOAuthFlow(t *testing.T) {
	t.Parallel()
	clock := testkit.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	a := newAPI(t, mock.WithTokens("static-only"), mock.WithClock(clock.Now))
	noRedirect := &http.Client{Transport: testClient.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	auth := a.doWith(noRedirect, "GET", "/app/oauth/authorize?response_type=code&scope=full&client_id=app1&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&state=xyz", "")
	if auth.status != http.StatusFound {
		t.Fatalf("authorize = %d %s, want 302", auth.status, auth.body)
	}
	loc, _ := url.Parse(auth.header.Get("Location"))
	code := loc.Query().Get("code")
	if loc.Host != "app.example" || code == "" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("redirect = %s, want the redirect_uri with code and state", loc)
	}

	tok := a.token(http.StatusOK, url.Values{"grant_type": {"authorization_code"}, "client_id": {"app1"},
		"client_secret": {"s"}, "code": {code}, "redirect_uri": {"https://app.example/cb"}}, "")
	if tok.ExpiresIn != 86400 || tok.TokenType != "bearer" || tok.RefreshToken == "" {
		t.Fatalf("token = %+v, want a 24h bearer token with a refresh token", tok)
	}
	a.token(http.StatusBadRequest, url.Values{"grant_type": {"authorization_code"}, "client_id": {"app1"},
		"client_secret": {"s"}, "code": {code}, "redirect_uri": {"https://app.example/cb"}}, "") // codes are single use

	if r := a.doWith(testClient, "GET", "/crm/rest/v1/hooks", "", "Authorization", "Bearer "+tok.AccessToken); r.status != 200 {
		t.Fatalf("issued access token rejected: %d", r.status)
	}

	next := a.token(http.StatusOK, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}, "app1:s")
	if next.RefreshToken == tok.RefreshToken {
		t.Error("refresh did not rotate the refresh token")
	}
	a.token(http.StatusBadRequest, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}, "app1:s")

	clock.Advance(24*time.Hour + time.Second)
	if r := a.doWith(testClient, "GET", "/crm/rest/v1/hooks", "", "Authorization", "Bearer "+next.AccessToken); r.status != 401 {
		t.Errorf("access token after 24h: %d, want 401", r.status)
	}
}

func TestRefreshErrors(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	r := a.tokenRaw(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"bogus"}}, "app1:s")
	if r.status != 400 || !strings.Contains(string(r.body), `"error_description":"Invalid Refresh Token"`) ||
		!strings.Contains(string(r.body), `"error":"invalid_request"`) {
		t.Errorf("bad refresh token = %d %s, want Keap's invalid_request", r.status, r.body)
	}
	if r := a.tokenRaw(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"bogus"}}, ""); r.status != 401 {
		t.Errorf("refresh without client credentials = %d, want 401", r.status)
	}
	if r := a.tokenRaw(url.Values{"grant_type": {"password"}}, ""); r.status != 400 || !strings.Contains(string(r.body), "unsupported_grant_type") {
		t.Errorf("unknown grant = %d %s", r.status, r.body)
	}
}

func (a *api) token(want int, form url.Values, basic string) keap.Token {
	a.t.Helper()
	r := a.tokenRaw(form, basic)
	if r.status != want {
		a.t.Fatalf("POST /token = %d %s, want %d", r.status, r.body, want)
	}
	var tok keap.Token
	json.Unmarshal(r.body, &tok)
	return tok
}

func (a *api) tokenRaw(form url.Values, basic string) response {
	a.t.Helper()
	req, _ := http.NewRequest("POST", a.srv.URL+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user, pass, ok := strings.Cut(basic, ":"); ok {
		req.SetBasicAuth(user, pass)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// A redirect_uri with a password in it is logged, and refused, without the password.
func TestOAuthNeverShowsARedirectPassword(t *testing.T) {
	t.Parallel()
	buf := &syncBuffer{}
	a := newAPI(t, loggerTo(buf))
	noRedirect := &http.Client{Transport: testClient.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	ok := a.doWith(noRedirect, "GET", "/app/oauth/authorize?response_type=code&client_id=app1&redirect_uri="+
		url.QueryEscape("https://me:hunter2pw@app.example/cb"), "")
	bad := a.doWith(noRedirect, "GET", "/app/oauth/authorize?response_type=code&client_id=app1&redirect_uri="+
		url.QueryEscape("ftp://me:hunter2pw@app.example/cb"), "")
	if ok.status != http.StatusFound || bad.status != http.StatusBadRequest {
		t.Fatalf("authorize answered %d and %d, want 302 and 400", ok.status, bad.status)
	}
	if !strings.Contains(buf.String(), "app.example/cb") {
		t.Fatalf("the log does not show the redirect_uri at all:\n%s", buf)
	}
	for what, text := range map[string]string{"log": buf.String(), "error": string(bad.body)} {
		if strings.Contains(text, "hunter2pw") {
			t.Errorf("the %s shows the redirect_uri's password:\n%s", what, text)
		}
	}
}
