package keapclient_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/mocktest"
)

// TestWithTransportReachesAnHTTPSMock: the client's own http.Client, with a transport that
// trusts the mock's certificate, calls an HTTPS mock; without it, the certificate is refused.
func TestWithTransportReachesAnHTTPSMock(t *testing.T) {
	t.Parallel()
	m := mocktest.NewTLSServer(t)
	roots := x509.NewCertPool()
	roots.AddCert(m.Certificate())
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	defer tr.CloseIdleConnections()
	c := newClient(t, m.APIURL, keapclient.WithBearerToken(m.Token()), keapclient.WithTransport(tr))
	if _, err := c.EventKeys(context.Background()); err != nil {
		t.Fatalf("EventKeys over HTTPS: %v", err)
	}
	plain := newClient(t, m.APIURL, keapclient.WithBearerToken(m.Token()))
	if _, err := plain.EventKeys(context.Background()); keap.JudgeTLS(err) != keap.TLSUnknownAuthority {
		t.Errorf("a client not told to trust the mock: %v", err)
	}
}
