package keapclient_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/mocktest"
)

// target is the Keap the read-only suite below runs against: the in-process mock by default,
// the real Keap when KEAP_ACCESS_TOKEN is set and KEAP_TEST_ONLINE=1. One suite, two targets:
// what passes offline is held to what real Keap does.
func target(t *testing.T) *keapclient.Client {
	t.Helper()
	if online() {
		c, err := keapclient.New(keap.DefaultBaseURL, keapclient.WithBearerToken(os.Getenv("KEAP_ACCESS_TOKEN")))
		if err != nil {
			t.Fatal(err)
		}
		t.Log("running against the real Keap (KEAP_TEST_ONLINE=1)")
		return c
	}
	m := mocktest.NewServer(t)
	c, err := keapclient.New(m.APIURL, keapclient.WithBearerToken(m.Token()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// online reports whether the tests may call the real Keap.
func online() bool {
	return os.Getenv("KEAP_ACCESS_TOKEN") != "" && os.Getenv("KEAP_TEST_ONLINE") == "1"
}

func TestReadOnlyHooksContract(t *testing.T) {
	t.Parallel()
	c := target(t)
	ctx := context.Background()

	keys, err := c.EventKeys(ctx)
	if err != nil {
		t.Fatalf("event keys: %v", err)
	}
	for _, want := range []string{"contact.add", "contact.edit", "contactGroup.applied", "invoice.payment.add"} {
		if !slices.Contains(keys, want) {
			t.Errorf("event keys lack %s: %v", want, keys)
		}
	}

	hooks, err := c.ListHooks(ctx)
	if err != nil {
		t.Fatalf("list hooks: %v", err)
	}
	for _, h := range hooks {
		switch h.Status {
		case keap.StatusUnverified, keap.StatusVerified, keap.StatusInactive:
		default:
			t.Errorf("hook %s has status %q", h.Key, h.Status)
		}
	}

	if _, err := c.GetHook(ctx, "999999999"); !keapclient.IsNotFound(err) {
		t.Errorf("an unknown hook key: %v, want a 404", err)
	}
}

func TestRejectedTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	base := keap.DefaultBaseURL
	if !online() {
		base = mocktest.NewServer(t, mock.WithTokens("only-this")).APIURL
	}
	c, err := keapclient.New(base, keapclient.WithBearerToken("keaphook-not-a-token"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListHooks(context.Background()); !keapclient.IsUnauthorized(err) {
		t.Errorf("a made-up token: %v, want a 401", err)
	}
}

// TestDo: any call, to an API path or to the mock's own controls on the same host, with the
// status received; answers outside 2xx are APIErrors, other hosts are refused.
func TestDo(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	c, err := keapclient.New(m.APIURL, keapclient.WithBearerToken(" "+m.Token()+" "))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var created struct {
		ID int64 `json:"id"`
	}
	status, err := c.Do(ctx, "POST", "/v1/contacts", map[string]any{"given_name": "Ada",
		"email_addresses": []map[string]string{{"email": "ada@example.com", "field": "EMAIL1"}}}, &created)
	if err != nil || status != 201 || created.ID == 0 {
		t.Fatalf("create: %d %v %+v, want 201 and an id", status, err, created)
	}
	status, err = c.Do(ctx, "POST", m.URL+"/_mock/events", map[string]any{"eventKey": "contact.add", "ids": []int64{created.ID}}, nil)
	if err != nil || status != 200 {
		t.Errorf("a control path on the same host: %d %v", status, err)
	}
	status, err = c.Do(ctx, "GET", "/v1/contacts/999999", nil, nil)
	if status != 404 || !keapclient.IsNotFound(err) {
		t.Errorf("an unknown contact: %d %v, want 404 as an APIError", status, err)
	}
	if status, err := c.Do(ctx, "GET", "http://elsewhere.example/x", nil, nil); status != 0 || !keapclient.IsForeignHost(err) {
		t.Errorf("another host: %d %v, want it refused unsent", status, err)
	}
}
