package main

import (
	"fmt"
	"testing"

	"github.com/keaphook/keaphook/tunnel/receiver"
)

// Handshakes on paths no call of this run is waiting on keep nothing: anyone can post them
// through a tunnel, and a kept secret would never be read.
func TestStrayHandshakesAreNotKept(t *testing.T) {
	t.Parallel()
	m := newHookManager(nil, nil, "http://127.0.0.1:4000", true)
	for i := range 1000 {
		m.onHandshake(receiver.Handshake{Path: fmt.Sprintf("/hooks/stray.%d", i), Secret: "s"})
	}
	m.begin(hookPath("contact.add"))
	m.onHandshake(receiver.Handshake{Path: hookPath("contact.add"), Secret: "for-the-create"})
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.pending) != 1 || m.pending[hookPath("contact.add")] != "for-the-create" {
		t.Fatalf("pending = %v; want only the secret of the hook being created", m.pending)
	}
}
