package mock_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
)

// crashChildEnv names the data directory of the mock process TestCrashChild runs.
const crashChildEnv = "KEAPHOOK_TEST_CRASH_CHILD_DATA"

// TestCrashChild is the mock process TestKillNineKeepsEveryAcknowledgedChange kills: it
// serves a mock with a data directory on a loopback port until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashChildEnv)
	if dir == "" {
		t.Skip("runs only as the child process of TestKillNineKeepsEveryAcknowledgedChange")
	}
	srv, err := mock.New(mock.WithDataDir(dir), mock.WithTiming(delivery.TimingFast))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Printf("listening http://%s\n", ln.Addr())
	http.Serve(ln, srv)
}

// crashChild is one run of the mock process.
type crashChild struct {
	cmd  *exec.Cmd
	base string
}

func startCrashChild(t *testing.T, dir string) *crashChild {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if base, ok := strings.CutPrefix(lines.Text(), "listening "); ok {
			go io.Copy(io.Discard, stdout)
			return &crashChild{cmd: cmd, base: base}
		}
		if strings.HasPrefix(lines.Text(), "error:") {
			t.Fatalf("the mock process: %s", lines.Text())
		}
	}
	t.Fatalf("the mock process never said where it listens: %v", lines.Err())
	return nil
}

// kill ends the process with SIGKILL, as kill -9 does, and waits for it to go.
func (c *crashChild) kill() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}

// crashReceiver answers handshakes and, by its path, every delivery with 410 (/gone), 500
// (/fail) or 200 (/ok); it calls onDelivery with the count of deliveries so far.
func crashReceiver(t *testing.T, onDelivery func(n int64)) *httptest.Server {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if s := r.Header.Get(keap.HeaderHookSecret); s != "" {
			w.Header().Set(keap.HeaderHookSecret, s)
			return
		}
		onDelivery(n.Add(1))
		switch {
		case strings.HasPrefix(r.URL.Path, "/gone"):
			w.WriteHeader(http.StatusGone)
		case strings.HasPrefix(r.URL.Path, "/fail"):
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// acknowledged is every change the mock answered with success, across all runs.
type acknowledged struct {
	hooks      []string
	deliveries []string
}

// TestKillNineKeepsEveryAcknowledgedChange kills a mock process with SIGKILL at random points
// (once a random number of deliveries reached the receiver, or right after the last call of a
// round), restarts it on the same data directory, and checks after every restart that every
// hook and delivery the mock acknowledged is there and that every hook whose delivery ended
// Failed (a 410, or the last attempt) is Inactive. At most 12 rounds, in at most 40 s.
func TestKillNineKeepsEveryAcknowledgedChange(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	var killAt atomic.Int64
	var seen atomic.Int64
	killNow := make(chan struct{}, 1)
	rc := crashReceiver(t, func(n int64) {
		seen.Store(n)
		if n == killAt.Load() {
			select {
			case killNow <- struct{}{}:
			default:
			}
		}
	})
	client := &http.Client{Transport: testClient.Transport, Timeout: 10 * time.Second}
	var ack acknowledged
	const rounds, budget = 12, 40 * time.Second
	start := time.Now()
	round := 0
	for ; round < rounds && time.Since(start) < budget; round++ {
		child := startCrashChild(t, dir)
		checkAfterRestart(t, client, child.base, ack)
		select {
		case <-killNow: // a late signal from the last round
		default:
		}
		killAt.Store(seen.Load() + int64(rnd.IntN(60)+1))
		done := make(chan struct{})
		killed := make(chan struct{})
		go func() {
			defer close(killed)
			select {
			case <-killNow:
				child.kill()
			case <-done:
			}
		}()
		workUntilKilled(client, child.base, rc.URL, round, &ack)
		close(done)
		<-killed
		child.kill()
	}
	child := startCrashChild(t, dir)
	checkAfterRestart(t, client, child.base, ack)
	child.kill()
	t.Logf("%d rounds, %d hooks and %d deliveries acknowledged", round, len(ack.hooks), len(ack.deliveries))
	if round < 3 {
		t.Errorf("only %d rounds fitted in %s", round, budget)
	}
}

// workUntilKilled creates three hooks (one answering 410, one 500, one 200) and emits 30
// events, recording what the mock acknowledged, until the mock stops answering.
func workUntilKilled(c *http.Client, base, receiverURL string, round int, ack *acknowledged) {
	for _, kind := range []string{"gone", "fail", "ok"} {
		body := fmt.Sprintf(`{"eventKey":"contact.add","hookUrl":"%s/%s/%d"}`, receiverURL, kind, round)
		var h keap.RestHook
		if callMock(c, "POST", base+"/crm/rest/v1/hooks", body, http.StatusOK, &h) != nil {
			return
		}
		ack.hooks = append(ack.hooks, h.Key)
	}
	for i := range 30 {
		var em struct{ Queued, Dropped []string }
		body := fmt.Sprintf(`{"eventKey":"contact.add","ids":[%d]}`, round*100+i+1)
		if callMock(c, "POST", base+"/_mock/events", body, http.StatusOK, &em) != nil {
			return
		}
		ack.deliveries = append(append(ack.deliveries, em.Queued...), em.Dropped...)
	}
}

// checkAfterRestart checks the restarted mock against what was acknowledged.
func checkAfterRestart(t *testing.T, c *http.Client, base string, ack acknowledged) {
	t.Helper()
	var list struct{ Deliveries []delivery.Delivery }
	if err := callMock(c, "GET", base+"/_mock/deliveries?limit=10000", "", http.StatusOK, &list); err != nil {
		t.Fatal(err)
	}
	var hooks []keap.RestHook // listed after the deliveries: a hook only ever goes Inactive later
	if err := callMock(c, "GET", base+"/crm/rest/v1/hooks", "", http.StatusOK, &hooks); err != nil {
		t.Fatal(err)
	}
	status := map[string]keap.Status{}
	for _, h := range hooks {
		status[h.Key] = h.Status
	}
	held := map[string]bool{}
	for _, d := range list.Deliveries {
		held[d.ID] = true
		if d.State == delivery.Failed && status[d.HookKey] != keap.StatusInactive {
			t.Errorf("%s to hook %s is Failed (%s) but the hook is %s after the restart", d.ID, d.HookKey, d.Reason, status[d.HookKey])
		}
	}
	for _, key := range ack.hooks {
		if _, ok := status[key]; !ok {
			t.Errorf("hook %s was acknowledged with a 200 but is gone after the restart", key)
		}
	}
	for _, id := range ack.deliveries {
		if !held[id] {
			t.Errorf("delivery %s was acknowledged by POST /_mock/events but is gone after the restart", id)
		}
	}
}

// callMock makes one call and decodes its answer, or says why it failed.
func callMock(c *http.Client, method, url, body string, want int, into any) error {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer dev")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s = %d %s", method, url, resp.StatusCode, b)
	}
	return json.Unmarshal(b, into)
}
