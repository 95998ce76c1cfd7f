package testkit_test

import (
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestHTTPSServerServesTheLeafItWasGiven: a client trusting ca gets the handler's answer, and
// the certificate it sees is for the hosts and validity asked.
func TestHTTPSServerServesTheLeafItWasGiven(t *testing.T) {
	t.Parallel()
	now := time.Now()
	ca := testkit.NewCA(t, now)
	v := localca.Validity{NotBefore: now.Add(-time.Hour), NotAfter: now.Add(72 * time.Hour)}
	srv := testkit.HTTPSServer(t, ca, v, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusAccepted)
	}), "127.0.0.1", "hooks.example.test")
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}
	t.Cleanup(client.CloseIdleConnections)
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	leaf := resp.TLS.PeerCertificates[0]
	if resp.StatusCode != http.StatusAccepted || !leaf.NotAfter.Equal(v.NotAfter.Truncate(time.Second)) ||
		len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != "hooks.example.test" {
		t.Errorf("%d, leaf for %v %v until %s", resp.StatusCode, leaf.DNSNames, leaf.IPAddresses, leaf.NotAfter)
	}
}

// TestPlainOnTLSPortIsJudgedPlainHTTP: the URL it gives fails a TLS client the way a receiver
// that forgot its TLS does.
func TestPlainOnTLSPortIsJudgedPlainHTTP(t *testing.T) {
	t.Parallel()
	url := testkit.PlainOnTLSPort(t)
	if !strings.HasPrefix(url, "https://127.0.0.1:") {
		t.Fatalf("URL %q", url)
	}
	_, err := testClient.Get(url)
	if keap.JudgeTLS(err) != keap.TLSPlainHTTP {
		t.Errorf("%v judged %d, want plain HTTP", err, keap.JudgeTLS(err))
	}
}
