package receiver

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The environment that makes this test binary a relay for TestRecordingSurvivesKill9.
const (
	childRecording = "KEAPHOOK_TEST_RELAY_RECORDING"
	childForwardTo = "KEAPHOOK_TEST_RELAY_FORWARD_TO"
)

// TestRecordingSurvivesKill9 runs the relay in a child process, posts deliveries to it from
// 8 clients, and kills it with SIGKILL while forwards are in flight, several times over one
// recording. Every delivery the app received must be in the recording, which must read back
// whole. Bounded: 4 rounds, each ending after 40 deliveries reached the app (or 30 s).
func TestRecordingSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	t.Parallel()
	const rounds, perRound = 4, 40
	got := newReceivedIDs()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return // cut off: the app did not receive it
		}
		var ev Exchange
		Summarize(&ev, body)
		if len(ev.IDs) > 0 {
			got.add(ev.IDs[0])
		}
	}))
	defer app.Close()
	recording := filepath.Join(t.TempDir(), "deliveries.jsonl")
	var next atomic.Int64
	for round := range rounds {
		relayURL, kill := startChildRelay(t, recording, app.URL)
		ctx, stop := context.WithCancel(context.Background())
		var clients sync.WaitGroup
		for c := range 8 {
			clients.Go(func() { postUntilStopped(ctx, relayURL, &next, c%2 == 0) })
		}
		select {
		case <-got.reach(got.count() + perRound):
		case <-time.After(30 * time.Second):
			t.Errorf("round %d: the app received too few deliveries in 30s", round)
		}
		kill()
		stop()
		clients.Wait()
	}
	f, err := os.Open(recording)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ReadRecords(f)
	if err != nil {
		t.Fatalf("the recording does not read back after kill -9: %v", err)
	}
	recorded := map[int64]bool{}
	seqs := map[int64]bool{}
	for _, rec := range recs {
		if seqs[rec.Seq] {
			t.Fatalf("sequence number %d appears twice", rec.Seq)
		}
		seqs[rec.Seq] = true
		var ev Exchange
		Summarize(&ev, rec.BodyBytes())
		if len(ev.IDs) > 0 {
			recorded[ev.IDs[0]] = true
		}
	}
	missing := 0
	for _, id := range got.all() {
		if !recorded[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("the app received %d deliveries that the recording lacks (of %d received, %d recorded)", missing, got.count(), len(recorded))
	}
	t.Logf("%d rounds: the app received %d deliveries; the recording holds %d requests", rounds, got.count(), len(recs))
}

// TestChildRelay is the relay process of TestRecordingSurvivesKill9; run directly it skips.
func TestChildRelay(t *testing.T) {
	path := os.Getenv(childRecording)
	if path == "" {
		t.Skip("the relay process of TestRecordingSurvivesKill9")
	}
	fr, err := OpenRecording(path)
	if err != nil {
		t.Fatal(err)
	}
	rv, err := New(Config{ForwardTo: os.Getenv(childForwardTo), Recorder: fr, FirstSeq: fr.LastSeq()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, rv)
	fmt.Println("relay http://" + ln.Addr().String())
	io.Copy(io.Discard, os.Stdin) // until the parent is gone, if it never kills this process
}

// startChildRelay starts this test binary as a relay and returns its URL and a kill -9.
func startChildRelay(t *testing.T, recording, forwardTo string) (string, func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildRelay$", "-test.count=1")
	cmd.Env = append(os.Environ(), childRecording+"="+recording, childForwardTo+"="+forwardTo)
	stdin, _ := cmd.StdinPipe()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	kill := func() {
		cmd.Process.Kill() // SIGKILL: no deferred function, no flush, no Close
		cmd.Wait()
		stdin.Close()
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if url, ok := strings.CutPrefix(strings.TrimSpace(line), "relay "); ok {
		return url, kill
	}
	kill()
	t.Fatalf("the relay process did not start: %q %v", line, err)
	return "", nil
}

// postUntilStopped posts deliveries with ids from next, large ones (forwarded early) or
// small, until ctx ends or the relay is gone.
func postUntilStopped(ctx context.Context, url string, next *atomic.Int64, large bool) {
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	for ctx.Err() == nil {
		id := next.Add(1)
		body := fmt.Sprintf(`{"event_key":"contact.add","object_keys":[{"id":%d}]}`, id)
		if large {
			body = strings.Replace(batchBody(300), `"object_keys":[`, fmt.Sprintf(`"object_keys":[{"id":%d},`, id), 1)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
		resp, err := client.Do(req)
		if err != nil {
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// receivedIDs is what the app received, with a way to wait for a count.
type receivedIDs struct {
	mu      sync.Mutex
	ids     []int64
	waiting map[int]chan struct{}
}

func newReceivedIDs() *receivedIDs { return &receivedIDs{waiting: map[int]chan struct{}{}} }

func (r *receivedIDs) add(id int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ids = append(r.ids, id)
	for n, ch := range r.waiting {
		if len(r.ids) >= n {
			close(ch)
			delete(r.waiting, n)
		}
	}
}

// reach is closed once n ids have arrived.
func (r *receivedIDs) reach(n int) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch := make(chan struct{})
	if len(r.ids) >= n {
		close(ch)
		return ch
	}
	r.waiting[n] = ch
	return ch
}

func (r *receivedIDs) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.ids)
}

func (r *receivedIDs) all() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int64(nil), r.ids...)
}
