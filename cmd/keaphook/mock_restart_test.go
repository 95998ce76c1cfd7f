package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/testkit"
)

// mockProcess is `keaphook mock` running as a real process, so a test can kill -9 it.
type mockProcess struct {
	cmd         *exec.Cmd
	base        string
	lastAdvance []byte // the answer to the last clock advance
}

func startMockProcess(t *testing.T, args ...string) *mockProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), subprocessArgs+"="+strings.Join(append([]string{"mock", "--addr", "127.0.0.1:0", "--json"}, args...), "\x1f"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		var rec struct {
			BaseURL string `json:"baseUrl"`
		}
		if json.Unmarshal(lines.Bytes(), &rec) == nil && rec.BaseURL != "" {
			go io.Copy(io.Discard, stdout) // keep the pipe drained so the mock never blocks on its log
			return &mockProcess{cmd: cmd, base: rec.BaseURL}
		}
	}
	t.Fatalf("the mock process never said where it listens: %v", lines.Err())
	return nil
}

func (p *mockProcess) call(t *testing.T, method, path, body string) []byte {
	t.Helper()
	status, b := call(t, http.DefaultClient, method, p.base+path, body)
	if status >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, status, b)
	}
	return []byte(b)
}

// countingApp answers handshakes, fails deliveries while failing is set, and counts how many
// times it saw each object id.
type countingApp struct {
	*testkit.Endpoint
	failing atomic.Bool
}

func newCountingApp(t *testing.T) *countingApp {
	a := &countingApp{}
	a.Endpoint = testkit.NewEndpoint(t, func(n int, w http.ResponseWriter, r *http.Request) {
		status := http.StatusOK
		if a.failing.Load() {
			status = http.StatusServiceUnavailable
		}
		testkit.Echo(status)(n, w, r)
	})
	return a
}

func (a *countingApp) count(t *testing.T, id int64) int {
	n := 0
	for _, ev := range a.Deliveries(t) {
		for _, k := range ev.ObjectKeys {
			if k.ID == id {
				n++
			}
		}
	}
	return n
}

// TestMockSurvivesKill9: after kill -9 and a restart with the same --data, the pending retry
// still happens and what was acknowledged is not delivered again.
func TestMockSurvivesKill9(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	app := newCountingApp(t)
	// Retries wait 5 minutes, so advancing 61 s makes exactly the first attempt of a change.
	flags := []string{"--timing", "virtual", "--data", dir, "--retry-schedule", "5m"}
	first := startMockProcess(t, flags...)
	first.call(t, "POST", "/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"`+app.URL+`"}`)

	first.call(t, "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[111]}`)
	first.call(t, "POST", "/_mock/clock/advance", `{"by":"61s"}`)
	app.failing.Store(true)
	first.call(t, "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[222]}`)
	first.lastAdvance = first.call(t, "POST", "/_mock/clock/advance", `{"by":"61s"}`)
	if app.count(t, 111) != 1 || app.count(t, 222) != 1 {
		t.Fatalf("before the kill: 111 seen %d times, 222 seen %d times; want 1 and 1", app.count(t, 111), app.count(t, 222))
	}

	if err := first.cmd.Process.Kill(); err != nil { // SIGKILL: no chance to clean up
		t.Fatal(err)
	}
	first.cmd.Wait()

	app.failing.Store(false)
	second := startMockProcess(t, flags...)
	second.call(t, "POST", "/_mock/clock/advance", `{"by":"10m"}`)
	if app.count(t, 222) != 2 {
		t.Errorf("the pending retry of 222 happened %d times after the restart, want once", app.count(t, 222)-1)
	}
	if app.count(t, 111) != 1 {
		t.Errorf("the acknowledged delivery of 111 was sent %d times, want once", app.count(t, 111))
	}
	var clocks [2]struct {
		Now time.Time `json:"now"`
	}
	json.Unmarshal(first.lastAdvance, &clocks[0])
	json.Unmarshal(second.call(t, "GET", "/_mock/clock", ""), &clocks[1])
	if clocks[1].Now.Before(clocks[0].Now) {
		t.Errorf("the virtual clock went back from %s to %s across the restart", clocks[0].Now, clocks[1].Now)
	}
	var list struct {
		Counts map[string]int `json:"counts"`
	}
	json.Unmarshal(second.call(t, "GET", "/_mock/deliveries", ""), &list)
	if list.Counts["Delivered"] != 2 {
		t.Errorf("counts after the restart = %v, want 2 Delivered", list.Counts)
	}
}
