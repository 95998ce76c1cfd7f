package contract

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestTLSValid makes real TLS handshakes on loopback with certificates made here, on the
// run's clock, and checks the verdict and the sentence of each.
func TestTLSValid(t *testing.T) {
	t.Parallel()
	now := testkit.NewClock(time.Time{}).Now()
	trusted := testkit.NewCA(t, now)
	stranger := testkit.NewCA(t, now)
	day := 24 * time.Hour
	tls11 := func(c *tls.Config) { c.MinVersion, c.MaxVersion = tls.VersionTLS10, tls.VersionTLS11 }
	tests := []struct {
		name   string
		cfg    Config
		status Status
		says   string
	}{
		{"good", serveTLS(t, trusted, localca.ValidFrom(now), nil, "127.0.0.1"), Passed,
			"The certificate of 127.0.0.1 is valid until " + now.Add(localca.LeafLifetime).Format(time.DateOnly)},
		{"expires within 30 days", serveTLS(t, trusted, localca.Validity{NotBefore: now.Add(-day), NotAfter: now.Add(12 * day)}, nil, "127.0.0.1"),
			Warned, "expires on " + now.Add(12*day).Format(time.DateOnly) + ", in 12 days"},
		{"expired", serveTLS(t, trusted, localca.Validity{NotBefore: now.Add(-90 * day), NotAfter: now.Add(-day)}, nil, "127.0.0.1"),
			Failed, "The TLS handshake failed: the certificate of 127.0.0.1 expired on " + now.Add(-day).Format(time.DateOnly)},
		{"wrong name", serveTLS(t, trusted, localca.ValidFrom(now), nil, "hooks.example.test"),
			Failed, "the certificate's name does not match: it is for hooks.example.test, not for 127.0.0.1"},
		{"unknown CA", serveTLS(t, stranger, localca.ValidFrom(now), nil, "127.0.0.1"),
			Failed, "the certificate of 127.0.0.1 is signed by an unknown authority"},
		{"plain HTTP on the TLS port", plainOnTLSPort(serve(t, &receiver{})),
			Failed, "127.0.0.1 answered in plain HTTP on a port the https:// URL says speaks TLS"},
		{"TLS 1.1", serveTLS(t, trusted, localca.ValidFrom(now), tls11, "127.0.0.1"),
			Failed, "The endpoint speaks TLS 1.1; Keap and current senders need TLS 1.2 or newer"},
		{"http:// named in --only", serve(t, &receiver{}), Skipped, "the endpoint is http://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.cfg.Roots = trusted.Pool()
			res := only(t, tt.cfg, CheckTLSValid)
			want(t, res, tt.status, tt.says)
			if res.Status == Failed && res.Fix == "" {
				t.Error("a failure without a fix")
			}
		})
	}
}

// TestWholeSuiteOverHTTPS: against a good HTTPS endpoint, tls-valid runs first and every
// delivery goes through the default client, which trusts Config.Roots.
func TestWholeSuiteOverHTTPS(t *testing.T) {
	t.Parallel()
	now := testkit.NewClock(time.Time{}).Now()
	ca := testkit.NewCA(t, now)
	// Valid for decades: the default client verifies on the real clock, not the run's.
	cfg := serveTLS(t, ca, localca.Validity{NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(50, 0, 0)}, nil, "127.0.0.1")
	cfg.Client, cfg.Roots = nil, ca.Pool()
	rep := Run(context.Background(), cfg)
	if rep.Failed() || len(rep.Results) != len(Checks()) || rep.Results[0].Name != CheckTLSValid {
		t.Errorf("%d results, failed %v:\n%s", len(rep.Results), rep.Failed(), dump(rep))
	}
	cfg.Roots = nil // the system's roots do not know this CA
	rep = Run(context.Background(), cfg)
	if rep.Count(Failed) != 1 || rep.Count(Skipped) != len(Checks())-1 || !strings.Contains(rep.Results[1].Message, "see tls-valid why") {
		t.Errorf("without the CA, tls-valid fails and the rest is not run:\n%s", dump(rep))
	}
	cfg.Only = []string{CheckHandshakeEcho} // without tls-valid, the handshake says it itself
	if res := only(t, cfg, CheckHandshakeEcho); !strings.Contains(res.Message, "The handshake could not be sent: TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority") {
		t.Errorf("handshake-echo without the CA: %s", res.Message)
	}
}

// serveTLS serves a receiver over TLS on loopback with a leaf of ca for hosts, valid v;
// tune, when set, changes the server's TLS configuration.
func serveTLS(t *testing.T, ca *localca.CA, v localca.Validity, tune func(*tls.Config), hosts ...string) Config {
	t.Helper()
	cfg := &tls.Config{Certificates: []tls.Certificate{testkit.TLSCertificate(t, ca, v, hosts...)}}
	if tune != nil {
		tune(cfg)
	}
	rc := &receiver{clock: testkit.NewClock(time.Time{})}
	srv := testkit.ServeTLS(t, cfg, rc)
	return Config{URL: srv.URL + "/keap", Client: srv.Client(), Now: rc.clock.Now}
}

// plainOnTLSPort points cfg's http:// URL at the same port as https://.
func plainOnTLSPort(cfg Config) Config {
	cfg.URL = testkit.AsHTTPS(cfg.URL)
	return cfg
}
