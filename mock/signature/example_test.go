package signature_test

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
)

func Example() {
	cfg := signature.Config{
		Scheme:  signature.Standard,
		Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
	}
	body := []byte(`{"test": 2432232314}`)
	sentAt := time.Unix(1614265330, 0)

	// The sender signs the delivery...
	h := http.Header{}
	if err := cfg.Sign(h, "msg_p5jXN8AQM9LWM0D4loKWxJek", sentAt, body); err != nil {
		fmt.Println("sign:", err)
		return
	}
	fmt.Println(signature.HeaderWebhookSignature+":", h.Get(signature.HeaderWebhookSignature))

	// ...and the receiver, a few seconds later, checks it.
	fmt.Println("verify:", cfg.Verify(h, body, sentAt.Add(3*time.Second)))

	// A body changed in transit is refused, and the error says why without
	// revealing the signature that was expected.
	err := cfg.Verify(h, []byte(`{"test": 1}`), sentAt.Add(3*time.Second))
	fmt.Println("tampered:", errors.Is(err, signature.ErrMismatch))
	fmt.Println(err)

	// Output:
	// webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
	// verify: <nil>
	// tampered: true
	// signature: none of the 1 v1 signature(s) in webhook-signature matches the message signed with any of the 1 configured secret(s)
}

func ExampleConfig_Verify_hmacHex() {
	cfg := signature.Config{Scheme: signature.HMACHex, Secrets: []string{"s3cr3t"}}
	body := []byte(`{"event_key":"contact.add","object_keys":[{"id":5}]}`)

	h := http.Header{}
	h.Set(signature.DefaultHMACHeader, signature.HexHMAC([]byte("s3cr3t"), body))
	fmt.Println(cfg.Verify(h, body, time.Time{}))

	h.Del(signature.DefaultHMACHeader)
	err := cfg.Verify(h, body, time.Time{})
	fmt.Println(errors.Is(err, signature.ErrMissing), err)

	// Output:
	// <nil>
	// true signature: X-Hook-Signature header is missing
}
