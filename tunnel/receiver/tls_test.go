package receiver

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestForwardToAnHTTPSApp: the relay forwards to an HTTPS app whose CA is in Roots,
// and answers 502 with the reason in words when the app's certificate is refused.
func TestForwardToAnHTTPSApp(t *testing.T) {
	t.Parallel()
	now := time.Now()
	trusted := testkit.NewCA(t, now)
	stranger := testkit.NewCA(t, now)
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
	return testkit.HTTPSServer(t, ca, localca.ValidFrom(time.Now()), nil, "127.0.0.1").URL + "/keap"
}
