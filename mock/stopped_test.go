package mock

import (
	"net/http"
	"strings"
	"testing"
)

// TestCallsRacingAStopAreToldNothingWasKept: an event made on an engine already stopped (a
// reset or the close got there first) answers 503 saying so, never a 5xx of its own or a
// success whose deliveries vanish.
func TestCallsRacingAStopAreToldNothingWasKept(t *testing.T) {
	t.Parallel()
	m, err := New(WithTransport(refusingTransport{}), WithDataDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	call := caller(m)
	if rec := call(http.MethodPost, "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"http://receiver.example.test/hooks"}`); rec.Code != http.StatusOK {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	m.resetMu.Lock()
	err = m.running.halt() // as Reset and Close do first
	stopped := make(chan error, 1)
	stopped <- nil
	m.running = runningEngine{stop: func() {}, done: stopped} // for Close's own halt
	m.resetMu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	rec := call(http.MethodPost, "/_mock/events", `{"eventKey":"contact.add","ids":[12]}`)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "send it again") {
		t.Errorf("an event on a stopped engine: %d %s; want 503 saying it was not kept", rec.Code, rec.Body)
	}
}
