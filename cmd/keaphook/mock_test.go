package main

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func getWithToken(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestMockCommandServesKeapAPI(t *testing.T) {
	t.Parallel()
	c := start(t, nil, "mock", "--addr", "127.0.0.1:0")
	base := c.stdout.waitFor(t, `listening on (http://\S+)`)[1]
	// The banner is written line by line: wait for the line about tokens rather than read
	// the output before it has all been written. waitFor fails if it never comes.
	c.stdout.waitFor(t, "any non-empty token is accepted")
	if code := getWithToken(t, base+"/crm/rest/v1/hooks/event_keys", "dev"); code != 200 {
		t.Errorf("event_keys with a token: %d, want 200", code)
	}
	if code := getWithToken(t, base+"/crm/rest/v1/hooks", ""); code != 401 {
		t.Errorf("without a token: %d, want 401", code)
	}
	if code := c.stop(t); code != exitOK {
		t.Errorf("exit code after Ctrl-C = %d, want 0", code)
	}
}

func TestMockCommandEnvironment(t *testing.T) {
	t.Parallel()
	c := start(t, map[string]string{"KEAPHOOK_MOCK_ADDR": "127.0.0.1:0", "KEAPHOOK_TOKEN": "mine,also-mine", "NO_COLOR": "1"}, "mock")
	base := c.stdout.waitFor(t, `listening on (http://\S+)`)[1]
	if code := getWithToken(t, base+"/crm/rest/v1/hooks", "also-mine"); code != 200 {
		t.Errorf("a token from KEAPHOOK_TOKEN: %d, want 200", code)
	}
	if code := getWithToken(t, base+"/crm/rest/v1/hooks", "dev"); code != 401 {
		t.Errorf("another token: %d, want 401", code)
	}
}

func TestMockCommandJSONLogs(t *testing.T) {
	t.Parallel()
	c := start(t, nil, "mock", "--addr", "127.0.0.1:0", "--json")
	line := c.stdout.waitFor(t, `(\{[^\n]*"baseUrl"[^\n]*\})\n`)[1]
	var rec map[string]any
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatalf("first line is not JSON: %q", line)
	}
	if rec["msg"] != "mock listening" || !strings.HasPrefix(rec["baseUrl"].(string), "http://127.0.0.1:") {
		t.Errorf("record = %v", rec)
	}
}

func TestMockCommandBusyPort(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runCmd(t, nil, "mock", "--addr", ln.Addr().String())
	if code != exitFailure || !strings.Contains(stderr, "cannot listen on "+ln.Addr().String()+": the address is already in use") {
		t.Errorf("busy port: exit %d, stderr %q; want 1 and a clear message", code, stderr)
	}
}

func TestMockCommandUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		want     int
		mentions string
	}{
		{"help", []string{"mock", "--help"}, exitOK, "-handshake-timeout"},
		{"unknown flag", []string{"mock", "--nope"}, exitUsage, "keaphook mock: unknown flag --nope\nsee `keaphook mock --help`\n"},
		{"argument", []string{"mock", "extra"}, exitUsage, `unexpected argument "extra"`},
		{"bad timing", []string{"mock", "--timing", "slow"}, exitUsage, "timing"},
		{"bad success", []string{"mock", "--success", "600"}, exitUsage, "--success"},
		{"bad schedule", []string{"mock", "--retry-schedule", "soon"}, exitUsage, "--retry-schedule"},
		{"sign without secret", []string{"mock", "--sign", "hmac-hex"}, exitUsage, "--signing-secret"},
		{"bad scheme", []string{"mock", "--sign", "rsa"}, exitUsage, "--sign"},
		{"chaos out of range", []string{"mock", "--chaos-duplicate", "2"}, exitUsage, "chaos"},
		{"bad retain", []string{"mock", "--retain", "0"}, exitUsage, `--retain "0": want a positive count`},
		{"bad data sync", []string{"mock", "--data", "unused", "--data-sync", "-1s"}, exitUsage, `--data-sync "-1s": want a positive duration`},
		{"data sync without data", []string{"mock", "--data-sync", "commit"}, exitUsage, "--data-sync needs --data"},
		{"zero handshake timeout", []string{"mock", "--handshake-timeout", "0s"}, exitUsage, "--handshake-timeout"},
		{"unknown command", []string{"mokc"}, exitUsage, `unknown command "mokc"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, nil, tt.args...)
			if code != tt.want {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.want, stderr)
			}
			if !strings.Contains(stdout+stderr, tt.mentions) {
				t.Errorf("output does not mention %q:\n%s%s", tt.mentions, stdout, stderr)
			}
		})
	}
}

// TestMockCommandEventKeysFile: the event key list can be replaced without a rebuild.
func TestMockCommandEventKeysFile(t *testing.T) {
	t.Parallel()
	file := t.TempDir() + "/keys.txt"
	if err := os.WriteFile(file, []byte("# ours\ncontact.add\ntask.complete\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := start(t, nil, "mock", "--addr", "127.0.0.1:0", "--event-keys", file)
	base := c.stdout.waitFor(t, `listening on (http://\S+)`)[1]
	var keys []string
	callJSON(t, http.MethodGet, base+"/crm/rest/v1/hooks/event_keys", "", &keys)
	if strings.Join(keys, " ") != "contact.add task.complete" {
		t.Errorf("event keys = %v, want the file's", keys)
	}

	bad := t.TempDir() + "/bad.txt"
	os.WriteFile(bad, []byte("contact.add\ncontact add\n"), 0o600)
	if code, _, stderr := runCmd(t, nil, "mock", "--event-keys", bad); code != exitUsage || !strings.Contains(stderr, "line 2") {
		t.Errorf("a bad key file: exit %d, %q; want 2 naming line 2", code, stderr)
	}
}

func TestReachableAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0.0.0.0:8080":   "127.0.0.1:8080",
		"[::]:8080":      "127.0.0.1:8080",
		"127.0.0.1:9000": "127.0.0.1:9000",
		"[::1]:9000":     "[::1]:9000",
	} {
		a, err := net.ResolveTCPAddr("tcp", in)
		if err != nil {
			t.Fatal(err)
		}
		if got := reachableAddr(a); got != want {
			t.Errorf("reachableAddr(%s) = %s, want %s", in, got, want)
		}
	}
}

