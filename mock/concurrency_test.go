package mock_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
)

// TestConcurrentClients: 100 clients creating, verifying and deleting hooks at once lose
// nothing (run with -race).
func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	rc := newReceiver(t, echo)
	const clients = 100
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	kept := make(chan string, clients)
	for i := range clients {
		wg.Go(func() {
			errs <- a.clientStory(rc.URL, i, kept)
		})
	}
	wg.Wait()
	close(errs)
	close(kept)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	want := map[string]bool{}
	for k := range kept {
		want[k] = true
	}
	var list []keap.RestHook
	r := a.do("GET", "/crm/rest/v1/hooks", "")
	decodeInto(t, r.body, &list)
	if len(list) != len(want) {
		t.Fatalf("%d hooks left, want %d", len(list), len(want))
	}
	for _, h := range list {
		if !want[h.Key] || h.Status != keap.StatusVerified {
			t.Errorf("unexpected hook left: %+v", h)
		}
	}
}

// clientStory creates a hook, verifies it, and deletes it when i is odd.
func (a *api) clientStory(url string, i int, kept chan<- string) error {
	h := a.createHook("contact.add", fmt.Sprintf("%s/c%d", url, i))
	if h.Status != keap.StatusVerified {
		return fmt.Errorf("client %d: create gave %s", i, h.Status)
	}
	if v := a.do("POST", "/crm/rest/v1/hooks/"+h.Key+"/verify", ""); v.status != http.StatusOK {
		return fmt.Errorf("client %d: verify gave %d", i, v.status)
	}
	if i%2 == 1 {
		if d := a.do("DELETE", "/crm/rest/v1/hooks/"+h.Key, ""); d.status != http.StatusNoContent {
			return fmt.Errorf("client %d: delete gave %d", i, d.status)
		}
		return nil
	}
	kept <- h.Key
	return nil
}
