package signature

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// The test vector published by Standard Webhooks; every compliant library reproduces it.
const (
	publishedSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	publishedID     = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	publishedTS     = 1614265330
	publishedBody   = `{"test": 2432232314}`
	publishedSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestStandardPublishedVector(t *testing.T) {
	t.Parallel()
	key, err := ParseStandardSecret(publishedSecret)
	if err != nil {
		t.Fatalf("ParseStandardSecret: %v", err)
	}
	if got := StandardSignature(key, publishedID, publishedTS, []byte(publishedBody)); got != publishedSig {
		t.Errorf("StandardSignature = %q, want %q", got, publishedSig)
	}

	c := Config{Scheme: Standard, Secrets: []string{publishedSecret}}
	now := time.Unix(publishedTS, 0)
	h := http.Header{}
	if err := c.Sign(h, publishedID, now, []byte(publishedBody)); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	want := map[string]string{
		HeaderWebhookID:        publishedID,
		HeaderWebhookTimestamp: "1614265330",
		HeaderWebhookSignature: publishedSig,
	}
	for name, v := range want {
		if got := h.Get(name); got != v {
			t.Errorf("Sign set %s = %q, want %q", name, got, v)
		}
	}
	if err := c.Verify(h, []byte(publishedBody), now); err != nil {
		t.Errorf("Verify of the published vector: %v", err)
	}
}

func TestParseStandardSecret(t *testing.T) {
	t.Parallel()
	want := []byte("0123456789abcdefghijklmn")
	for _, s := range []string{
		"whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u",
		"MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u",
		"  whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u\n",
	} {
		got, err := ParseStandardSecret(s)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("ParseStandardSecret(%q) = %q, %v; want %q", s, got, err, want)
		}
	}
	// Unpadded base64 of a key whose length is not a multiple of 3.
	if got, err := ParseStandardSecret("whsec_YWI"); err != nil || string(got) != "ab" {
		t.Errorf("unpadded: got %q, %v; want \"ab\"", got, err)
	}
	for _, bad := range []string{"", "whsec_", "   ", "whsec_not base64!", "whsec_****", "whsec_===="} {
		if key, err := ParseStandardSecret(bad); err == nil {
			t.Errorf("ParseStandardSecret(%q) = %q, want an error", bad, key)
		}
	}
}

func TestNewStandardSecret(t *testing.T) {
	t.Parallel()
	seed := bytes.Repeat([]byte{7}, 24)
	s, err := NewStandardSecret(bytes.NewReader(seed))
	if err != nil {
		t.Fatalf("NewStandardSecret: %v", err)
	}
	if !strings.HasPrefix(s, "whsec_") {
		t.Errorf("secret %q lacks the whsec_ prefix", s)
	}
	key, err := ParseStandardSecret(s)
	if err != nil || !bytes.Equal(key, seed) {
		t.Errorf("round trip: key %x, %v; want the 24 bytes read", key, err)
	}
	if err := (Config{Scheme: Standard, Secrets: []string{s}}).Validate(); err != nil {
		t.Errorf("a new secret fails Validate: %v", err)
	}

	short := bytes.NewReader(make([]byte, 10))
	if _, err := NewStandardSecret(short); err == nil {
		t.Error("NewStandardSecret with 10 bytes of randomness succeeded, want an error")
	}
	boom := errors.New("entropy gone")
	if _, err := NewStandardSecret(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("reader error not wrapped: %v", err)
	}
}

func TestStandardSignsWithEverySecret(t *testing.T) {
	t.Parallel()
	secrets := []string{"whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u", publishedSecret}
	c := Config{Scheme: Standard, Secrets: secrets}
	h := http.Header{}
	if err := c.Sign(h, publishedID, time.Unix(publishedTS, 0), []byte(publishedBody)); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	entries := strings.Split(h.Get(HeaderWebhookSignature), " ")
	if len(entries) != 2 || entries[1] != publishedSig {
		t.Errorf("webhook-signature = %q, want two entries, the second %q", entries, publishedSig)
	}
}

func TestStandardSignRejectsBadMessageID(t *testing.T) {
	t.Parallel()
	c := Config{Scheme: Standard, Secrets: []string{publishedSecret}}
	for _, id := range []string{"", "msg 1", " msg", "msg\n", "msg\x00", "msg_é"} {
		h := http.Header{}
		if err := c.Sign(h, id, time.Unix(publishedTS, 0), nil); err == nil {
			t.Errorf("Sign with id %q succeeded, want an error", id)
		}
		if len(h) != 0 {
			t.Errorf("Sign with id %q set headers %v after failing", id, h)
		}
	}
}
