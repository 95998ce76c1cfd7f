package keapclient_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/mock/testkit"
)

func newClient(t *testing.T, base string, opts ...keapclient.Option) *keapclient.Client {
	t.Helper()
	c, err := keapclient.New(base, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestHooksLifecycleAgainstTheMock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := mocktest.NewServer(t)
	c := newClient(t, m.APIURL, keapclient.WithBearerToken(m.Token()))
	app := testkit.NewEndpoint(t, nil)

	keys, err := c.EventKeys(ctx)
	if err != nil || !slices.Contains(keys, "contact.add") {
		t.Fatalf("EventKeys = %d keys, %v; want contact.add among them", len(keys), err)
	}
	created, err := c.CreateHook(ctx, "contact.add", app.URL+"/hooks")
	if err != nil {
		t.Fatal(err)
	}
	if created.Status != keap.StatusVerified || created.EventKey != "contact.add" || created.Key == "" {
		t.Fatalf("CreateHook = %+v, want a Verified contact.add hook with a key", created)
	}
	list, err := c.ListHooks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]keap.RestHook{created}, list); diff != "" {
		t.Fatalf("ListHooks (-want +got):\n%s", diff)
	}
	got, err := c.GetHook(ctx, created.Key)
	if err != nil || got != created {
		t.Fatalf("GetHook = %+v, %v", got, err)
	}
	updated, err := c.UpdateHook(ctx, created.Key, "contact.edit", app.URL+"/other")
	if err != nil || updated.EventKey != "contact.edit" || updated.HookURL != app.URL+"/other" {
		t.Fatalf("UpdateHook = %+v, %v", updated, err)
	}
	verified, err := c.VerifyHook(ctx, created.Key)
	if err != nil || verified.Status != keap.StatusVerified {
		t.Fatalf("VerifyHook = %+v, %v", verified, err)
	}
	if err := c.DeleteHook(ctx, created.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetHook(ctx, created.Key); !keapclient.IsNotFound(err) {
		t.Fatalf("GetHook after delete: %v, want a 404", err)
	}
}

func TestDelayedVerifyHandsTheSecretBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := mocktest.NewServer(t)
	c := newClient(t, m.APIURL, keapclient.WithAPIKey(m.Token()))
	app := testkit.NewEndpoint(t, testkit.NoEcho())

	h, err := c.CreateHook(ctx, "contact.edit", app.URL)
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != keap.StatusUnverified || len(app.Secrets()) == 0 {
		t.Fatalf("hook %+v, secrets received: %d; want Unverified with a secret received", h, len(app.Secrets()))
	}
	_, err = c.DelayedVerifyHook(ctx, h.Key, "not-the-secret")
	var ae *keapclient.APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusForbidden || ae.Message == "" {
		t.Fatalf("delayedVerify with a wrong secret: %v, want a 403 with Keap's message", err)
	}
	h, err = c.DelayedVerifyHook(ctx, h.Key, app.LastSecret(t))
	if err != nil || h.Status != keap.StatusVerified {
		t.Fatalf("DelayedVerifyHook = %+v, %v; want Verified", h, err)
	}
}

func TestErrorsCarryKeapsMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := mocktest.NewServer(t)
	c := newClient(t, m.APIURL+"/", keapclient.WithBearerToken(m.Token()))

	_, err := c.CreateHook(ctx, "contact.ad", "http://127.0.0.1:1/hooks")
	var ae *keapclient.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %T %v, want *APIError", err, err)
	}
	if ae.Status != 400 || !strings.Contains(ae.Message, "contact.ad") || ae.Method != "POST" || ae.Path != "/v1/hooks" {
		t.Fatalf("APIError = %+v", ae)
	}
	if !strings.Contains(string(ae.Body), `"message"`) {
		t.Fatalf("Body = %q, want Keap's raw body", ae.Body)
	}
	if !strings.HasPrefix(err.Error(), "keap: POST /v1/hooks: 400 Bad Request: eventKey") {
		t.Fatalf("Error() = %q", err)
	}
}

func TestGatewayFaultIsReadAndTheTokenNeverShown(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTokens("right-token"))
	const wrong = "wrong-token-4711"
	c := newClient(t, m.APIURL, keapclient.WithBearerToken(wrong))
	_, err := c.ListHooks(context.Background())
	if !keapclient.IsUnauthorized(err) {
		t.Fatalf("err = %v, want a 401", err)
	}
	if !strings.Contains(err.Error(), "Invalid access token (oauth.v2.InvalidAccessToken)") {
		t.Fatalf("Error() = %q, want the gateway's faultstring and code", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Fatal("the token appears in the error")
	}
}

