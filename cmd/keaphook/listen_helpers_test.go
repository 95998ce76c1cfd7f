package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/testkit"
)

// syncBuffer is stdout for a command under test: writes are safe from any goroutine, and
// waitFor blocks until the output matches, woken by each write rather than by polling.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{changed: make(chan struct{})} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	close(b.changed)
	b.changed = make(chan struct{})
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor returns the submatches of the first match of re in the output, waiting for it
// for at most 10 seconds.
func (b *syncBuffer) waitFor(t *testing.T, re string) []string {
	t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		m := rx.FindStringSubmatch(b.buf.String())
		changed := b.changed
		b.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("output never matched %q; output so far:\n%s", re, b.String())
		}
	}
}

// running is a keaphook command running in the background.
type running struct {
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

// start runs keaphook with args in the background; env maps variable names to values.
func start(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &running{stdout: newSyncBuffer(), stderr: newSyncBuffer(), cancel: cancel, done: make(chan int, 1)}
	getenv := func(name string) string { return env[name] }
	if len(args) > 0 && args[0] == "listen" && !slices.Contains(args, "--inspect") {
		args = append(args, "--inspect", "off") // parallel relays cannot share port 4040
	}
	go func() { c.done <- run(ctx, args, c.stdout, c.stderr, getenv) }()
	t.Cleanup(func() {
		cancel()
		<-c.done
	})
	return c
}

// stop cancels the command, as Ctrl-C does, and returns its exit code.
func (c *running) stop(t *testing.T) int {
	t.Helper()
	c.cancel()
	select {
	case code := <-c.done:
		c.done <- code // for the cleanup
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("the command did not stop; output:\n%s", c.stdout.String())
		return -1
	}
}

// runCmd runs keaphook to completion.
func runCmd(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut, func(name string) string { return env[name] })
	return code, out.String(), errOut.String()
}

// headerlessApp is an app on a platform that cannot set response headers: it answers every
// request with one status (no echo) and records what it got.
type headerlessApp struct{ *testkit.Endpoint }

func newHeaderlessApp(t *testing.T, status int) headerlessApp {
	return headerlessApp{testkit.NewEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(status) })}
}

// received returns the bodies of every request, in order.
func (a headerlessApp) received() [][]byte {
	var bodies [][]byte
	for _, r := range a.Requests() {
		bodies = append(bodies, r.Body)
	}
	return bodies
}

func postTo(t *testing.T, url string, header http.Header, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

const keapDelivery = `{"event_key":"contact.add","object_type":"contact","object_keys":[` +
	`{"apiUrl":"","id":17738,"timestamp":"2018-03-29T10:55:37Z"},` +
	`{"apiUrl":"","id":183754,"timestamp":"2018-03-29T10:55:27Z"}],"api_url":""}`
