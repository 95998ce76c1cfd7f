package signature

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// StandardSignature returns the Standard Webhooks v1 signature of a message:
// "v1," + base64(HMAC-SHA256(key, "{msgID}.{ts}.{body}")).
func StandardSignature(key []byte, msgID string, ts int64, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(standardMAC(key, msgID, ts, body))
}

func standardMAC(key []byte, msgID string, ts int64, body []byte) []byte {
	return hmacSHA256(key, []byte(msgID), []byte("."), []byte(strconv.FormatInt(ts, 10)), []byte("."), body)
}

// signStandard signs with every key so that a receiver holding either the old or the new
// secret accepts the delivery while secrets rotate.
func signStandard(h http.Header, keys [][]byte, msgID string, now time.Time, body []byte) error {
	if err := checkMsgID(msgID); err != nil {
		return err
	}
	ts := now.Unix()
	sigs := make([]string, len(keys))
	for i, key := range keys {
		sigs[i] = StandardSignature(key, msgID, ts, body)
	}
	h.Set(HeaderWebhookID, msgID)
	h.Set(HeaderWebhookTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderWebhookSignature, strings.Join(sigs, " "))
	return nil
}

// errEmptyID is returned by Sign: Standard Webhooks needs an id receivers can deduplicate on.
var errEmptyID = errors.New("signature: standard signing needs a non-empty message id")

// checkMsgID allows visible ASCII only: the id is signed byte for byte, and HTTP trims
// surrounding space and mangles control or non-ASCII bytes, which would break the signature
// in transit rather than here where the cause is plain.
func checkMsgID(msgID string) error {
	if msgID == "" {
		return errEmptyID
	}
	for i := 0; i < len(msgID); i++ {
		if msgID[i] < 0x21 || msgID[i] > 0x7e {
			return fmt.Errorf("signature: message id has a byte 0x%02x at %d; only visible ASCII is allowed", msgID[i], i)
		}
	}
	return nil
}

// verifyStandard follows the Standard Webhooks order: headers present, timestamp fresh,
// then any v1 signature matching any of the keys decoded from the secrets.
func (c Config) verifyStandard(h http.Header, keys [][]byte, body []byte, now time.Time) error {
	msgID, rawTS, sigHeader, err := standardHeaders(h)
	if err != nil {
		return err
	}
	ts, perr := strconv.ParseInt(strings.TrimSpace(rawTS), 10, 64)
	if perr != nil {
		return fail(ErrMalformed, fmt.Sprintf("%s header is not a whole number of Unix seconds", HeaderWebhookTimestamp))
	}
	if err := checkFresh(ts, now, c.tolerance()); err != nil {
		return err
	}
	candidates, err := v1Signatures(sigHeader)
	if err != nil {
		return err
	}
	for _, key := range keys {
		want := standardMAC(key, msgID, ts, body)
		for _, got := range candidates {
			if hmac.Equal(got, want) {
				return nil
			}
		}
	}
	return fail(ErrMismatch, fmt.Sprintf(
		"none of the %d v1 signature(s) in %s matches the message signed with any of the %d configured secret(s)",
		len(candidates), HeaderWebhookSignature, len(keys)))
}

// standardHeaders reads the three headers. Repeated webhook-signature headers are joined,
// since a proxy may split one space-separated list into several.
func standardHeaders(h http.Header) (msgID, ts, sigs string, err error) {
	msgID, ts = h.Get(HeaderWebhookID), h.Get(HeaderWebhookTimestamp)
	sigs = strings.Join(h.Values(HeaderWebhookSignature), " ")
	for _, f := range []struct{ name, value string }{
		{HeaderWebhookID, msgID}, {HeaderWebhookTimestamp, ts}, {HeaderWebhookSignature, sigs},
	} {
		if strings.TrimSpace(f.value) == "" {
			return "", "", "", fail(ErrMissing, fmt.Sprintf("%s header is missing or empty", f.name))
		}
	}
	return msgID, ts, sigs, nil
}

// checkFresh rejects a timestamp more than tol from now, in whole seconds as the header
// carries them. The distance is computed in uint64 so that absurd timestamps cannot
// overflow into looking fresh.
func checkFresh(ts int64, now time.Time, tol time.Duration) error {
	n := now.Unix()
	var apart uint64
	direction := "in the past"
	if ts >= n {
		apart, direction = uint64(ts)-uint64(n), "in the future"
	} else {
		apart = uint64(n) - uint64(ts)
	}
	if apart <= uint64(tol/time.Second) {
		return nil
	}
	return fail(ErrStale, fmt.Sprintf("%s %d is %s %s (tolerance %s)",
		HeaderWebhookTimestamp, ts, describeSeconds(apart), direction, tol))
}

func describeSeconds(s uint64) string {
	if s > uint64(math.MaxInt64/int64(time.Second)) {
		return "centuries"
	}
	return (time.Duration(s) * time.Second).String()
}

// v1Signatures decodes the v1 entries of a webhook-signature value. Entries of other
// versions are ignored, as the specification asks, so a header with none of ours is
// treated as missing; a header whose entries cannot be read at all is malformed.
func v1Signatures(header string) ([][]byte, error) {
	var found [][]byte
	malformed := 0
	for _, entry := range strings.Fields(header) {
		version, value, ok := strings.Cut(entry, ",")
		if !ok || version == "" {
			malformed++
			continue
		}
		if version != "v1" {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(sig) == 0 {
			malformed++
			continue
		}
		found = append(found, sig)
	}
	switch {
	case len(found) > 0:
		return found, nil
	case malformed > 0:
		return nil, fail(ErrMalformed, fmt.Sprintf(
			"%s header has no readable v1 entry (want space-separated \"v1,<base64>\")", HeaderWebhookSignature))
	default:
		return nil, fail(ErrMissing, fmt.Sprintf(
			"%s header has no v1 signature (entries of other versions are ignored)", HeaderWebhookSignature))
	}
}
