package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/tunnel/receiver"
)

// The console line says what the sender was really answered.
func TestExchangeLineTellsTheAnswer(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 14, 16, 21, 37, 0, time.UTC)
	for _, tc := range []struct {
		ev   receiver.Exchange
		tone tone
		says string
	}{
		{receiver.Exchange{Time: at, Seq: 4, Kind: receiver.KindHandshake, Path: "/hooks/contact.add", Status: http.StatusOK},
			toneInfo, "16:21:37 #4 handshake on /hooks/contact.add: answered 200 with X-Hook-Secret echoed"},
		{receiver.Exchange{Time: at, Kind: receiver.KindHandshake, Path: "/hooks/contact.add", Status: http.StatusOK, Delayed: true},
			toneInfo, "answered 200 without the echo (delayed confirmation)"},
		{receiver.Exchange{Time: at, Kind: receiver.KindHandshake, Path: "/hooks/contact.add", Status: http.StatusServiceUnavailable, Delayed: true,
			Reason: "keaphook could not record this request"},
			toneBad, "16:21:37 handshake on /hooks/contact.add: 503 keaphook could not record this request"},
		{receiver.Exchange{Time: at, Kind: receiver.KindRejected, Path: "/hooks/contact.add", Status: http.StatusRequestEntityTooLarge,
			Reason: "the body is larger than 1000 bytes, the relay's limit"},
			toneWarn, "413 the body is larger than 1000 bytes, the relay's limit (raise the limit with --max-body)"},
	} {
		tn, line := exchangeLine(tc.ev)
		if tn != tc.tone || !strings.Contains(line, tc.says) {
			t.Errorf("exchangeLine(%+v) = %v %q; want %v containing %q", tc.ev, tn, line, tc.tone, tc.says)
		}
		if tc.ev.Status != http.StatusOK && strings.Contains(line, "answered 200") {
			t.Errorf("a handshake answered %d is shown as %q", tc.ev.Status, line)
		}
	}
}
