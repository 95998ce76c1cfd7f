package receiver

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
)

// TestForwardToAnHTTPSApp: the relay forwards to an HTTPS app whose CA is in Roots,
// and answers 502 with the reason in words when the app's certificate is refused.
func TestForwardToAnHTTPSApp(t *testing.T) {
	t.Parallel()
	now := time.Now()
	trusted, _ := localca.New(now)
	stranger, _ := localca.New(now)
	url, _ := relay(t, Config{ForwardTo: httpsApp(t, trusted), Roots: trusted.Pool()})
	if status, _, body := post(t, url, nil, []byte(delivery)); status != http.StatusOK {
		t.Errorf("a trusted app: %d %s", status, body)
	}
	url, _ = relay(t, Config{ForwardTo: httpsApp(t, stranger), Roots: trusted.Pool()})
	status, _, body := post(t, url, nil, []byte(delivery))
	const want = "TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority"
	if status != http.StatusBadGateway || !strings.Contains(string(body), want) {
		t.Errorf("an app with an unknown CA: %d %s; want 502 saying %q", status, body, want)
	}
}

// httpsApp serves 200s over TLS on loopback with a certificate of ca and returns its URL.
func httpsApp(t *testing.T, ca *localca.CA) string {
	t.Helper()
	cfg, err := ca.ServerConfig(time.Now(), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	srv.TLS = cfg
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/keap"
}
