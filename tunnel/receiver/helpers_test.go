package receiver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/testkit"
)

// app is a developer's app for tests: testkit's recording endpoint, answering with handle
// (200 when nil).
type app struct{ *testkit.Endpoint }

func newApp(t *testing.T, handle http.HandlerFunc) app {
	t.Helper()
	return app{testkit.NewEndpoint(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if handle != nil {
			handle(w, r)
		}
	})}
}

func (a app) received() []testkit.Request { return a.Requests() }

// events collects what the receiver reports.
type events struct {
	mu  sync.Mutex
	all []Exchange
}

func (e *events) observe(ev Exchange) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

func (e *events) last(t *testing.T) Exchange {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.all) == 0 {
		t.Fatal("no event was reported")
	}
	return e.all[len(e.all)-1]
}

// memRecorder keeps records in memory; fail makes Record fail.
type memRecorder struct {
	mu   sync.Mutex
	recs []Record
	fail error
}

func (m *memRecorder) Record(rec Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.recs = append(m.recs, rec)
	return nil
}

// all is the recording as ReadRecords reads it: a forwarded delivery's answer joined to it.
func (m *memRecorder) all() []Record {
	m.mu.Lock()
	defer m.mu.Unlock()
	var file bytes.Buffer
	for _, r := range m.recs {
		line, err := jsonLine(r)
		if err != nil {
			panic(err)
		}
		file.Write(line)
	}
	recs, err := ReadRecords(&file)
	if err != nil {
		panic(err)
	}
	return recs
}

// relay starts a receiver with cfg behind a real loopback server and returns its URL.
func relay(t *testing.T, cfg Config) (string, *events) {
	t.Helper()
	ev := &events{}
	if cfg.Observe == nil {
		cfg.Observe = ev.observe
	}
	rv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rv)
	t.Cleanup(srv.Close)
	return srv.URL, ev
}

// post sends body to url with the given headers and returns the status, headers and body.
func post(t *testing.T, url string, header http.Header, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, data
}

// fixedNow is a clock standing still.
func fixedNow(t time.Time) func() time.Time { return func() time.Time { return t } }

const delivery = `{"event_key":"contact.edit","object_type":"contact","object_keys":[` +
	`{"apiUrl":"","id":17738,"timestamp":"2018-03-29T10:55:37Z"},` +
	`{"apiUrl":"","id":183754,"timestamp":"2018-03-29T10:55:27Z"}],"api_url":""}`
