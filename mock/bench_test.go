package mock_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/testkit"
)

// The two servers take turns, rounds of apiBatch requests each, so both see the same load
// from whatever else the machine is doing; thirty pairs make the median steady enough on a
// shared machine (ten gave 0.3 to 0.8 for the same build under load).
const (
	apiRounds  = 30
	apiBatch   = 400
	apiWorkers = 4
)

// contactBody is what a client sends to create a contact, as Keap's own examples do.
var contactBody = []byte(`{"given_name":"Ada","family_name":"Lovelace","email_addresses":[{"email":"ada@example.com","field":"EMAIL1"}],` +
	`"phone_numbers":[{"number":"555-0100","field":"PHONE1"}],"addresses":[{"line1":"1 Main St","locality":"Springfield","field":"BILLING"}]}`)

// BenchmarkCreateContact measures POST /crm/rest/v1/contacts on a mock served over loopback,
// logging at info level as `keaphook mock` does, against a trivial Go handler that reads
// the same body and answers 201 with a small JSON object, at the same concurrency in the same
// run. The ratio is the figure (the median of the rounds'): 1 would mean the mock costs
// nothing over net/http.
func BenchmarkCreateContact(b *testing.B) {
	m, err := mock.New(mock.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), mock.WithSeedData())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	mockSrv := httptest.NewServer(m)
	b.Cleanup(mockSrv.Close)
	trivial := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"id":1}`)
	}))
	b.Cleanup(trivial.Close)
	mockClient, trivialClient := benchClient(b), benchClient(b)
	var mockTime, baseTime time.Duration
	var ratios []float64
	for b.Loop() {
		for range apiRounds {
			m := postMany(b, mockClient, mockSrv.URL+"/crm/rest/v1/contacts", apiBatch)
			t := postMany(b, trivialClient, trivial.URL+"/crm/rest/v1/contacts", apiBatch)
			mockTime, baseTime = mockTime+m, baseTime+t
			ratios = append(ratios, t.Seconds()/m.Seconds())
		}
	}
	mockPS := float64(apiRounds*apiBatch*b.N) / mockTime.Seconds()
	basePS := float64(apiRounds*apiBatch*b.N) / baseTime.Seconds()
	b.ReportMetric(mockPS, "mock_creates/s")
	b.ReportMetric(basePS, "trivial_creates/s")
	// The median of the rounds' ratios: a round pair sees the same load, and the median
	// keeps one round that another process starved from deciding the figure.
	slices.Sort(ratios)
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
}

// benchClient keeps one connection per worker open across rounds, so no round pays for
// connecting.
func benchClient(b *testing.B) *http.Client {
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: apiWorkers}}
	b.Cleanup(c.CloseIdleConnections)
	return c
}

// postMany POSTs contactBody n times with apiWorkers goroutines and checks every answer is 201.
func postMany(b *testing.B, client *http.Client, url string, n int) time.Duration {
	header := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer bench-token"}}
	load := testkit.Load{Client: client, URL: url, Header: header, Body: contactBody, Workers: apiWorkers, Want: http.StatusCreated}
	return load.Send(b, n)
}
