package receiver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
)

// BenchmarkRelayVsReverseProxy measures the relay against Go's httputil.ReverseProxy in
// front of the same app, in the same run, and reports p50 latency ratios (relay/proxy) for
// a 1,000-id batch (about 100 KB) and for Keap's two-id example, sequentially and with 8
// clients. Rounds alternate between the two so that load from elsewhere falls on both.
// scripts/bench.d/30-relay runs it with -benchtime 1x.
func BenchmarkRelayVsReverseProxy(b *testing.B) {
	appConns := &atomic.Int64{}
	// The app does what every Keap receiver does with a delivery: it decodes it.
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev keap.Event
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil || len(ev.ObjectKeys) == 0 {
			http.Error(w, "not a delivery", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	app.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			appConns.Add(1)
		}
	}
	app.Start()
	defer app.Close()

	target, _ := url.Parse(app.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	// The baseline gets a pool as large as the relay's, so the comparison is of the work per
	// request, not of Go's default of 2 idle connections per host.
	proxy.Transport = &http.Transport{MaxIdleConnsPerHost: DefaultForwardConns, MaxIdleConns: DefaultForwardConns}
	proxySrv := httptest.NewServer(proxy)
	defer proxySrv.Close()
	rv, err := New(Config{ForwardTo: app.URL + "/keap", Observe: func(Exchange) {}})
	if err != nil {
		b.Fatal(err)
	}
	relaySrv := httptest.NewServer(rv)
	defer relaySrv.Close()

	large, small := []byte(batchBody(1000)), []byte(delivery)
	for _, sc := range []struct {
		name    string
		body    []byte
		clients int
		perSide int
	}{
		{"large_seq", large, 1, 300},
		{"large_8", large, 8, 400},
		{"small_seq", small, 1, 3000}, // small figures are close together: more samples keep noise out of the ratio
		{"small_8", small, 8, 3200},
	} {
		before := appConns.Load()
		proxyP50, relayP50 := compareP50(b, proxySrv.URL+"/keap", relaySrv.URL+"/hooks/contact.add", sc.body, sc.clients, sc.perSide)
		b.ReportMetric(float64(relayP50)/float64(proxyP50), "ratio_"+sc.name)
		b.ReportMetric(float64(proxyP50.Microseconds())/1000, "proxy_ms_"+sc.name)
		b.ReportMetric(float64(relayP50.Microseconds())/1000, "relay_ms_"+sc.name)
		b.ReportMetric(float64(appConns.Load()-before), "app_conns_"+sc.name)
	}
}

// compareP50 sends perSide requests to each URL with the given number of clients, in
// alternating rounds, and returns each side's median latency.
func compareP50(b *testing.B, proxyURL, relayURL string, body []byte, clients, perSide int) (time.Duration, time.Duration) {
	const rounds = 10
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2 * clients, MaxIdleConns: 4 * clients}}
	defer client.CloseIdleConnections()
	measure(b, client, proxyURL, body, clients, clients*4) // warm both pools
	measure(b, client, relayURL, body, clients, clients*4)
	var proxyLat, relayLat []time.Duration
	for round := range rounds {
		first, second := &proxyLat, &relayLat
		firstURL, secondURL := proxyURL, relayURL
		if round%2 == 1 {
			first, second, firstURL, secondURL = second, first, secondURL, firstURL
		}
		*first = append(*first, measure(b, client, firstURL, body, clients, perSide/rounds)...)
		*second = append(*second, measure(b, client, secondURL, body, clients, perSide/rounds)...)
	}
	return median(proxyLat), median(relayLat)
}

// measure sends n requests from the given number of concurrent clients and returns each
// request's latency.
func measure(b *testing.B, client *http.Client, url string, body []byte, clients, n int) []time.Duration {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				start := time.Now()
				if err := postOnce(client, url, body); err != nil {
					b.Error(err)
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	return lat
}

func postOnce(client *http.Client, url string, body []byte) error {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d", url, resp.StatusCode)
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// batchBody is a Keap delivery of n ids, as the mock sends a full batch (n=1000: about 100 KB).
func batchBody(n int) string {
	keys := make([]string, n)
	for i := range keys {
		id := 100000 + n - i
		keys[i] = fmt.Sprintf(`{"apiUrl":"http://127.0.0.1:8080/crm/rest/v1/contacts/%d","id":%d,"timestamp":"2026-11-26T15:05:15Z"}`, id, id)
	}
	return `{"event_key":"contact.add","object_type":"contact","object_keys":[` + strings.Join(keys, ",") + `],"api_url":""}`
}
