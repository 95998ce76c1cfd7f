package testkit

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Load is the same request sent many times from Workers goroutines at once, as the
// benchmarks send it to the mock, to a receiver, or to the baseline they are measured against.
type Load struct {
	Client  *http.Client
	Method  string // "" means POST
	URL     string
	Header  http.Header // set on every request
	Body    []byte
	Workers int
	Want    int // the status every answer must have; 0 takes any
}

// Send makes n requests and returns how long they all took. Every answer is read to its end
// so its connection goes back to the pool; a transport error or an answer other than Want
// fails tb and stops that worker.
func (l Load) Send(tb testing.TB, n int) time.Duration {
	if l.Method == "" {
		l.Method = http.MethodPost
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range l.Workers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if !l.sendOne(tb) {
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

func (l Load) sendOne(tb testing.TB) bool {
	req, err := http.NewRequest(l.Method, l.URL, bytes.NewReader(l.Body))
	if err != nil {
		tb.Error(err)
		return false
	}
	for k, v := range l.Header { // shared, not copied: the transport only reads them
		req.Header[k] = v
	}
	resp, err := l.Client.Do(req)
	if err != nil {
		tb.Error(err)
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if l.Want != 0 && resp.StatusCode != l.Want {
		tb.Errorf("%s %s: %d, want %d", l.Method, l.URL, resp.StatusCode, l.Want)
		return false
	}
	return true
}
