package signature

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Receivers log verification errors, so an error that quoted the expected signature would
// hand an attacker a forgery, and one that quoted a secret would leak it outright.
func TestErrorsNeverRevealSecretsOrExpectedSignatures(t *testing.T) {
	t.Parallel()
	hmacSecret := "hmac-secret-value"
	stdKey := []byte("0123456789abcdefghijklmn")
	secrets := []string{hmacSecret, secretA, strings.TrimPrefix(secretA, "whsec_"), string(stdKey)}
	expected := []string{
		HexHMAC([]byte(hmacSecret), testBody),
		strings.TrimPrefix(StandardSignature(stdKey, "msg_1", signedAt.Unix(), testBody), "v1,"),
	}
	forbidden := append(secrets, expected...)

	var errs []error
	hc := Config{Scheme: HMACHex, Secrets: []string{hmacSecret}}
	sc := Config{Scheme: Standard, Secrets: []string{secretA}}
	for _, hv := range []string{"", "zz", strings.Repeat("0", 64), strings.ToUpper(expected[0][:63])} {
		errs = append(errs, hc.Verify(http.Header{DefaultHMACHeader: {hv}}, testBody, signedAt))
	}
	errs = append(errs, hc.Verify(http.Header{}, testBody, signedAt))

	good := http.Header{}
	if err := sc.Sign(good, "msg_1", signedAt, testBody); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []string{"", "v1,AAAA", "v1,!!", "v1a,xyz", "nocomma"} {
		h := good.Clone()
		h.Set(HeaderWebhookSignature, sig)
		errs = append(errs, sc.Verify(h, testBody, signedAt))
	}
	errs = append(errs,
		sc.Verify(good, []byte("tampered"), signedAt),
		sc.Verify(good, testBody, signedAt.Add(time.Hour)),
		(Config{Scheme: Standard, Secrets: []string{"whsec_" + hmacSecret + "%"}}).Validate(),
		(Config{Scheme: Standard, Secrets: []string{secretA, hmacSecret + "!"}}).Verify(good, testBody, signedAt),
	)
	_, perr := ParseStandardSecret("whsec_" + hmacSecret + "*")
	errs = append(errs, perr)

	for i, err := range errs {
		if err == nil {
			t.Errorf("case %d: expected an error, got nil", i)
			continue
		}
		msg := err.Error()
		for _, f := range forbidden {
			if strings.Contains(msg, f) {
				t.Errorf("case %d: error %q reveals %q", i, msg, f)
			}
		}
		// Also catch a partial leak of the base64 expected signature.
		if strings.Contains(msg, expected[1][:12]) || strings.Contains(msg, base64.StdEncoding.EncodeToString(stdKey)[:12]) {
			t.Errorf("case %d: error %q reveals part of a secret or signature", i, msg)
		}
	}
}