func TestGetJSONStaysOnTheKeapHost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := mocktest.NewServer(t)
	c := newClient(t, m.APIURL, keapclient.WithBearerToken(m.Token()))
	app := testkit.NewEndpoint(t, nil)
	h, err := c.CreateHook(ctx, "contact.add", app.URL)
	if err != nil {
		t.Fatal(err)
	}

	var byAbs, byPath keap.RestHook
	if err := c.GetJSON(ctx, m.APIURL+"/v1/hooks/"+h.Key, &byAbs); err != nil || byAbs != h {
		t.Fatalf("GetJSON(absolute) = %+v, %v", byAbs, err)
	}
	if err := c.GetJSON(ctx, "/v1/hooks/"+h.Key, &byPath); err != nil || byPath != h {
		t.Fatalf("GetJSON(path) = %+v, %v", byPath, err)
	}

	var sawToken bool
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawToken = r.Header.Get("Authorization") != ""
	}))
	defer thief.Close()
	var v any
	err = c.GetJSON(ctx, thief.URL+"/crm/rest/v1/contacts/1", &v)
	if !keapclient.IsForeignHost(err) || sawToken {
		t.Fatalf("GetJSON(other host) = %v (token sent: %v); want it refused without a request", err, sawToken)
	}
	for _, bad := range []string{"contacts/1", "//evil.example/x", "ftp://x"} {
		if err := c.GetJSON(ctx, bad, &v); err == nil {
			t.Errorf("GetJSON(%q) succeeded", bad)
		}
	}
}

func TestNewRejectsBadBaseURLs(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"", "api.infusionsoft.com/crm/rest", "ftp://x/crm/rest", "http://"} {
		if _, err := keapclient.New(bad); err == nil {
			t.Errorf("New(%q) succeeded", bad)
		}
	}
	c, err := keapclient.New(" https://api.infusionsoft.com/crm/rest/ ")
	if err != nil || c.BaseURL() != keap.DefaultBaseURL || c.HasCredentials() {
		t.Fatalf("New = %v, %v", c.BaseURL(), err)
	}
}

// A redirect off the Keap host is not followed: the API key (which http.Client would copy)
// and the token stay with Keap.
func TestRedirectOffTheKeapHostIsRefused(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var stolen []string
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		stolen = append(stolen, r.Header.Get(keap.HeaderAPIKey)+r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer thief.Close()
	keapAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/crm/rest/v1/moved" {
			http.Redirect(w, r, "/crm/rest/v1/here", http.StatusFound)
			return
		}
		if r.URL.Path == "/crm/rest/v1/here" {
			w.Write([]byte(`{"id":1}`))
			return
		}
		http.Redirect(w, r, thief.URL+"/collect", http.StatusFound)
	}))
	defer keapAPI.Close()

	for _, opt := range []keapclient.Option{keapclient.WithAPIKey("KeapAK-key-4711"), keapclient.WithBearerToken("tok-4711")} {
		c := newClient(t, keapAPI.URL+"/crm/rest", opt)
		var v struct{ ID int }
		if err := c.GetJSON(context.Background(), "/v1/moved", &v); err != nil || v.ID != 1 {
			t.Fatalf("a redirect on the Keap host: %+v, %v; want it followed", v, err)
		}
		err := c.GetJSON(context.Background(), "/v1/contacts/1", &v)
		if !keapclient.IsForeignHost(err) {
			t.Fatalf("a redirect to another host: %v; want it refused", err)
		}
		if strings.Contains(err.Error(), "4711") {
			t.Fatalf("the credential appears in the error: %v", err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(stolen) != 0 {
		t.Fatalf("the other host was called with credentials %q", stolen)
	}
}

// WithTimeout bounds a call to a Keap that never answers.
func TestWithTimeoutBoundsEveryCall(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer silent.Close()
	defer close(release)
	c, err := keapclient.New(silent.URL+"/crm/rest", keapclient.WithBearerToken("t"), keapclient.WithTimeout(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListHooks(context.Background()); err == nil || !strings.Contains(err.Error(), "Timeout") {
		t.Fatalf("ListHooks on a silent Keap = %v, want a timeout", err)
	}
}
