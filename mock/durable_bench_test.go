package mock_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/testkit"
)

// createHooks creates n hooks from `clients` concurrent clients on a fresh mock built with
// opts, each hook answering the handshake at once, and returns the time the calls took.
func createHooks(b *testing.B, n, clients int, opts ...mock.Option) time.Duration {
	rc := httptest.NewServer(http.HandlerFunc(echo))
	defer rc.Close()
	m, err := mock.New(opts...)
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	srv := httptest.NewServer(m)
	defer srv.Close()
	body := `{"eventKey":"contact.add","hookUrl":"` + rc.URL + `/hooks"}`
	header := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer dev"}}
	load := testkit.Load{Client: srv.Client(), URL: srv.URL + "/crm/rest/v1/hooks", Header: header, Body: []byte(body), Workers: clients, Want: http.StatusOK}
	spent := load.Send(b, n)
	if len(mustList(b, srv.URL)) != n {
		b.Fatalf("the mock does not hold the %d hooks it created", n)
	}
	return spent
}

func mustList(b *testing.B, base string) []keap.RestHook {
	var hooks []keap.RestHook
	req, _ := http.NewRequest("GET", base+"/crm/rest/v1/hooks", nil)
	req.Header.Set("Authorization", "Bearer dev")
	resp, err := testClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&hooks); err != nil {
		b.Fatal(err)
	}
	return hooks
}

// BenchmarkHookCreations creates 1,000 hooks from 16 concurrent clients, each call waiting
// for its handshake and, with a data directory, for its save to be written (the default
// --data-sync: it survives the mock being killed); with --data and in memory, three times
// each back to back, and reports the durable rate as a ratio of the in-memory one (the
// median of the three pairs). Beside it: the same with --data-sync commit, where each call
// also waits for the disk, and one client creating hooks one after another.
func BenchmarkHookCreations(b *testing.B) {
	const n, clients = 1000, 16
	var ratios, durable, memory, synced []float64
	var sequential float64
	for b.Loop() {
		for range 3 {
			mem := createHooks(b, n, clients).Seconds()
			dur := createHooks(b, n, clients, mock.WithDataDir(b.TempDir())).Seconds()
			sync := createHooks(b, n, clients, mock.WithDataDir(b.TempDir()), mock.WithDataSync(0)).Seconds()
			memory, durable, ratios = append(memory, n/mem), append(durable, n/dur), append(ratios, mem/dur)
			synced = append(synced, mem/sync)
		}
		mem := createHooks(b, n, 1).Seconds()
		sequential = mem / createHooks(b, n, 1, mock.WithDataDir(b.TempDir())).Seconds()
	}
	b.ReportMetric(median(durable), "durable_creations/s")
	b.ReportMetric(median(memory), "memory_creations/s")
	b.ReportMetric(median(ratios), "ratio")
	b.ReportMetric(median(synced), "commit_sync_ratio")
	b.ReportMetric(sequential, "sequential_ratio")
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
