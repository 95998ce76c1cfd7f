package mock_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
)

// A mock without WithBaseURL, served the way the keaphook image serves it: on every interface,
// reached by names the mock cannot know in advance.
func newUnaddressedMock(t *testing.T) (*mock.Server, *httptest.Server) {
	t.Helper()
	m, err := mock.New(mock.WithTiming(delivery.TimingVirtual), mock.WithTokens("dev"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(func() { srv.Close(); m.Close() })
	return m, srv
}

// call sends a request to srv as if the client had reached it at host.
func call(t *testing.T, srv *httptest.Server, method, host, path, body string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func health(t *testing.T, srv *httptest.Server, host string) mock.Health {
	t.Helper()
	resp := call(t, srv, http.MethodGet, host, mock.HealthPath, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s, want 200 without a token", mock.HealthPath, resp.Status)
	}
	var h mock.Health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHealthNeedsNoTokenAndTeachesNoAddress(t *testing.T) {
	t.Parallel()
	_, srv := newUnaddressedMock(t)
	// A HEALTHCHECK inside the container reaches the mock through loopback...
	if got := health(t, srv, "127.0.0.1:8080"); got != (mock.Health{Status: "ok"}) {
		t.Fatalf("health before any client: %+v, want status ok and no baseUrl yet", got)
	}
	// ...and the first real client by the name it knows the mock by.
	call(t, srv, http.MethodGet, "keaphook:8080", "/crm/rest/v1/hooks", "", "Authorization", "Bearer dev")
	if diff := cmp.Diff(mock.Health{Status: "ok", BaseURL: "http://keaphook:8080"}, health(t, srv, "127.0.0.1:8080")); diff != "" {
		t.Fatalf("health after a client called (-want +got):\n%s", diff)
	}
}

func TestHealthAllowsOnlyGetAndHead(t *testing.T) {
	t.Parallel()
	_, srv := newUnaddressedMock(t)
	if resp := call(t, srv, http.MethodHead, "127.0.0.1", mock.HealthPath, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("HEAD %s: %s, want 200", mock.HealthPath, resp.Status)
	}
	resp := call(t, srv, http.MethodPost, "127.0.0.1", mock.HealthPath, "{}")
	if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(resp.Header.Get("Allow"), "GET") {
		t.Fatalf("POST %s: %s, Allow %q; want 405 naming GET", mock.HealthPath, resp.Status, resp.Header.Get("Allow"))
	}
}

// The apiUrl of a delivery points at the address the first client used, not at loopback where
// the health probe came from.
func TestAPIURLUsesTheFirstClientsAddressNotTheProbes(t *testing.T) {
	t.Parallel()
	m, srv := newUnaddressedMock(t)
	got := make(chan string, 1)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := r.Header.Get(keap.HeaderHookSecret); s != "" {
			w.Header().Set(keap.HeaderHookSecret, s)
			return
		}
		var body struct {
			ObjectKeys []keap.ObjectKey `json:"object_keys"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		for _, k := range body.ObjectKeys {
			got <- k.APIURL
		}
	}))
	t.Cleanup(app.Close)

	health(t, srv, "127.0.0.1:8080")
	resp := call(t, srv, http.MethodPost, "mock.example:9090", "/crm/rest/v1/hooks",
		`{"eventKey":"contact.add","hookUrl":"`+app.URL+`"}`, "Authorization", "Bearer dev", "Content-Type", "application/json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("create hook: %s", resp.Status)
	}
	if _, err := m.Emit("contact.add", 7); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Engine().Advance(context.Background(), time.Minute); err != nil {
		t.Fatal(err)
	}
	select {
	case u := <-got:
		if want := "http://mock.example:9090/crm/rest/v1/contacts/7"; u != want {
			t.Fatalf("apiUrl %s, want %s", u, want)
		}
	default:
		t.Fatal("no delivery reached the app after the clock moved a minute")
	}
}
