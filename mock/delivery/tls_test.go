package delivery

import (
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
)

// TestHTTPSDeliveriesVerifyCertificates delivers over real TLS on loopback to receivers with
// certificates made here; each broken certificate fails the attempt with its own sentence.
func TestHTTPSDeliveriesVerifyCertificates(t *testing.T) {
	t.Parallel()
	now := time.Now()
	trusted, _ := localca.New(now)
	stranger, _ := localca.New(now)
	day := 24 * time.Hour
	tests := []struct {
		name string
		url  string
		want string // "" for Delivered
	}{
		{"good", httpsReceiver(t, trusted, localca.ValidFrom(now), "127.0.0.1"), ""},
		{"expired", httpsReceiver(t, trusted, localca.Validity{NotBefore: now.Add(-9 * day), NotAfter: now.Add(-day)}, "127.0.0.1"),
			"TLS failed: the certificate of 127.0.0.1 expired on"},
		{"wrong name", httpsReceiver(t, trusted, localca.ValidFrom(now), "hooks.example.test"),
			"TLS failed: the certificate's name does not match: it is for hooks.example.test, not for 127.0.0.1"},
		{"unknown CA", httpsReceiver(t, stranger, localca.ValidFrom(now), "127.0.0.1"),
			"TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority"},
		{"plain HTTP on the TLS port", "https" + strings.TrimPrefix(newReceiver(t).URL(), "http"),
			"TLS failed: 127.0.0.1 answered in plain HTTP on a port the https:// URL says speaks TLS"},
	}
	client := NewHTTPClientTrusting(2, trusted.Pool())
	t.Cleanup(client.CloseIdleConnections)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := deliverOnce(t, Config{Hooks: newHooks(verified("1", "contact.add", tt.url)), Sender: client})
			if tt.want == "" {
				if d.State != Delivered {
					t.Fatalf("%s: %+v", d.State, d.Attempts)
				}
				return
			}
			if d.State != Failed || len(d.Attempts) != 1 || !strings.HasPrefix(d.Attempts[0].Error, tt.want) {
				t.Fatalf("%s, attempts %+v; want the error %q", d.State, d.Attempts, tt.want)
			}
			if !strings.Contains(d.Reason, tt.want) {
				t.Errorf("reason %q does not carry the TLS sentence", d.Reason)
			}
		})
	}
}

// TestDefaultClientTrustsOnlySystemRoots: with no roots given, a private CA is not trusted.
func TestDefaultClientTrustsOnlySystemRoots(t *testing.T) {
	t.Parallel()
	ca, _ := localca.New(time.Now())
	url := httpsReceiver(t, ca, localca.ValidFrom(time.Now()), "127.0.0.1")
	d := deliverOnce(t, Config{Hooks: newHooks(verified("1", "contact.add", url))})
	if d.State != Failed || !strings.Contains(d.Attempts[0].Error, "unknown authority") {
		t.Errorf("%s %+v; want an unknown authority", d.State, d.Attempts)
	}
}

// deliverOnce emits one contact.add to a one-attempt engine and returns the delivery after it.
func deliverOnce(t *testing.T, opts Config) Delivery {
	t.Helper()
	opts.Policy = KeapPolicy()
	opts.Policy.MaxAttempts = 1
	e := startEngine(t, opts)
	id := only(t, emit(t, e, "contact.add", Change{ID: 7}).Queued)
	advance(t, e, time.Hour)
	return mustGet(t, e, id)
}

// httpsReceiver serves 200s over TLS on loopback with a leaf of ca for hosts, valid v.
func httpsReceiver(t *testing.T, ca *localca.CA, v localca.Validity, hosts ...string) string {
	t.Helper()
	leaf, err := ca.Issue(v, hosts...)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := leaf.TLSCertificate()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/hook"
}
