package delivery

import (
	"context"
	"crypto/tls"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/localca"
)

// BenchmarkHTTPSThroughput compares the engine's POSTs per second to an HTTPS receiver with
// the same engine posting to a plain HTTP one, and counts the TLS connections it opened: the
// pool must keep them, or every delivery would pay for a handshake.
func BenchmarkHTTPSThroughput(b *testing.B) {
	const n = 5_000
	ca, err := localca.New(time.Now())
	if err != nil {
		b.Fatal(err)
	}
	plain, _ := countingServer(b, nil)
	cfg, err := ca.ServerConfig(time.Now(), "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	secure, conns := countingServer(b, cfg)
	var httpsTime, httpTime time.Duration
	for b.Loop() {
		httpsTime += deliverAll(b, secure.URL, NewHTTPClientTrusting(benchWorkers, ca.Pool()), n)
		httpTime += deliverAll(b, plain.URL, NewHTTPClient(benchWorkers), n)
	}
	b.ReportMetric(float64(n*b.N)/httpsTime.Seconds(), "https_posts/s")
	b.ReportMetric(float64(n*b.N)/httpTime.Seconds(), "http_posts/s")
	b.ReportMetric(httpTime.Seconds()/httpsTime.Seconds(), "ratio")
	b.ReportMetric(float64(conns.Load())/float64(b.N), "tls_conns/run")
}

// countingServer is a 200 receiver, over TLS when cfg is set, counting its new connections.
func countingServer(b *testing.B, cfg *tls.Config) (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	if cfg != nil {
		srv.TLS = cfg
		srv.StartTLS()
	} else {
		srv.Start()
	}
	b.Cleanup(srv.Close)
	return srv, &conns
}

// deliverAll makes n deliveries to url with sender, one per hook, and returns how long the
// engine took to make them all.
func deliverAll(b *testing.B, url string, sender *http.Client, n int) time.Duration {
	defer sender.CloseIdleConnections()
	var made atomic.Int64
	done := make(chan struct{})
	e, err := New(Config{Hooks: fanOutHooks(n, url), Timing: TimingKeap, Policy: immediatePolicy(),
		Workers: benchWorkers, Rand: rand.New(rand.NewPCG(1, 1)), Retain: Retention{Count: -1, Bytes: -1}, Sender: sender,
		Observe: func(r Notice) {
			if r.Kind == NoticeAttempt && made.Add(1) == int64(n) {
				close(done)
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { e.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	start := time.Now()
	if _, err := e.Emit("contact.add", Change{ID: 1}); err != nil {
		b.Fatal(err)
	}
	<-done
	took := time.Since(start)
	if c := e.Counts(); c[Delivered] != n {
		b.Fatalf("counts %v, want %d Delivered", c, n)
	}
	return took
}
