package receiver

import (
	"net/http"
	"testing"
)

// The inspector shows each request's headers and the answer; the handshake secret never.
func TestEventCarriesHeadersAndAnswer(t *testing.T) {
	url, evs := relay(t, Config{ObserveHeaders: true})
	post(t, url, http.Header{secretHeader: {"s3cret-value"}, "X-Extra": {"1"}}, []byte("{}"))
	ev := evs.last(t)
	if got := ev.Header.Get(secretHeader); got == "s3cret-value" || got == "" || ev.Header.Get("X-Extra") != "1" {
		t.Errorf("event headers %v: want X-Hook-Secret redacted and the rest kept", ev.Header)
	}
	if got := ev.Answer.Header.Get(secretHeader); got != redactedSecret || len(ev.Answer.Body) == 0 {
		t.Errorf("answer %+v: want the echo shown redacted, and the body", ev.Answer)
	}
}
