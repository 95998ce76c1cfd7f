package mock_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock"
)

// keap-python sends the token as ?access_token= on every REST call; Keap accepts it, and
// the mock never writes it to its log or into a body.
func TestAccessTokenInTheQuery(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	a := newAPI(t, mock.WithSeedData(), mock.WithTokens("s3cret-token"), loggerTo(&logs))
	plain := &http.Client{Transport: testClient.Transport}
	ok := a.doWith(plain, "GET", "/crm/rest/v1/contacts?limit=1&access_token=s3cret-token", "")
	if ok.status != http.StatusOK {
		t.Fatalf("token in the query: %d %s", ok.status, ok.body)
	}
	if strings.Contains(string(ok.body), "s3cret-token") {
		t.Errorf("the list's next/previous URLs repeat the token: %s", ok.body)
	}
	v2 := a.doWith(plain, "GET", "/crm/rest/v2/automationCategory?access_token=s3cret-token", "")
	if v2.status != http.StatusOK {
		t.Errorf("token in the query on v2: %d %s", v2.status, v2.body)
	}
	for _, q := range []string{"?access_token=wrong-token", "?access_token=", ""} {
		if r := a.doWith(plain, "GET", "/crm/rest/v1/contacts"+q, ""); r.status != http.StatusUnauthorized {
			t.Errorf("GET /crm/rest/v1/contacts%s: %d, want 401", q, r.status)
		}
	}
	if out := logs.String(); strings.Contains(out, "token") && strings.Contains(out, "wrong-token") || strings.Contains(out, "s3cret") {
		t.Errorf("the log holds a token:\n%s", out)
	}
}
