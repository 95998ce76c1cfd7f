package register

import (
	"context"
	"fmt"
	"testing"
)

// Handshakes on paths no call of this run is waiting on keep nothing: anyone can post them
// through a tunnel, and a kept secret would never be read.
func TestStrayHandshakesAreNotKept(t *testing.T) {
	t.Parallel()
	r := New(Config{PublicURL: "http://127.0.0.1:4000", Delayed: true})
	for i := range 1000 {
		r.OnHandshake(context.Background(), fmt.Sprintf("/hooks/stray.%d", i), "s")
	}
	r.begin(HookPath("contact.add"))
	r.OnHandshake(context.Background(), HookPath("contact.add"), "for-the-create")
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.pending) != 1 || r.pending[HookPath("contact.add")] != "for-the-create" {
		t.Fatalf("pending = %v; want only the secret of the hook being created", r.pending)
	}
}
