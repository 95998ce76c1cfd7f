package receiver

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
)

func TestSignedDeliveries(t *testing.T) {
	t.Parallel()
	const oldSecret, newSecret = "old-secret-1", "new-secret-2"
	body := []byte(delivery)
	good := signature.HexHMAC([]byte(newSecret), body)
	byOld := signature.HexHMAC([]byte(oldSecret), body)
	wrong := signature.HexHMAC([]byte("someone-else"), body)
	tests := []struct {
		name      string
		header    http.Header
		status    int
		bodyHas   string
		forwarded bool
	}{
		{"missing", nil, 401, "X-Hook-Signature header is missing", false},
		{"wrong", http.Header{"X-Hook-Signature": {wrong}}, 401, "does not match", false},
		{"malformed", http.Header{"X-Hook-Signature": {"zz"}}, 401, "not 64 hexadecimal", false},
		{"current secret", http.Header{"X-Hook-Signature": {good}}, 200, "", true},
		{"previous secret during rotation", http.Header{"X-Hook-Signature": {byOld}}, 200, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newApp(t, nil)
			url, evs := relay(t, Config{ForwardTo: a.URL, Signature: signature.Config{
				Scheme: signature.HMACHex, Secrets: []string{newSecret, oldSecret},
			}})
			status, _, got := post(t, url, tc.header, body)
			if status != tc.status || !strings.Contains(string(got), tc.bodyHas) {
				t.Fatalf("answer %d %q; want %d containing %q", status, got, tc.status, tc.bodyHas)
			}
			if forwarded := len(a.received()) == 1; forwarded != tc.forwarded {
				t.Fatalf("forwarded = %v, want %v", forwarded, tc.forwarded)
			}
			ev := evs.last(t)
			if !tc.forwarded && ev.Kind != KindRejected {
				t.Fatalf("event kind %q, want rejected", ev.Kind)
			}
			// Never the expected signature, never a secret.
			for _, leak := range []string{good, byOld, newSecret, oldSecret} {
				if strings.Contains(string(got), leak) || strings.Contains(ev.Reason, leak) {
					t.Fatalf("answer or reason leaks %q", leak)
				}
			}
		})
	}
}

func TestStandardWebhooksSignature(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	cfg := signature.Config{Scheme: signature.Standard, Secrets: []string{secret}}
	a := newApp(t, nil)
	url, _ := relay(t, Config{ForwardTo: a.URL, Signature: cfg, Now: fixedNow(now)})

	h := http.Header{}
	if err := cfg.Sign(h, "msg_1", now, []byte(delivery)); err != nil {
		t.Fatal(err)
	}
	if status, _, body := post(t, url, h, []byte(delivery)); status != 200 {
		t.Fatalf("fresh standard signature: %d %q", status, body)
	}
	stale := h.Clone()
	stale.Set(signature.HeaderWebhookTimestamp, strconv.FormatInt(now.Add(-10*time.Minute).Unix(), 10))
	if status, _, body := post(t, url, stale, []byte(delivery)); status != 401 || !strings.Contains(string(body), "tolerance") {
		t.Fatalf("stale timestamp: %d %q; want 401 about the tolerance", status, body)
	}
	if n := len(a.received()); n != 1 {
		t.Fatalf("app received %d deliveries, want only the valid one", n)
	}
}

func TestBadSignatureConfigIsRefused(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{Signature: signature.Config{Scheme: signature.HMACHex}}); err == nil {
		t.Fatal("hmac-hex without a secret was accepted")
	}
}
