package mock_test

import (
	"encoding/json"
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

// clientStory creates a hook, verifies it, and deletes it when i is odd. It runs on its own
// goroutine, so it returns what went wrong instead of stopping the test.
func (a *api) clientStory(url string, i int, kept chan<- string) error {
	created, err := a.try(a.c, "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"`+fmt.Sprintf("%s/c%d", url, i)+`"}`)
	if err != nil {
		return err
	}
	var h keap.RestHook
	if err := json.Unmarshal(created.body, &h); err != nil || h.Status != keap.StatusVerified {
		return fmt.Errorf("client %d: create gave %d %s", i, created.status, created.body)
	}
	if v, err := a.try(a.c, "POST", "/crm/rest/v1/hooks/"+h.Key+"/verify", ""); err != nil || v.status != http.StatusOK {
		return fmt.Errorf("client %d: verify gave %d, %v", i, v.status, err)
	}
	if i%2 == 1 {
		if d, err := a.try(a.c, "DELETE", "/crm/rest/v1/hooks/"+h.Key, ""); err != nil || d.status != http.StatusNoContent {
			return fmt.Errorf("client %d: delete gave %d, %v", i, d.status, err)
		}
		return nil
	}
	kept <- h.Key
	return nil
}
