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
)

// TestJudgeTLSOverRealHandshakes makes real TLS handshakes on loopback against servers with
// certificates made here, and checks the fault and the sentence each failure gets.
func TestJudgeTLSOverRealHandshakes(t *testing.T) {
	now := time.Now()
	trusted, _ := localca.New(now)
	stranger, _ := localca.New(now)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: trusted.Pool()}}}
	t.Cleanup(client.CloseIdleConnections)
	day := 24 * time.Hour
	tests := []struct {
		name   string
		url    string
		fault  keap.TLSFault
		phrase string
	}{
		{"good", tlsServer(t, trusted, localca.ValidFrom(now), "127.0.0.1"), keap.TLSNoFault, ""},
		{"expired", tlsServer(t, trusted, localca.Validity{NotBefore: now.Add(-90 * day), NotAfter: now.Add(-day)}, "127.0.0.1"),
			keap.TLSExpired, "the certificate of 127.0.0.1 expired on " + now.Add(-day).UTC().Format("2006-01-02")},
		{"not yet valid", tlsServer(t, trusted, localca.Validity{NotBefore: now.Add(day), NotAfter: now.Add(90 * day)}, "127.0.0.1"),
			keap.TLSNotYetValid, "is not valid until"},
		{"wrong name", tlsServer(t, trusted, localca.ValidFrom(now), "api.example.test", "10.9.8.7"),
			keap.TLSNameMismatch, "it is for api.example.test and 10.9.8.7, not for 127.0.0.1"},
		{"unknown CA", tlsServer(t, stranger, localca.ValidFrom(now), "127.0.0.1"),
			keap.TLSUnknownAuthority, "signed by an unknown authority: its issuer \"keaphook local CA"},
		{"plain HTTP on the TLS port", plainServer(t), keap.TLSPlainHTTP, "answered in plain HTTP"},
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
	_, err := http.DefaultClient.Get(srv.URL)
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

// tlsServer serves HTTPS on loopback with a leaf of ca for hosts, valid v, and returns its URL.
func tlsServer(t *testing.T, ca *localca.CA, v localca.Validity, hosts ...string) string {
	t.Helper()
	leaf, err := ca.Issue(v, hosts...)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := leaf.TLSCertificate()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = quietLog()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL
}

// plainServer serves plain HTTP and returns an https:// URL for it.
func plainServer(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	return "https://" + strings.TrimPrefix(srv.URL, "http://")
}
