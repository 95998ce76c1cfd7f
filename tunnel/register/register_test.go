package register_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/tunnel/register"
)

// Register creates a hook per key (once per key), reuses one that already points here, and
// Cleanup deletes only the hooks it created; every step is a Notice.
func TestRegisterReuseAndCleanup(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	relay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	}))
	t.Cleanup(relay.Close)
	kc, err := keapclient.New(m.APIURL, keapclient.WithBearerToken(m.Token()))
	if err != nil {
		t.Fatal(err)
	}
	before, err := kc.CreateHook(t.Context(), "contact.edit", relay.URL+register.HookPath("contact.edit"))
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var notices []register.Notice
	r := register.New(register.Config{Client: kc, PublicURL: relay.URL, Observe: func(n register.Notice) {
		mu.Lock()
		defer mu.Unlock()
		notices = append(notices, n)
	}})
	if err := r.Register(t.Context(), []string{"contact.add", "contact.edit", "contact.add"}); err != nil {
		t.Fatal(err)
	}
	if failed := r.Cleanup(t.Context()); len(failed) != 0 {
		t.Fatalf("could not delete %v", failed)
	}
	hooks, _ := kc.ListHooks(t.Context())
	if len(hooks) != 1 || hooks[0].Key != before.Key {
		t.Errorf("hooks left = %+v; want only the one that was there before", hooks)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []struct {
		kind register.NoticeKind
		key  string
		how  string
	}{
		{register.HookReady, "contact.add", "created"},
		{register.HookReady, "contact.edit", "reused (it already pointed here)"},
		{register.HookDeleted, "contact.add", ""},
	}
	if len(notices) != len(want) {
		t.Fatalf("notices = %+v", notices)
	}
	for i, w := range want {
		n := notices[i]
		if n.Kind != w.kind || n.Hook.EventKey != w.key || n.How != w.how || (n.Kind == register.HookReady && n.Hook.Status != keap.StatusVerified) {
			t.Errorf("notice %d = %+v; want %+v", i, n, w)
		}
	}
}
