package contract

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock/signature"
)

var (
	hmacSigning     = signature.Config{Scheme: signature.HMACHex, Secrets: []string{"s3cr3t"}}
	standardSigning = signature.Config{Scheme: signature.Standard, Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
)

// verdicts maps check names to statuses: every check passes, the signature and load checks
// are skipped (they are opt-in), and changes overrides some.
func verdicts(changes map[string]Status) map[string]Status {
	m := map[string]Status{}
	for _, name := range Checks() {
		m[name] = Passed
	}
	m[CheckSignatureRequired], m[CheckStaleTimestamp], m[CheckLoad] = Skipped, Skipped, Skipped
	delete(m, CheckTLSValid) // these receivers speak plain http, where tls-valid does not run
	for name, s := range changes {
		m[name] = s
	}
	return m
}

func statuses(rep Report) map[string]Status {
	m := map[string]Status{}
	for _, res := range rep.Results {
		m[res.Name] = res.Status
	}
	return m
}

// deliveryChecks are the checks that send valid deliveries and judge their answers.
var deliveryChecks = []string{CheckDeliveryAccepted, CheckBatch1000, CheckDuplicate, CheckOutOfOrder, CheckUnknownEventKey, CheckEmptyAPIURL}

func all(s Status, names ...string) map[string]Status {
	m := map[string]Status{}
	for _, n := range names {
		m[n] = s
	}
	return m
}

func with(m map[string]Status, name string, s Status) map[string]Status {
	m[name] = s
	return m
}

// TestBadReceiverMatrix is the acceptance test of the suite: each receiver has one fault, and
// the suite must fail exactly the checks that fault breaks, and no other.
func TestBadReceiverMatrix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		rc      *receiver
		signing signature.Config
		want    map[string]Status
	}{
		{"good", &receiver{}, signature.Config{}, verdicts(nil)},
		{"forgets the echo", &receiver{noEcho: true}, signature.Config{},
			verdicts(all(Failed, CheckHandshakeEcho, CheckHandshakeFreshSecret))},
		{"caches the first secret", &receiver{cachesSecret: true}, signature.Config{},
			verdicts(all(Failed, CheckHandshakeFreshSecret))},
		{"parses the handshake as an event", &receiver{parsesHandshake: true}, signature.Config{},
			verdicts(all(Failed, CheckHandshakeEcho, CheckHandshakeFreshSecret, CheckHandshakeNotEvent))},
		{"too slow on batches", &receiver{slowOver: 100, slowBy: 31 * time.Second}, signature.Config{},
			verdicts(all(Failed, CheckBatch1000))},
		{"slowish on batches", &receiver{slowOver: 100, slowBy: 15 * time.Second}, signature.Config{},
			verdicts(all(Warned, CheckBatch1000))},
		{"500 on more than 100 ids", &receiver{failOver: 100}, signature.Config{},
			verdicts(all(Failed, CheckBatch1000))},
		{"410 on deliveries", &receiver{gone: true}, signature.Config{},
			verdicts(with(all(Failed, deliveryChecks...), CheckNo410, Failed))},
		{"rejects repeats", &receiver{rejectRepeat: true}, signature.Config{},
			verdicts(all(Failed, CheckDuplicate))},
		{"rejects older batches", &receiver{rejectOlder: true}, signature.Config{},
			verdicts(all(Failed, CheckOutOfOrder))},
		{"500 on unknown event keys", &receiver{failUnknownKey: true}, signature.Config{},
			verdicts(all(Failed, CheckUnknownEventKey))},
		{"500 on empty apiUrl", &receiver{failEmptyAPIURL: true}, signature.Config{},
			verdicts(all(Failed, CheckEmptyAPIURL))},
		{"redirects deliveries", &receiver{redirect: true}, signature.Config{},
			verdicts(all(Warned, deliveryChecks...))},
		{"good, hmac-hex", &receiver{sig: hmacSigning}, hmacSigning,
			verdicts(all(Passed, CheckSignatureRequired))},
		{"good, standard", &receiver{sig: standardSigning}, standardSigning,
			verdicts(all(Passed, CheckSignatureRequired, CheckStaleTimestamp))},
		{"accepts bad signatures, hmac-hex", &receiver{}, hmacSigning,
			verdicts(all(Failed, CheckSignatureRequired))},
		{"accepts bad signatures, standard", &receiver{}, standardSigning,
			verdicts(all(Failed, CheckSignatureRequired, CheckStaleTimestamp))},
		{"accepts stale timestamps", &receiver{sig: lenient(standardSigning)}, standardSigning,
			verdicts(with(all(Failed, CheckStaleTimestamp), CheckSignatureRequired, Passed))},
		{"verifies with another secret", &receiver{sig: signature.Config{Scheme: signature.HMACHex, Secrets: []string{"other"}}}, hmacSigning,
			verdicts(with(all(Failed, deliveryChecks...), CheckSignatureRequired, Failed))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := serve(t, tt.rc)
			cfg.Signing = tt.signing
			// A slow answer moves the fake clock every check shares: checks running at the
			// same time would all look slow, so these run one after another.
			cfg.Serial = tt.rc.slowOver > 0
			rep := Run(context.Background(), cfg)
			if diff := cmp.Diff(tt.want, statuses(rep)); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s\n%s", diff, dump(rep))
			}
			if got, want := rep.Failed(), rep.Count(Failed) > 0; got != want {
				t.Errorf("Failed() = %v with %d failed checks", got, rep.Count(Failed))
			}
			for _, res := range rep.Results {
				if res.Message == "" || (res.Status == Failed && res.Fix == "") {
					t.Errorf("%s (%s): message %q, fix %q: every verdict needs a sentence, every failure a fix", res.Name, res.Status, res.Message, res.Fix)
				}
			}
		})
	}
}

// lenient verifies signatures but accepts any timestamp.
func lenient(c signature.Config) signature.Config {
	c.Tolerance = 100 * 365 * 24 * time.Hour
	return c
}

func dump(rep Report) string {
	var b strings.Builder
	for _, res := range rep.Results {
		b.WriteString(res.Status.String() + " " + res.Name + ": " + res.Message + "\n")
	}
	return b.String()
}
