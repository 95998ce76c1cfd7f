package signature

import (
	"bytes"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// wrapsOneSentinel reports whether err wraps exactly one of the four failure kinds, the
// contract callers branch on.
func wrapsOneSentinel(err error) bool {
	n := 0
	for _, s := range []error{ErrMissing, ErrMismatch, ErrStale, ErrMalformed} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n == 1
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("s3cr3t"), "msg_1", int64(1772366400), []byte(`{"id":1}`), "v1,AAAA", "1772366400", "msg_1", "")
	f.Add([]byte("0123456789abcdefghijklmn"), publishedID, int64(publishedTS), []byte(publishedBody),
		publishedSig, "1614265330", publishedID, strings.Repeat("ab", 32))
	f.Add([]byte{0}, "", int64(-1), []byte{}, "", "", "", "")
	f.Add([]byte("k"), "msg é\n", int64(1<<62), []byte("Zoë 東京"), "v1a,x v1, ,,", "+12", " ", "zz")
	f.Add([]byte("k"), "m", int64(-1<<63), []byte("x"), "v1,"+strings.Repeat("A", 44), "-9223372036854775808", "m", "0x")
	f.Fuzz(func(t *testing.T, secret []byte, msgID string, ts int64, body []byte, sigHdr, tsHdr, idHdr, hexHdr string) {
		if len(secret) == 0 {
			secret = []byte{0}
		}
		hc := Config{Scheme: HMACHex, Secrets: []string{string(secret)}}
		sc := Config{Scheme: Standard, Secrets: []string{"whsec_" + base64.StdEncoding.EncodeToString(secret)}}
		now := time.Unix(ts, 0)

		// Arbitrary headers: no panic, and any failure is one of the documented kinds.
		arbitrary := http.Header{}
		arbitrary.Set(DefaultHMACHeader, hexHdr)
		arbitrary.Set(HeaderWebhookSignature, sigHdr)
		arbitrary.Set(HeaderWebhookTimestamp, tsHdr)
		arbitrary.Set(HeaderWebhookID, idHdr)
		for _, c := range []Config{hc, sc} {
			if err := c.Verify(arbitrary, body, now); err != nil && !wrapsOneSentinel(err) {
				t.Fatalf("%s: Verify error %q wraps no single sentinel", c.Scheme, err)
			}
		}

		// Sign then Verify always passes.
		id := msgID
		if checkMsgID(id) != nil {
			id = "msg_fuzz"
		}
		for _, c := range []Config{hc, sc} {
			h := http.Header{}
			if err := c.Sign(h, id, now, body); err != nil {
				t.Fatalf("%s: Sign: %v", c.Scheme, err)
			}
			if err := c.Verify(h, body, now); err != nil {
				t.Fatalf("%s: Verify after Sign: %v", c.Scheme, err)
			}
			if len(body) > 0 {
				if err := c.Verify(h, body[:len(body)-1], now); !errors.Is(err, ErrMismatch) {
					t.Fatalf("%s: truncated body: Verify = %v, want ErrMismatch", c.Scheme, err)
				}
			}
		}
	})
}

func FuzzParseStandardSecret(f *testing.F) {
	for _, s := range []string{
		publishedSecret, secretA, "MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u", "whsec_YWI", "",
		"whsec_", "whsec_====", " whsec_YWJj\n", "whsec_whsec_YWJj", "whsec_a\nb\rc", strings.Repeat("A", 1000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := ParseStandardSecret(s)
		if err != nil {
			if key != nil {
				t.Fatalf("error %v with a key %x", err, key)
			}
		} else {
			if len(key) == 0 {
				t.Fatal("accepted a secret with an empty key")
			}
			// Whatever was accepted must survive being written back in canonical form.
			again, err := ParseStandardSecret("whsec_" + base64.StdEncoding.EncodeToString(key))
			if err != nil || !bytes.Equal(again, key) {
				t.Fatalf("canonical form does not round-trip: %x, %v", again, err)
			}
		}
		if len(s) >= newSecretBytes {
			fresh, err := NewStandardSecret(strings.NewReader(s))
			if err != nil {
				t.Fatalf("NewStandardSecret: %v", err)
			}
			if key, err := ParseStandardSecret(fresh); err != nil || string(key) != s[:newSecretBytes] {
				t.Fatalf("NewStandardSecret output does not parse back to its bytes: %x, %v", key, err)
			}
		}
	})
}
