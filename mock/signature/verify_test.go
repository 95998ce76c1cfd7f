package signature

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	secretA = "whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u" // key "0123456789abcdefghijklmn"
	secretB = publishedSecret
)

var (
	signedAt = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testBody = []byte(`{"event_key":"contact.edit","object_keys":[{"apiUrl":"","id":42,"timestamp":"2026-03-01T12:00:00.000Z"}]}`)
)

// verifyCase describes one delivery as it reaches a receiver.
type verifyCase struct {
	name     string
	signer   Config              // how the sender signed
	verifier Config              // how the receiver verifies
	edit     func(h http.Header) // what happened to the headers in transit
	body     []byte              // body as received; nil means testBody
	at       time.Time           // receiver's clock; zero means signedAt
	want     error               // nil or a sentinel
}

func (vc verifyCase) run(t *testing.T) {
	t.Helper()
	h := http.Header{}
	if err := vc.signer.Sign(h, "msg_1", signedAt, testBody); err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if vc.edit != nil {
		vc.edit(h)
	}
	body, at := vc.body, vc.at
	if body == nil {
		body = testBody
	}
	if at.IsZero() {
		at = signedAt
	}
	err := vc.verifier.Verify(h, body, at)
	if vc.want == nil && err != nil {
		t.Errorf("Verify = %v, want success", err)
	}
	if vc.want != nil && !errors.Is(err, vc.want) {
		t.Errorf("Verify = %v, want an error wrapping %q", err, vc.want)
	}
}

func TestVerifyStandard(t *testing.T) {
	t.Parallel()
	a := Config{Scheme: Standard, Secrets: []string{secretA}}
	b := Config{Scheme: Standard, Secrets: []string{secretB}}
	both := Config{Scheme: Standard, Secrets: []string{secretB, secretA}}
	set := func(name, v string) func(http.Header) { return func(h http.Header) { h.Set(name, v) } }
	del := func(name string) func(http.Header) { return func(h http.Header) { h.Del(name) } }
	goodSig := StandardSignature([]byte("0123456789abcdefghijklmn"), "msg_1", signedAt.Unix(), testBody)

	cases := []verifyCase{
		{name: "right", signer: a, verifier: a},
		{name: "wrong secret", signer: a, verifier: b, want: ErrMismatch},
		{name: "tampered body", signer: a, verifier: a, body: []byte(strings.Replace(string(testBody), "42", "43", 1)), want: ErrMismatch},
		{name: "truncated body", signer: a, verifier: a, body: testBody[:len(testBody)-1], want: ErrMismatch},
		{name: "empty body", signer: a, verifier: a, body: []byte{}, want: ErrMismatch},
		{name: "tampered id", signer: a, verifier: a, edit: set(HeaderWebhookID, "msg_2"), want: ErrMismatch},
		{name: "tampered timestamp", signer: a, verifier: a, edit: set(HeaderWebhookTimestamp, "1772366401"), want: ErrMismatch},
		{name: "missing signature", signer: a, verifier: a, edit: del(HeaderWebhookSignature), want: ErrMissing},
		{name: "empty signature", signer: a, verifier: a, edit: set(HeaderWebhookSignature, "  "), want: ErrMissing},
		{name: "missing id", signer: a, verifier: a, edit: del(HeaderWebhookID), want: ErrMissing},
		{name: "missing timestamp", signer: a, verifier: a, edit: del(HeaderWebhookTimestamp), want: ErrMissing},
		{name: "unsigned", signer: Config{}, verifier: a, want: ErrMissing},
		{name: "timestamp not a number", signer: a, verifier: a, edit: set(HeaderWebhookTimestamp, "2026-03-01T12:00:00Z"), want: ErrMalformed},
		{name: "timestamp in milliseconds", signer: a, verifier: a, edit: set(HeaderWebhookTimestamp, "1772366400000"), want: ErrStale},
		{name: "signature without version", signer: a, verifier: a, edit: set(HeaderWebhookSignature, strings.TrimPrefix(goodSig, "v1,")), want: ErrMalformed},
		{name: "signature not base64", signer: a, verifier: a, edit: set(HeaderWebhookSignature, "v1,not*base64"), want: ErrMalformed},
		{name: "v1 of the wrong value", signer: a, verifier: a, edit: set(HeaderWebhookSignature, "v1,AAAA"), want: ErrMismatch},
		{name: "stale past", signer: a, verifier: a, at: signedAt.Add(DefaultTolerance + time.Second), want: ErrStale},
		{name: "stale future", signer: a, verifier: a, at: signedAt.Add(-DefaultTolerance - time.Second), want: ErrStale},
		{name: "edge of tolerance past", signer: a, verifier: a, at: signedAt.Add(DefaultTolerance)},
		{name: "edge of tolerance future", signer: a, verifier: a, at: signedAt.Add(-DefaultTolerance)},
		{name: "custom tolerance", signer: a, verifier: Config{Scheme: Standard, Secrets: []string{secretA}, Tolerance: 10 * time.Second},
			at: signedAt.Add(11 * time.Second), want: ErrStale},
		{name: "stale and wrong reports stale", signer: a, verifier: b, at: signedAt.Add(time.Hour), want: ErrStale},
		{name: "rotation: old secret verifies", signer: a, verifier: both},
		{name: "rotation: new secret verifies", signer: b, verifier: both},
		{name: "rotation: both signatures, receiver knows one", signer: both, verifier: a},
		{name: "other version ignored", signer: a, verifier: a,
			edit: set(HeaderWebhookSignature, "v2,"+strings.TrimPrefix(goodSig, "v1,")+" "+goodSig)},
		{name: "only other versions", signer: a, verifier: a,
			edit: set(HeaderWebhookSignature, "v1a,"+strings.TrimPrefix(goodSig, "v1,")), want: ErrMissing},
		{name: "garbage entry beside a good one", signer: a, verifier: a, edit: set(HeaderWebhookSignature, "junk "+goodSig)},
		{name: "signatures split over two headers", signer: a, verifier: a,
			edit: func(h http.Header) { h.Set(HeaderWebhookSignature, "v1,AAAA"); h.Add(HeaderWebhookSignature, goodSig) }},
	}
	for _, vc := range cases {
		t.Run(vc.name, vc.run)
	}
}

