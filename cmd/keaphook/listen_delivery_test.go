package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/mock/signature"
)

// virtualMock is a mock whose clock moves only when the test advances it.
func virtualMock(t *testing.T) *mocktest.Server {
	return mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
}

// mockCall sends one request to the mock's API or controls and returns the answer body.
func mockCall(t *testing.T, m *mocktest.Server, method, path, body string) []byte {
	t.Helper()
	req, _ := http.NewRequest(method, m.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return data
}

// listenTo starts listen registered on the mock for contact.add, forwarding to app.
func listenTo(t *testing.T, m *mocktest.Server, appURL string, extra ...string) *running {
	t.Helper()
	args := append([]string{"listen", "--addr", "127.0.0.1:0", "--keap", m.APIURL,
		"--register", "contact.add", "--forward-to", appURL}, extra...)
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": m.Token()}, args...)
	c.stdout.waitFor(t, ready)
	return c
}

// Keap's deliveries reach the app through the relay exactly as the mock sent them.
func TestListenPassesMockDeliveriesByteIdentical(t *testing.T) {
	t.Parallel()
	m := virtualMock(t)
	app := newHeaderlessApp(t, http.StatusOK)
	c := listenTo(t, m, app.URL)

	mockCall(t, m, "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[1,2]}`)
	mockCall(t, m, "POST", "/_mock/clock/advance", `{"by":"2m"}`)

	ds := m.Deliveries()
	if len(ds) != 1 || ds[0].State != delivery.Delivered {
		t.Fatalf("deliveries %+v; want one Delivered", ds)
	}
	got := app.received()
	if len(got) != 1 || !bytes.Equal(got[0], ds[0].Payload) {
		t.Fatalf("the app got %q; the mock sent %q", got, ds[0].Payload)
	}
	c.stdout.waitFor(t, `contact.add  2 ids \[\d+ \d+\] -> app 200 OK`)
}

// The app's own 500s reach Keap, so Keap's retries and the Inactive state reflect the app.
func TestListenAppFailureDrivesTheMockHookInactive(t *testing.T) {
	t.Parallel()
	m := virtualMock(t)
	app := newHeaderlessApp(t, http.StatusInternalServerError)
	c := listenTo(t, m, app.URL)

	mockCall(t, m, "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[7]}`)
	mockCall(t, m, "POST", "/_mock/clock/advance", `{"by":"40m"}`)

	hooks := listHooks(t, mockClient(t, m))
	if len(hooks) != 1 || hooks[0].Status != keap.StatusInactive {
		t.Fatalf("hooks %+v; want the hook Inactive after the app failed every attempt", hooks)
	}
	ds := m.Deliveries()
	if len(ds) != 1 || ds[0].State != delivery.Failed || len(ds[0].Attempts) != keap.Attempts {
		t.Fatalf("delivery %+v; want Failed after %d attempts", ds, keap.Attempts)
	}
	for _, a := range ds[0].Attempts {
		if a.StatusCode != http.StatusInternalServerError {
			t.Fatalf("attempt %d got %d; want the app's 500 passed through", a.Number, a.StatusCode)
		}
	}
	if n := len(app.received()); n != keap.Attempts {
		t.Fatalf("the app received %d attempts, want %d", n, keap.Attempts)
	}
	c.stdout.waitFor(t, `(?s)(-> app 500 Internal Server Error.*){4}`)
}

// With --expand the app gets the contact Keap's apiUrl points at, fetched from the mock.
func TestListenExpandFetchesFromTheMock(t *testing.T) {
	t.Parallel()
	m := virtualMock(t)
	app := newHeaderlessApp(t, http.StatusOK)
	c := listenTo(t, m, app.URL, "--expand")

	var contact struct {
		ID int64 `json:"id"`
	}
	created := mockCall(t, m, "POST", "/crm/rest/v1/contacts",
		`{"given_name":"Ada","email_addresses":[{"email":"ada@example.com","field":"EMAIL1"}]}`)
	if err := json.Unmarshal(created, &contact); err != nil || contact.ID == 0 {
		t.Fatalf("created contact %s: %v", created, err)
	}
	mockCall(t, m, "POST", "/_mock/clock/advance", `{"by":"2m"}`)

	got := app.received()
	if len(got) != 1 {
		t.Fatalf("app received %d deliveries", len(got))
	}
	var fwd struct {
		Objects []struct {
			ID     int64  `json:"id"`
			APIURL string `json:"apiUrl"`
			Object struct {
				ID        int64  `json:"id"`
				GivenName string `json:"given_name"`
			} `json:"object"`
			Error string `json:"error"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(got[0], &fwd); err != nil {
		t.Fatal(err)
	}
	if len(fwd.Objects) != 1 || fwd.Objects[0].Object.GivenName != "Ada" || fwd.Objects[0].Object.ID != contact.ID {
		t.Fatalf("forwarded %s", got[0])
	}
	c.stdout.waitFor(t, `expanded 1 \(0 failed\)`)
}

// The mock signs with Standard Webhooks; listen verifies, records, and the recording replays
// to another app with the same bytes and without the stale signature.
func TestListenVerifiesTheMocksSignaturesAndReplaysTheRecording(t *testing.T) {
	t.Parallel()
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual),
		mock.WithSigning(signature.Config{Scheme: signature.Standard, Secrets: []string{secret}}))
	app := newHeaderlessApp(t, http.StatusOK)
	file := filepath.Join(t.TempDir(), "keap.jsonl")
	c := listenTo(t, m, app.URL, "--sign", "standard", "--signing-secret", secret, "--record", file)

	mockCall(t, m, "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[3]}`)
	mockCall(t, m, "POST", "/_mock/clock/advance", `{"by":"2m"}`)
	if ds := m.Deliveries(); len(ds) != 1 || ds[0].State != delivery.Delivered {
		t.Fatalf("deliveries %+v; want the signed delivery accepted", ds)
	}
	c.stdout.waitFor(t, `contact.add  1 id \[3\] -> app 200 OK`)
	c.stop(t)

	again := newHeaderlessApp(t, http.StatusOK)
	code, out, stderr := runCmd(t, nil, "replay", file, "--to", again.URL)
	if code != exitOK {
		t.Fatalf("replay exit %d\n%s%s", code, out, stderr)
	}
	if first, second := app.received(), again.received(); len(second) != 1 || !bytes.Equal(first[0], second[0]) {
		t.Fatalf("replayed %q, first delivered %q", second, first)
	}
}

func TestListenRejectsDeliveriesSignedWithAnotherSecret(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual),
		mock.WithSigning(signature.Config{Scheme: signature.HMACHex, Secrets: []string{"mock-secret"}}))
	app := newHeaderlessApp(t, http.StatusOK)
	c := listenTo(t, m, app.URL, "--sign", "hmac-hex", "--signing-secret", "relay-secret")

	mockCall(t, m, "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[4]}`)
	mockCall(t, m, "POST", "/_mock/clock/advance", `{"by":"2m"}`)
	ds := m.Deliveries()
	if len(ds) != 1 || len(ds[0].Attempts) == 0 || ds[0].Attempts[0].StatusCode != http.StatusUnauthorized {
		t.Fatalf("deliveries %+v; want the first attempt answered 401", ds)
	}
	if n := len(app.received()); n != 0 {
		t.Fatalf("a wrongly signed delivery reached the app %d times", n)
	}
	c.stdout.waitFor(t, `rejected delivery on /hooks/contact.add: 401 [^\n]*`)
	out := c.stdout.String() + c.stderr.String()
	if strings.Contains(out, "mock-secret") || strings.Contains(out, "relay-secret") {
		t.Fatalf("a secret was printed: %s", out)
	}
}

// With --delayed, a hook that went Inactive is brought back by POST /verify once the app is
// fixed: the relay answers the new handshake and confirms it through delayedVerify.
func TestListenDelayedConfirmsAReactivation(t *testing.T) {
	t.Parallel()
	m := virtualMock(t)
	app := newHeaderlessApp(t, http.StatusServiceUnavailable)
	c := listenTo(t, m, app.URL, "--delayed")
	kc := mockClient(t, m)
	hooks := listHooks(t, kc)
	if len(hooks) != 1 || hooks[0].Status != keap.StatusVerified {
		t.Fatalf("hooks %+v", hooks)
	}
	key := hooks[0].Key

	mockCall(t, m, "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[5]}`)
	mockCall(t, m, "POST", "/_mock/clock/advance", `{"by":"40m"}`)
	if h, err := kc.GetHook(context.Background(), key); err != nil || h.Status != keap.StatusInactive {
		t.Fatalf("hook %+v, %v; want Inactive after four 503s", h, err)
	}

	if _, err := kc.VerifyHook(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	c.stdout.waitFor(t, `hook `+key+` contact.add -> \S+ confirmed again through delayedVerify: Verified`)
	if h, err := kc.GetHook(context.Background(), key); err != nil || h.Status != keap.StatusVerified {
		t.Fatalf("hook %+v, %v; want Verified again", h, err)
	}
}
