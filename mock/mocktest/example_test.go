package mocktest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/mocktest"
)

// The receiver under test: it answers the handshake and acknowledges deliveries.
func receiver(got chan<- string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if secret := r.Header.Get(keap.HeaderHookSecret); secret != "" {
			w.Header().Set(keap.HeaderHookSecret, secret)
			return
		}
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	})
}

// In a test, mocktest.NewServer(t, ...) does the same and closes the mock when the test ends.
func Example() {
	keapMock, err := mocktest.Start(mock.WithTiming(delivery.TimingVirtual))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer keapMock.Close()
	got := make(chan string, 1)
	app := httptest.NewServer(receiver(got))
	defer app.Close()

	// Subscribe the app, as it would on api.infusionsoft.com.
	body := `{"eventKey":"contact.add","hookUrl":"` + app.URL + `"}`
	resp, err := keapMock.Client().Post(keapMock.APIURL+"/v1/hooks", "application/json", strings.NewReader(body))
	if err != nil {
		fmt.Println(err)
		return
	}
	hook, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(strings.Contains(string(hook), `"status":"Verified"`))

	// A contact is added; Keap delivers within a minute.
	keapMock.Mock.Emit("contact.add", 42)
	keapMock.Mock.Engine().Advance(context.Background(), time.Minute)
	fmt.Println(strings.Contains(<-got, `"event_key":"contact.add"`))
	fmt.Println(keapMock.Deliveries()[0].State)
	// Output:
	// true
	// true
	// Delivered
}
