package keap_test

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestJudgeTLSOverRealHandshakes makes real TLS handshakes on loopback against servers with
// certificates made here, and checks the fault and the sentence each failure gets.
func TestJudgeTLSOverRealHandshakes(t *testing.T) {
	now := time.Now()
	trusted := testkit.NewCA(t, now)
	stranger := testkit.NewCA(t, now)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: trusted.Pool()}}}
	t.Cleanup(client.CloseIdleConnections)
	day := 24 * time.Hour
	tests := []struct {
		name   string
		url    string
		fault  keap.TLSFault
		phrase string
	}{
		{"good", testkit.HTTPSServer(t, trusted, localca.ValidFrom(now), nil, "127.0.0.1").URL, keap.TLSNoFault, ""},
		{"expired", testkit.HTTPSServer(t, trusted, localca.Validity{NotBefore: now.Add(-90 * day), NotAfter: now.Add(-day)}, nil, "127.0.0.1").URL,
			keap.TLSExpired, "the certificate of 127.0.0.1 expired on " + now.Add(-day).UTC().Format("2006-01-02")},
		{"not yet valid", testkit.HTTPSServer(t, trusted, localca.Validity{NotBefore: now.Add(day), NotAfter: now.Add(90 * day)}, nil, "127.0.0.1").URL,
			keap.TLSNotYetValid, "is not valid until"},
		{"wrong name", testkit.HTTPSServer(t, trusted, localca.ValidFrom(now), nil, "api.example.test", "10.9.8.7").URL,
			keap.TLSNameMismatch, "it is for api.example.test and 10.9.8.7, not for 127.0.0.1"},
		{"unknown CA", testkit.HTTPSServer(t, stranger, localca.ValidFrom(now), nil, "127.0.0.1").URL,
			keap.TLSUnknownAuthority, "signed by an unknown authority: its issuer \"keaphook local CA"},
		{"plain HTTP on the TLS port", testkit.PlainOnTLSPort(t), keap.TLSPlainHTTP, "answered in plain HTTP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Get(tt.url)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if got := keap.JudgeTLS(err); got != tt.fault {
				t.Fatalf("JudgeTLS(%v) = %d, want %d", err, got, tt.fault)
			}
			if got, want := keap.JudgeNoAnswer(err), noAnswerFor(tt.fault); err != nil && got != want {
				t.Errorf("JudgeNoAnswer(%v) = %d, want %d", err, got, want)
			}
			reason := keap.TLSReason(err, "127.0.0.1")
			if tt.phrase == "" && reason != "" || !strings.Contains(reason, tt.phrase) {
				t.Errorf("TLSReason = %q, want it to say %q", reason, tt.phrase)
			}
		})
	}
}

func TestJudgeTLSSelfSigned(t *testing.T) {
	srv := httptest.NewTLSServer(http.NotFoundHandler()) // httptest's own self-signed certificate
	t.Cleanup(srv.Close)
	_, err := testClient.Get(srv.URL)
	if keap.JudgeTLS(err) != keap.TLSUnknownAuthority || !strings.Contains(keap.TLSReason(err, "x"), "self-signed") {
		t.Errorf("%v: %d %q", err, keap.JudgeTLS(err), keap.TLSReason(err, "x"))
	}
}

func TestJudgeTLSIgnoresOtherErrors(t *testing.T) {
	for _, err := range []error{nil, io.EOF, http.ErrHandlerTimeout} {
		if keap.JudgeTLS(err) != keap.TLSNoFault || keap.TLSReason(err, "h") != "" {
			t.Errorf("%v judged a TLS failure", err)
		}
	}
}

// noAnswerFor is how JudgeNoAnswer sorts each TLS failure.
func noAnswerFor(f keap.TLSFault) keap.NoAnswer {
	switch f {
	case keap.TLSPlainHTTP, keap.TLSNotTLS:
		return keap.NoAnswerNotTLS
	case keap.TLSNoFault:
		return keap.NoAnswerOther
	}
	return keap.NoAnswerCertificate
}
