package mock_test

import (
	"net/http"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
)

// emitDropped makes one Dropped delivery (its hook's URL cannot be verified) and returns it.
func emitDropped(t *testing.T, p inProcess, id int) delivery.Delivery {
	t.Helper()
	em, err := p.srv.Emit("contact.add", int64(id))
	if err != nil || len(em.Dropped) != 1 {
		t.Fatalf("Emit = %+v, %v; want one dropped delivery", em, err)
	}
	d, _ := p.srv.Engine().Get(em.Dropped[0])
	return d
}

// Message ids never repeat: not after a reset, not in a new mock with the same seed (with or
// without a data directory), and a
// restart with a data directory keeps the ids of the deliveries it saved.
func TestMessageIDsNeverRepeat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seen := map[string]bool{}
	record := func(d delivery.Delivery) {
		t.Helper()
		if d.MessageID == "" || seen[d.MessageID] {
			t.Fatalf("delivery %s has message id %q, empty or already used", d.ID, d.MessageID)
		}
		seen[d.MessageID] = true
	}
	for run := range 2 {
		p := newInProcess(t, mock.WithRandSeed(7), mock.WithDataDir(dir))
		if run == 0 {
			createUnverified(t, p)
		}
		first := emitDropped(t, p, 1)
		record(first)
		if again, _ := p.srv.Engine().Get(first.ID); again.MessageID != first.MessageID {
			t.Errorf("%s changed its message id from %s to %s", first.ID, first.MessageID, again.MessageID)
		}
		p.srv.Close()
	}
	p := newInProcess(t, mock.WithRandSeed(7), mock.WithDataDir(dir))
	kept, _ := p.srv.Engine().Get("d_000001")
	if !seen[kept.MessageID] {
		t.Errorf("after a restart d_000001 has message id %q, not the one it was saved with", kept.MessageID)
	}
	if err := p.srv.Reset(); err != nil {
		t.Fatal(err)
	}
	createUnverified(t, p)
	record(emitDropped(t, p, 1))
	memory := newInProcess(t, mock.WithRandSeed(7)) // d_000001 again, in a new process's memory
	createUnverified(t, memory)
	record(emitDropped(t, memory, 1))
}

// createUnverified creates a hook whose handshake fails, so events to it are Dropped.
func createUnverified(t *testing.T, p inProcess) {
	t.Helper()
	req := `{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:1/hooks"}`
	if w := p.doJSON("POST", "/crm/rest/v1/hooks", req); w.Code != http.StatusOK {
		t.Fatalf("create = %d %s", w.Code, w.Body)
	}
}
