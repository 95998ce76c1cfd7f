package delivery

import (
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestHTTPSDeliveriesVerifyCertificates delivers over real TLS on loopback to receivers with
// certificates made here; each broken certificate fails the attempt with its own sentence.
func TestHTTPSDeliveriesVerifyCertificates(t *testing.T) {
	t.Parallel()
	now := time.Now()
	trusted := testkit.NewCA(t, now)
	stranger := testkit.NewCA(t, now)
	day := 24 * time.Hour
	tests := []struct {
		name string
		url  string
		want string // "" for Delivered
	}{
		{"good", testkit.HTTPSServer(t, trusted, localca.ValidFrom(now), nil, "127.0.0.1").URL + "/hook", ""},
		{"expired", testkit.HTTPSServer(t, trusted, localca.Validity{NotBefore: now.Add(-9 * day), NotAfter: now.Add(-day)}, nil, "127.0.0.1").URL + "/hook",
			"TLS failed: the certificate of 127.0.0.1 expired on"},
		{"wrong name", testkit.HTTPSServer(t, trusted, localca.ValidFrom(now), nil, "hooks.example.test").URL + "/hook",
			"TLS failed: the certificate's name does not match: it is for hooks.example.test, not for 127.0.0.1"},
		{"unknown CA", testkit.HTTPSServer(t, stranger, localca.ValidFrom(now), nil, "127.0.0.1").URL + "/hook",
			"TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority"},
		{"plain HTTP on the TLS port", testkit.PlainOnTLSPort(t) + "/hook",
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
	ca := testkit.NewCA(t, time.Now())
	url := testkit.HTTPSServer(t, ca, localca.ValidFrom(time.Now()), nil, "127.0.0.1").URL + "/hook"
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
