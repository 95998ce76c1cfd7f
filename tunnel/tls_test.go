package tunnel

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/testkit"
)

func TestTLSServesHTTPSAtItsPublicURL(t *testing.T) {
	t.Parallel()
	ca := testkit.NewCA(t, time.Now())
	cfg, err := ca.ServerConfig(time.Now(), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Local("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := TLS(plain, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://" + strings.TrimPrefix(plain.PublicURL(), "http://"); ln.PublicURL() != want {
		t.Fatalf("PublicURL = %q, want %q", ln.PublicURL(), want)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "relay over "+tls.VersionName(r.TLS.Version))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })

	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(ln.PublicURL() + "/hooks")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if body, _ := io.ReadAll(resp.Body); string(body) != "relay over TLS 1.3" {
		t.Fatalf("body = %q", body)
	}
	if _, err := TLS(ln, cfg); err == nil {
		t.Error("an https listener was wrapped in TLS again")
	}
}
