package contract_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/keaphook/keaphook/mock/contract"
	"github.com/keaphook/keaphook/mock/keap"
)

// A receiver that does what Keap needs: echo the handshake secret, answer every delivery 200
// at once. The suite passes it; the checks that need --sign or --load are skipped.
func Example() {
	receiver := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if secret := r.Header.Get(keap.HeaderHookSecret); secret != "" {
			w.Header().Set(keap.HeaderHookSecret, secret)
			return
		}
		io.Copy(io.Discard, r.Body) // a real app would queue the body for processing
	})
	srv := httptest.NewServer(receiver)
	defer srv.Close()

	report := contract.Run(context.Background(), contract.Config{URL: srv.URL, Client: srv.Client()})
	for _, res := range report.Results {
		fmt.Printf("%-7s %s\n", res.Status, res.Name)
	}
	fmt.Println("failed:", report.Failed())
	// Output:
	// passed  handshake-echo
	// passed  handshake-fresh-secret
	// passed  handshake-not-processed
	// passed  delivery-accepted
	// passed  batch-1000
	// passed  duplicate-tolerated
	// passed  out-of-order
	// passed  unknown-event-key
	// passed  empty-apiUrl
	// skipped signature-required
	// skipped stale-timestamp-rejected
	// skipped load
	// passed  no-accidental-410
	// failed: false
}
