package resources

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// Writers and readers at once: every create gets its own id and its own event, and the
// race detector finds no shared state touched outside the lock.
func TestConcurrentWritesAndReads(t *testing.T) {
	h := newHarness(t, true)
	const n = 40
	var wg sync.WaitGroup
	ids := make(chan int64, n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			status, raw := h.do("POST", "/v1/contacts", map[string]any{"given_name": fmt.Sprintf("Racer%d", i),
				"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": fmt.Sprintf("racer%d@example.com", i)}}})
			c, err := decodeObject(raw)
			if status != http.StatusCreated || err != nil {
				t.Errorf("create: %d %s", status, raw)
				return
			}
			ids <- c.id()
		}()
		go func() {
			defer wg.Done()
			for _, req := range [][2]string{{"GET", "/v1/contacts?limit=10"}, {"POST", "/v1/contacts/2001/tags"}, {"GET", "/v1/contacts/2001/tags"}} {
				var body any
				if req[0] == "POST" {
					body = map[string]any{"tagIds": []any{89}}
				}
				if status, raw := h.do(req[0], req[1], body); status != http.StatusOK {
					t.Errorf("%s %s: %d %s", req[0], req[1], status, raw)
				}
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[int64]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("id %d given twice", id)
		}
		seen[id] = true
	}
	adds, applied := 0, 0
	for _, e := range h.takeEvents() {
		switch e {
		case "contactGroup.applied:89":
			applied++
		default:
			adds++
		}
	}
	if adds != n || applied != 1 {
		t.Errorf("%d contact.add and %d contactGroup.applied events, want %d and 1", adds, applied, n)
	}
}

// A create's answer is encoded after the store's lock is let go (detached): a patch of the
// new contact racing with it must not change what is being encoded (run with -race).
func TestCreateAnswerWhilePatched(t *testing.T) {
	h := newHarness(t, false)
	first := h.newContact("First")
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 30 {
			h.do("POST", "/v1/contacts", map[string]any{"given_name": "A",
				"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "a@example.com"}},
				"phone_numbers":   []any{map[string]any{"field": "PHONE1", "number": "555-0100"}}})
		}
	})
	wg.Go(func() {
		for i := range 30 {
			for _, id := range []int64{first + int64(i), first + int64(i) + 1} {
				h.do("PATCH", fmt.Sprintf("/v1/contacts/%d", id), map[string]any{"given_name": "B",
					"email_addresses": []any{map[string]any{"field": "EMAIL1", "email": "b@example.com"}},
					"phone_numbers":   []any{map[string]any{"field": "PHONE1", "number": "555-0199"}}})
			}
		}
	})
	wg.Wait()
}
