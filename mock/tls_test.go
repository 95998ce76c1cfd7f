package mock_test

import (
	"crypto/tls"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestHandshakeOverTLS runs the handshake over real TLS on loopback against receivers with
// certificates made here: only the good one verifies, and the log says what is wrong with
// each of the others.
func TestHandshakeOverTLS(t *testing.T) {
	t.Parallel()
	now := time.Now()
	trusted := testkit.NewCA(t, now)
	stranger := testkit.NewCA(t, now)
	day := 24 * time.Hour
	expired := localca.Validity{NotBefore: now.Add(-30 * day), NotAfter: now.Add(-2 * day)}
	echoing := http.HandlerFunc(echo)
	tests := []struct {
		name   string
		url    string
		status keap.Status
		reason string
	}{
		{"good", testkit.HTTPSServer(t, trusted, localca.ValidFrom(now), echoing, "127.0.0.1").URL + "/hooks", keap.StatusVerified, "echoed X-Hook-Secret"},
		{"expired", testkit.HTTPSServer(t, trusted, expired, echoing, "127.0.0.1").URL + "/hooks", keap.StatusUnverified,
			"TLS failed: the certificate of 127.0.0.1 expired on " + expired.NotAfter.UTC().Format(time.DateOnly)},
		{"wrong name", testkit.HTTPSServer(t, trusted, localca.ValidFrom(now), echoing, "localhost").URL + "/hooks", keap.StatusUnverified,
			"TLS failed: the certificate's name does not match: it is for localhost, not for 127.0.0.1"},
		{"unknown CA", testkit.HTTPSServer(t, stranger, localca.ValidFrom(now), echoing, "127.0.0.1").URL + "/hooks", keap.StatusUnverified,
			"TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority"},
		{"plain HTTP on the TLS port", testkit.PlainOnTLSPort(t) + "/hooks", keap.StatusUnverified,
			"TLS failed: 127.0.0.1 answered in plain HTTP on a port the https:// URL says speaks TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var logs syncBuffer
			a := newAPI(t, loggerTo(&logs), mock.WithTrustedRoots(trusted.Pool()))
			if h := a.createHook("contact.add", tt.url); h.Status != tt.status {
				t.Errorf("status %s, want %s", h.Status, tt.status)
			}
			if !strings.Contains(logs.String(), tt.reason) {
				t.Errorf("log does not say %q:\n%s", tt.reason, logs.String())
			}
		})
	}
}

// TestDeliveryTLSFailureIsListed: a receiver whose certificate expires after the handshake
// gets a failed attempt whose error, in /_mock/deliveries and in the log, says so.
func TestDeliveryTLSFailureIsListed(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ca := testkit.NewCA(t, now)
	good := testkit.TLSCertificate(t, ca, localca.ValidFrom(now), "127.0.0.1")
	stale := testkit.TLSCertificate(t, ca, localca.Validity{NotBefore: now.Add(-48 * time.Hour), NotAfter: now.Add(-time.Hour)}, "127.0.0.1")
	var expired atomic.Bool
	// GetConfigForClient is asked at every handshake, SNI or not (the URL's host is an IP).
	srv := testkit.ServeTLS(t, &tls.Config{GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
		if expired.Load() {
			return &tls.Config{Certificates: []tls.Certificate{stale}}, nil
		}
		return &tls.Config{Certificates: []tls.Certificate{good}}, nil
	}}, http.HandlerFunc(echo))

	var logs syncBuffer
	a := newAPI(t, loggerTo(&logs), mock.WithTrustedRoots(ca.Pool()), mock.WithTiming(delivery.TimingVirtual))
	if h := a.createHook("contact.add", srv.URL+"/hooks"); h.Status != keap.StatusVerified {
		t.Fatalf("hook %+v\n%s", h, logs.String())
	}
	expired.Store(true)
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[5]}`)
	a.do("POST", "/_mock/clock/advance", `{"by":"2m"}`)
	var list struct {
		Deliveries []delivery.Delivery `json:"deliveries"`
	}
	decodeInto(t, a.do("GET", "/_mock/deliveries", "").body, &list)
	const want = "TLS failed: the certificate of 127.0.0.1 expired on"
	if len(list.Deliveries) != 1 || len(list.Deliveries[0].Attempts) == 0 ||
		!strings.HasPrefix(list.Deliveries[0].Attempts[0].Error, want) {
		t.Fatalf("deliveries %+v, want attempts failing with %q", list.Deliveries, want)
	}
	if !strings.Contains(logs.String(), want) {
		t.Errorf("the log does not say %q:\n%s", want, logs.String())
	}
}

func TestRequireHTTPS(t *testing.T) {
	t.Parallel()
	a := newAPI(t, mock.WithRequireHTTPS())
	r := a.do("POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:1/hooks"}`)
	const why = `hookUrl "http://127.0.0.1:1/hooks" uses http, and this sender requires HTTPS for every webhook URL`
	if r.status != http.StatusBadRequest || !strings.Contains(r.message(t), why) {
		t.Fatalf("create with http: %d %s", r.status, r.body)
	}
	h := a.createHook("contact.add", "https://127.0.0.1:1/hooks") // refused, so Unverified, but created
	r = a.do("PUT", "/crm/rest/v1/hooks/"+h.Key, `{"eventKey":"contact.add","hookUrl":"HTTP://127.0.0.1:1/hooks"}`)
	if r.status != http.StatusBadRequest || !strings.Contains(r.message(t), "requires HTTPS") {
		t.Fatalf("update to http: %d %s", r.status, r.body)
	}
	if got := a.do("GET", "/crm/rest/v1/hooks/"+h.Key, "").hook(t); got.HookURL != h.HookURL {
		t.Errorf("a refused update changed the hook: %+v", got)
	}
}
