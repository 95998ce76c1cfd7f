package mocktest_test

import (
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/mocktest"
)

// TestTLSServerEndToEnd: an HTTPS mock, requiring HTTPS hookUrls, delivers to an HTTPS
// receiver it was told to trust; its apiUrls use https and its Client trusts it.
func TestTLSServerEndToEnd(t *testing.T) {
	got := make(chan string, 1)
	app := httptest.NewTLSServer(receiver(got))
	defer app.Close()
	roots := x509.NewCertPool()
	roots.AddCert(app.Certificate())
	m := mocktest.NewTLSServer(t, mock.WithTiming(delivery.TimingVirtual), mock.WithRequireHTTPS(), mock.WithTrustedRoots(roots))
	if !strings.HasPrefix(m.URL, "https://") || !strings.HasPrefix(m.APIURL, "https://") || m.Certificate() == nil {
		t.Fatalf("URL %s, APIURL %s, certificate %v", m.URL, m.APIURL, m.Certificate())
	}
	resp, err := m.Client().Post(m.APIURL+"/v1/hooks", "application/json",
		strings.NewReader(`{"eventKey":"note.add","hookUrl":"`+app.URL+`/keap"}`))
	if err != nil {
		t.Fatal(err)
	}
	var h keap.RestHook
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if h.Status != keap.StatusVerified {
		t.Fatalf("hook %+v, want Verified over HTTPS", h)
	}
	m.Mock.Emit("note.add", 7)
	m.Advance(t, 2*time.Minute)
	var ev keap.Event
	json.Unmarshal([]byte(<-got), &ev)
	apiURL := ev.ObjectKeys[0].APIURL
	if !strings.HasPrefix(apiURL, "https://") {
		t.Fatalf("apiUrl %q does not use https", apiURL)
	}
	// No note 7 exists, so the answer is Keap's 404: what matters is that it came over TLS.
	if r, err := m.Client().Get(apiURL); err != nil || r.StatusCode != http.StatusNotFound {
		t.Fatalf("GET apiUrl with Client(): %v %v", r, err)
	}
	if _, err := testClient.Get(apiURL); keap.JudgeTLS(err) != keap.TLSUnknownAuthority {
		t.Errorf("a client that was not told to trust the mock got %v", err)
	}
}
