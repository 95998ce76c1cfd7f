package keapclient

import (
	"testing"
)

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{400, `{"message":"Input could not be converted to a valid request"}`, "Input could not be converted to a valid request"},
		{429, `{"fault":{"faultstring":"Rate limit quota violation.","detail":{"errorcode":"policies.ratelimit.QuotaViolation"}}}`,
			"Rate limit quota violation. (policies.ratelimit.QuotaViolation)"},
		{401, `{"fault":{"faultstring":"Invalid access token"}}`, "Invalid access token"},
		{502, "<html><body>Bad Gateway</body></html>", "bad gateway"},
		{503, "upstream connect error", "upstream connect error"},
		{404, "", "not found"},
	} {
		if got := errorMessage(tc.status, []byte(tc.body)); got != tc.want {
			t.Errorf("errorMessage(%d, %q) = %q, want %q", tc.status, tc.body, got, tc.want)
		}
	}
}

func FuzzErrorMessage(f *testing.F) {
	f.Add(400, []byte(`{"message":"x"}`))
	f.Add(401, []byte(`{"fault":{"faultstring":"Invalid access token","detail":{"errorcode":"oauth.v2.InvalidAccessToken"}}}`))
	f.Add(500, []byte("<html>"))
	f.Add(418, []byte{0xff, 0x00})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		msg := errorMessage(status, body)
		if msg == "" {
			t.Fatalf("empty message for status %d body %q", status, body)
		}
		// The message comes from the body or the status, never from anywhere else.
		if len(msg) > max(len(body), 64) {
			t.Fatalf("message %q is longer than body %q and any status text", msg, body)
		}
	})
}