// --data-sync takes "commit" (sync before every call returns, the store's 0) or a positive
// duration, and nothing else.
func TestParseDataSync(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{"commit": 0, "1s": time.Second, "250ms": 250 * time.Millisecond} {
		if got, err := parseDataSync(in); err != nil || got != want {
			t.Errorf("parseDataSync(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "0s", "-1s", "", "Commit", "every"} {
		if got, err := parseDataSync(in); err == nil {
			t.Errorf("parseDataSync(%q) = %s; want an error", in, got)
		}
	}
}

// TestMockRefusesAnUnusedSecret: a signing secret without --sign would go unused; say so.
func TestMockRefusesAnUnusedSecret(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCmd(t, nil, "mock", "--signing-secret", "s3cret")
	if code != exitUsage || !strings.Contains(stderr, "--sign is none") || strings.Contains(stderr, "s3cret") {
		t.Errorf("exit %d, %q; want 2 saying --sign is none, without the secret", code, stderr)
	}
}

// --retain bounds the finished deliveries the mock keeps: with 1, only the newest of two.
func TestMockCommandRetain(t *testing.T) {
	t.Parallel()
	c := start(t, nil, "mock", "--addr", "127.0.0.1:0", "--retain", "1")
	base := c.stdout.waitFor(t, `listening on (http://\S+)`)[1]
	// A hook whose handshake fails stays Unverified: its events are Dropped, a final state.
	callJSON(t, "POST", base+"/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:1/hooks"}`, nil)
	for _, id := range []string{"1", "2"} {
		callJSON(t, "POST", base+"/_mock/events", `{"eventKey":"contact.add","ids":[`+id+`]}`, nil)
	}
	var list struct {
		Deliveries []struct{ ID, State string }
	}
	callJSON(t, "GET", base+"/_mock/deliveries", "", &list)
	if len(list.Deliveries) != 1 || list.Deliveries[0].ID != "d_000002" {
		t.Errorf("with --retain 1 the mock holds %+v; want only the newest, d_000002", list.Deliveries)
	}
}

// callJSON makes one call with the token dev and decodes a 200's JSON answer into out.
func callJSON(t *testing.T, method, url, body string, out any) {
	t.Helper()
	status, b := call(t, http.DefaultClient, method, url, body)
	if status != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, url, status, b)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(b), out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
}

// --strict-fields (and KEAPHOOK_MOCK_STRICT_FIELDS) keep the 400 for a field Keap ignores.
func TestMockCommandStrictFields(t *testing.T) {
	t.Parallel()
	post := func(base string) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/crm/rest/v1/hooks",
			strings.NewReader(`{"eventKey":"contact.add","hookURL":"http://127.0.0.1:1/x"}`))
		req.Header.Set("Authorization", "Bearer dev")
		resp, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m struct{ Message string }
		json.NewDecoder(resp.Body).Decode(&m)
		if resp.StatusCode == http.StatusBadRequest && strings.Contains(m.Message, `unknown field "hookURL"`) {
			return 1 // refused by name
		}
		return 0
	}
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want int
	}{
		{nil, []string{"--strict-fields"}, 1},
		{map[string]string{"KEAPHOOK_MOCK_STRICT_FIELDS": "true"}, nil, 1},
		{nil, nil, 0},
	} {
		c := start(t, tt.env, append([]string{"mock", "--addr", "127.0.0.1:0"}, tt.args...)...)
		base := c.stdout.waitFor(t, `listening on (http://\S+)`)[1]
		if got := post(base); got != tt.want {
			t.Errorf("env %v args %v: hookURL refused by name = %v, want %v", tt.env, tt.args, got == 1, tt.want == 1)
		}
		c.stop(t)
	}
}

// TestBannerSaysWhereStateIsKept: a run with --data names the file it resumes from and how
// often it syncs; one without says its state ends with it.
func TestBannerSaysWhereStateIsKept(t *testing.T) {
	t.Parallel()
	env := map[string]string{"NO_COLOR": "1"}
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "in memory, gone when the mock stops (--data DIR keeps it across restarts)"},
		{[]string{"--data", dir}, "kept in " + filepath.Join(dir, "keaphook.db") + " (synced to disk every 1s), resumed at the next start"},
		{[]string{"--data", dir + "2", "--data-sync", "commit"}, "kept in " + filepath.Join(dir+"2", "keaphook.db") + " (synced to disk before every call returns), resumed at the next start"},
	} {
		m := start(t, env, append([]string{"mock", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if line := m.stdout.waitFor(t, `state:\s+(.*)\n`)[1]; line != tc.want {
			t.Errorf("%v: state: %q\nwant      %q", tc.args, line, tc.want)
		}
	}
}