func TestVerifyHMACHex(t *testing.T) {
	t.Parallel()
	c := Config{Scheme: HMACHex, Secrets: []string{"s3cr3t"}}
	other := Config{Scheme: HMACHex, Secrets: []string{"other"}}
	custom := Config{Scheme: HMACHex, Secrets: []string{"s3cr3t"}, Header: "X-HWR-SIGNATURE"}
	set := func(v string) func(http.Header) { return func(h http.Header) { h.Set(DefaultHMACHeader, v) } }
	good := HexHMAC([]byte("s3cr3t"), testBody)

	cases := []verifyCase{
		{name: "right", signer: c, verifier: c},
		{name: "custom header", signer: custom, verifier: custom},
		{name: "header name differs", signer: c, verifier: custom, want: ErrMissing},
		{name: "wrong secret", signer: c, verifier: other, want: ErrMismatch},
		{name: "tampered body", signer: c, verifier: c, body: []byte(strings.Replace(string(testBody), "edit", "add", 1)), want: ErrMismatch},
		{name: "truncated body", signer: c, verifier: c, body: testBody[:10], want: ErrMismatch},
		{name: "missing", signer: Config{}, verifier: c, want: ErrMissing},
		{name: "empty", signer: c, verifier: c, edit: set(""), want: ErrMissing},
		{name: "not hex", signer: c, verifier: c, edit: set(strings.Repeat("z", 64)), want: ErrMalformed},
		{name: "too short", signer: c, verifier: c, edit: set(good[:62]), want: ErrMalformed},
		{name: "prefixed", signer: c, verifier: c, edit: set("sha256=" + good), want: ErrMalformed},
		{name: "upper-case hex", signer: c, verifier: c, edit: set(strings.ToUpper(good))},
		{name: "surrounding space", signer: c, verifier: c, edit: set(" " + good + " ")},
		{name: "wrong value of the right shape", signer: c, verifier: c, edit: set(strings.Repeat("0", 64)), want: ErrMismatch},
		{name: "rotation: old secret verifies", signer: c, verifier: Config{Scheme: HMACHex, Secrets: []string{"new", "s3cr3t"}}},
		{name: "time does not matter", signer: c, verifier: c, at: signedAt.Add(24 * time.Hour)},
	}
	for _, vc := range cases {
		t.Run(vc.name, vc.run)
	}
}
