package keap_test

import (
	"net/http"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
)

func TestJudgeHandshake(t *testing.T) {
	const secret = "s3cr3t"
	echo := func(vals ...string) http.Header { return http.Header{"X-Hook-Secret": vals} }
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   keap.HandshakeFault
	}{
		{"echoed", 200, echo(secret), "", keap.HandshakeVerified},
		{"echoed, lower-case name", 200, http.Header{"X-Hook-Secret": {secret}}, "", keap.HandshakeVerified},
		{"redirect even with the echo", 302, echo(secret), "", keap.HandshakeRedirected},
		{"201 with the echo", 201, echo(secret), "", keap.HandshakeNotOK},
		{"500", 500, nil, "", keap.HandshakeNotOK},
		{"secret in the body", 200, nil, `{"secret":"s3cr3t"}`, keap.HandshakeSecretInBody},
		{"no echo", 200, nil, "ok", keap.HandshakeNoEcho},
		{"two echoes", 200, echo(secret, secret), "", keap.HandshakeManyEchoes},
		{"wrong echo", 200, echo("other"), "", keap.HandshakeWrongEcho},
		{"empty echo", 200, echo(""), "", keap.HandshakeWrongEcho},
		{"echo with spaces", 200, echo(" " + secret), "", keap.HandshakeWrongEcho},
	}
	for _, tt := range tests {
		if got := keap.JudgeHandshake(tt.status, tt.header, []byte(tt.body), secret); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
	if keap.JudgeHandshake(200, nil, []byte("anything"), "") != keap.HandshakeNoEcho {
		t.Error("an empty secret is found in every body")
	}
}
