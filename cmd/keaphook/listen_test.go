package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/mock/testkit"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

var publicURL = `keaphook relay listening at (http://127\.0\.0\.1:\d+)`

const ready = "Waiting for deliveries"

func mockClient(t *testing.T, m *mocktest.Server) *keapclient.Client {
	t.Helper()
	c, err := keapclient.New(m.APIURL, keapclient.WithBearerToken(m.Token()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func listHooks(t *testing.T, c *keapclient.Client) []keap.RestHook {
	t.Helper()
	hooks, err := c.ListHooks(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return hooks
}

// The user's problem end to end: an app that cannot set headers, behind listen, gets Verified
// hooks and every delivery byte for byte; Ctrl-C leaves the mock with no hooks.
func TestListenRelaysForAnAppThatCannotSetHeaders(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	app := newHeaderlessApp(t, http.StatusOK)
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": m.Token(), "NO_COLOR": "1"},
		"listen", "--addr", "127.0.0.1:0", "--keap", m.APIURL, "--register", "contact.add,contact.edit",
		"--forward-to", app.URL+"/keap", "--record", file)
	public := c.stdout.waitFor(t, publicURL)[1]
	c.stdout.waitFor(t, ready)

	kc := mockClient(t, m)
	hooks := listHooks(t, kc)
	if len(hooks) != 2 {
		t.Fatalf("hooks on the mock: %+v", hooks)
	}
	for _, h := range hooks {
		if h.Status != keap.StatusVerified || h.HookURL != public+"/hooks/"+h.EventKey {
			t.Errorf("hook %+v; want Verified at %s/hooks/%s", h, public, h.EventKey)
		}
	}
	c.stdout.waitFor(t, `hook \d+ contact.edit -> \S+ created: Verified`)

	status, _ := postTo(t, public+"/hooks/contact.add", http.Header{"Content-Type": {"application/json"}}, keapDelivery)
	if status != http.StatusOK {
		t.Fatalf("delivery answered %d", status)
	}
	if got := app.received(); len(got) != 1 || string(got[0]) != keapDelivery {
		t.Fatalf("the app received %q; want the delivery byte for byte, and no handshake", got)
	}
	c.stdout.waitFor(t, `#3 contact.add  2 ids \[17738 183754\] -> app 200 OK`)

	if code := c.stop(t); code != exitOK {
		t.Fatalf("exit code %d; stderr %s", code, c.stderr.String())
	}
	if hooks := listHooks(t, kc); len(hooks) != 0 {
		t.Fatalf("hooks left on the mock after Ctrl-C: %+v", hooks)
	}
	out := c.stdout.String()
	if !strings.Contains(out, "deleted hook") || strings.Contains(out, "\x1b[") {
		t.Fatalf("output:\n%s", out)
	}
	data, _ := os.ReadFile(file)
	recs, err := receiver.ReadRecords(bytes.NewReader(data))
	if err != nil || len(recs) != 3 || recs[2].Body != keapDelivery || recs[0].Kind != receiver.KindHandshake {
		t.Fatalf("recording: %d records, %v:\n%s", len(recs), err, data)
	}
}

func TestListenDelayedConfirmation(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	c := start(t, map[string]string{"KEAP_API_KEY": m.Token()},
		"listen", "--addr", "127.0.0.1:0", "--keap", m.APIURL, "--register", "contact.edit", "--delayed")
	c.stdout.waitFor(t, ready)
	c.stdout.waitFor(t, `handshake on /hooks/contact.edit: answered 200 without the echo`)
	c.stdout.waitFor(t, `POST /v1/hooks/\d+/delayedVerify`)
	hooks := listHooks(t, mockClient(t, m))
	if len(hooks) != 1 || hooks[0].Status != keap.StatusVerified {
		t.Fatalf("hooks %+v; want one Verified through delayedVerify", hooks)
	}
	if code := c.stop(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if hooks := listHooks(t, mockClient(t, m)); len(hooks) != 0 {
		t.Fatalf("hooks left: %+v", hooks)
	}
}

// A hook that already points at the relay is reused, verified again, and left in place.
func TestListenReusesAHookItDidNotCreate(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	kc := mockClient(t, m)
	addr := freeAddr(t)
	before, err := kc.CreateHook(context.Background(), "contact.add", "http://"+addr+"/hooks/contact.add")
	if err != nil || before.Status != keap.StatusUnverified {
		t.Fatalf("pre-created hook %+v, %v; want Unverified (nothing listened yet)", before, err)
	}
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": m.Token()},
		"listen", "--addr", addr, "--keap", m.APIURL, "--register", "contact.add")
	c.stdout.waitFor(t, `hook `+before.Key+` contact.add -> \S+ reused \(it already pointed here\): Verified`)
	c.stdout.waitFor(t, ready)
	if code := c.stop(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	hooks := listHooks(t, kc)
	if len(hooks) != 1 || hooks[0].Key != before.Key || hooks[0].Status != keap.StatusVerified {
		t.Fatalf("hooks %+v; want the reused hook kept, now Verified", hooks)
	}
}

// freeAddr finds a loopback port nobody uses right now, for a server that must be told its
// address before it starts (a hook pre-created for it, the action's inputs); another test
// may take the port in between. Prefer, in order: 127.0.0.1:0 and the address the server
// reports (listen's and mock's banners); testkit.ListenLater when the test starts the server
// itself; testkit.RefusedAddr for an address that must refuse connections.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// An event key Keap does not know is refused before the relay says anything, with the
// nearest it does know.
func TestListenRegisterTypoIsRefusedBeforeTheBanner(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	code, out, errOut := runCmd(t, map[string]string{"KEAP_ACCESS_TOKEN": m.Token()},
		"listen", "--addr", "127.0.0.1:0", "--keap", m.APIURL, "--register", "contact.add,contact.ad")
	if code != exitUsage || !strings.HasPrefix(errOut, `keaphook listen: --register: Keap has no event key "contact.ad"; did you mean contact.add?`) {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if out != "" {
		t.Fatalf("listen printed before refusing the event key:\n%s", out)
	}
	if hooks := listHooks(t, mockClient(t, m)); len(hooks) != 0 {
		t.Fatalf("hooks were created: %+v", hooks)
	}
}

// When Keap refuses one of the hooks, the run fails (exit 1, the reason on stderr) and the
// hooks it created before are deleted.
func TestListenRegisterFailureCleansUpAndExits1(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	target, _ := url.Parse(m.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost && strings.Contains(string(body), "contact.edit") {
			http.Error(w, `{"message":"no room for contact.edit"}`, http.StatusInternalServerError)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		proxy.ServeHTTP(w, r)
	}))
	defer refusing.Close()
	code, out, errOut := runCmd(t, map[string]string{"KEAP_ACCESS_TOKEN": m.Token()},
		"listen", "--addr", "127.0.0.1:0", "--keap", refusing.URL+"/crm/rest", "--register", "contact.add,contact.edit")
	if code != exitFailure || !strings.Contains(errOut, "keaphook listen: registering hooks failed: contact.edit: keap: POST /v1/hooks: 500") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if hooks := listHooks(t, mockClient(t, m)); len(hooks) != 0 {
		t.Fatalf("the hook created before the failure was left: %+v", hooks)
	}
}

func TestListenSignatures(t *testing.T) {
	t.Parallel()
	app := newHeaderlessApp(t, http.StatusOK)
	c := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--forward-to", app.URL,
		"--sign", "hmac-hex", "--signing-secret", "new", "--signing-secret", "old")
	public := c.stdout.waitFor(t, publicURL)[1]
	c.stdout.waitFor(t, ready)
	status, body := postTo(t, public, nil, keapDelivery)
	if status != http.StatusUnauthorized || !strings.Contains(body, "X-Hook-Signature header is missing") {
		t.Fatalf("unsigned: %d %q", status, body)
	}
	c.stdout.waitFor(t, `rejected delivery on /: 401`)
	sig := signature.HexHMAC([]byte("old"), []byte(keapDelivery))
	if status, _ := postTo(t, public, http.Header{"X-Hook-Signature": {sig}}, keapDelivery); status != http.StatusOK {
		t.Fatalf("signed with the previous secret: %d", status)
	}
	if n := len(app.received()); n != 1 {
		t.Fatalf("app received %d deliveries; only the signed one should pass", n)
	}
}

func TestListenAppFailuresArePlainSentences(t *testing.T) {
	t.Parallel()
	failing := newHeaderlessApp(t, http.StatusInternalServerError)
	c := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--forward-to", failing.URL)
	public := c.stdout.waitFor(t, publicURL)[1]
	c.stdout.waitFor(t, ready)
	if status, _ := postTo(t, public, nil, keapDelivery); status != 500 {
		t.Fatalf("status %d, want the app's 500", status)
	}
	c.stdout.waitFor(t, `-> app 500 Internal Server Error in \S+; Keap counts this as a failed attempt`)

	down := "http://" + testkit.RefusedAddr(t) + "/keap"
	c2 := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--forward-to", down)
	public2 := c2.stdout.waitFor(t, publicURL)[1]
	if status, _ := postTo(t, public2, nil, keapDelivery); status != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", status)
	}
	c2.stdout.waitFor(t, `-> 502: could not reach the app at `+regexp.QuoteMeta(down)+`: connection refused; is it running\?`)
}

// With --json every line of output is one JSON object.
func TestListenJSONOutput(t *testing.T) {
	t.Parallel()
	c := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--json", "--verbose")
	public := c.stdout.waitFor(t, `"publicUrl":"(http://127\.0\.0\.1:\d+)"`)[1]
	c.stdout.waitFor(t, ready)
	postTo(t, public+"/hooks/contact.add", nil, keapDelivery)
	postTo(t, public, nil, "not json")
	c.stdout.waitFor(t, `"kind":"invalid"`)
	c.stop(t)
	var sawDelivery bool
	for _, line := range strings.Split(strings.TrimSpace(c.stdout.String()), "\n") {
		var obj map[string]any
		if err := json.Unmarshal([]byte(line), &obj); err != nil {
			t.Fatalf("not a JSON line: %q", line)
		}
		if obj["kind"] == "delivery" {
			sawDelivery = true
			if obj["eventKey"] != "contact.add" || obj["objects"] != 2.0 || obj["body"] == nil {
				t.Fatalf("delivery line %v", obj)
			}
		}
	}
	if !sawDelivery {
		t.Fatal("no delivery line")
	}
}

func TestListenUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		env  map[string]string
		says string
	}{
		{[]string{"--register", "contact.add"}, nil, "set KEAP_ACCESS_TOKEN"},
		{[]string{"--expand", "--forward-to", "http://127.0.0.1:1"}, nil, "--expand calls Keap and needs a token"},
		{[]string{"--delayed"}, nil, "add --register KEYS"},
		{[]string{"--tunnel", "frp"}, nil, `--tunnel "frp": want one of none, ngrok`},
		{[]string{"--sign", "hmac-hex"}, nil, "needs at least one secret"},
		{[]string{"--signing-secret", "x"}, nil, "--sign is none"},
		{[]string{"--sign", "md5"}, nil, `--sign "md5": want none, hmac-hex or standard`},
		{[]string{"--forward-to", "localhost:3000"}, nil, "not an absolute http(s) URL"},
		{[]string{"--tunnel", "ngrok"}, nil, "set NGROK_AUTHTOKEN; get one at dashboard.ngrok.com"},
		{[]string{"--max-body", "0"}, nil, "must be positive"},
		{[]string{"extra"}, nil, `unexpected argument "extra"`},
	} {
		args := append([]string{"listen", "--addr", "127.0.0.1:0"}, tc.args...)
		code, _, stderr := runCmd(t, tc.env, args...)
		if code != exitUsage || !strings.Contains(stderr, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want 2 saying %q", tc.args, code, stderr, tc.says)
		}
	}
}

func TestListenBusyAddressFails(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runCmd(t, nil, "listen", "--addr", ln.Addr().String())
	if code != exitFailure || !strings.Contains(stderr, "cannot listen on "+ln.Addr().String()+": the address is already in use") || !strings.Contains(stderr, "choose another with --addr") || strings.Contains(stderr, "tunnel") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestListenHelp(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCmd(t, nil, "listen", "--help")
	if code != exitOK || !strings.Contains(stdout, "--forward-to") {
		t.Fatalf("exit %d, help:\n%s", code, stdout)
	}
	for _, want := range []string{"X-Hook-Secret", "/hooks/<event key>", "NGROK_AUTHTOKEN", "objects", "KEAPHOOK_LISTEN_ADDR", "Examples:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
}

// --expand fetches each apiUrl with the token and forwards the objects with the event.
func TestListenExpand(t *testing.T) {
	t.Parallel()
	var auth []string
	var mu sync.Mutex
	keapAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path != "/crm/rest/v1/contacts/17738" {
			http.Error(w, `{"message":"Contact not found"}`, http.StatusNotFound)
			return
		}
		io.WriteString(w, `{"id":17738,"given_name":"Ada"}`)
	}))
	defer keapAPI.Close()
	app := newHeaderlessApp(t, http.StatusOK)
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": "tok"}, "listen", "--addr", "127.0.0.1:0",
		"--keap", keapAPI.URL+"/crm/rest", "--forward-to", app.URL, "--expand")
	public := c.stdout.waitFor(t, publicURL)[1]
	c.stdout.waitFor(t, ready)
	body := strings.NewReplacer(`"apiUrl":"","id":17738`, `"apiUrl":"`+keapAPI.URL+`/crm/rest/v1/contacts/17738","id":17738`,
		`"apiUrl":"","id":183754`, `"apiUrl":"`+keapAPI.URL+`/crm/rest/v1/contacts/183754","id":183754`).Replace(keapDelivery)
	if status, _ := postTo(t, public, nil, body); status != 200 {
		t.Fatalf("status %d", status)
	}
	var got struct {
		EventKey string `json:"event_key"`
		Objects  []struct {
			ID     int64           `json:"id"`
			Object json.RawMessage `json:"object"`
			Error  string          `json:"error"`
		} `json:"objects"`
	}
	fwd := app.received()[0]
	if err := json.Unmarshal(fwd, &got); err != nil {
		t.Fatalf("forwarded %s: %v", fwd, err)
	}
	if got.EventKey != "contact.add" || len(got.Objects) != 2 || string(got.Objects[0].Object) != `{"id":17738,"given_name":"Ada"}` ||
		!strings.Contains(got.Objects[1].Error, "404 Not Found: Contact not found") {
		t.Fatalf("forwarded %s", fwd)
	}
	c.stdout.waitFor(t, `expanded 1 \(1 failed\)`)
	mu.Lock()
	defer mu.Unlock()
	if len(auth) != 2 || auth[0] != "Bearer tok" {
		t.Fatalf("Keap saw Authorization %q", auth)
	}
}

// --verbose shows each delivery's JSON, indented, under its line.
func TestListenVerbosePrintsTheBody(t *testing.T) {
	t.Parallel()
	c := start(t, nil, "listen", "--addr", "127.0.0.1:0", "--verbose")
	public := c.stdout.waitFor(t, publicURL)[1]
	c.stdout.waitFor(t, ready)
	postTo(t, public, nil, keapDelivery)
	c.stdout.waitFor(t, `contact.add  2 ids \[17738 183754\]  \(answered 200; not forwarded\)\n    \{\n      "event_key": "contact.add",`)
}

// Nothing secret reaches the console or the recording, in either output mode: not the Keap
// token, the signing secret, the signature a rejected delivery should have carried, a
// handshake's X-Hook-Secret, nor a password in the app's URL.
func TestListenNeverShowsASecret(t *testing.T) {
	t.Parallel()
	const (
		token      = "keap-token-5ecret"
		signing    = "signing-5ecret"
		hookSecret = "hook-5ecret-value"
		password   = "app-pa55word"
	)
	expected := signature.HexHMAC([]byte(signing), []byte(keapDelivery))
	for _, mode := range [][]string{nil, {"--json", "--verbose"}} {
		m := mocktest.NewServer(t, mock.WithTokens(token))
		app := newHeaderlessApp(t, http.StatusOK)
		file := filepath.Join(t.TempDir(), "rec.jsonl")
		forward := strings.Replace(app.URL, "http://", "http://keap:"+password+"@", 1)
		args := append([]string{"listen", "--addr", "127.0.0.1:0", "--keap", m.APIURL, "--register", "contact.add",
			"--forward-to", forward, "--sign", "hmac-hex", "--signing-secret", signing, "--record", file}, mode...)
		c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": token}, args...)
		public := c.stdout.waitFor(t, `(http://127\.0\.0\.1:\d+)`)[1]
		c.stdout.waitFor(t, ready)
		if status, _ := postTo(t, public+"/hooks/x", http.Header{keap.HeaderHookSecret: {hookSecret}}, "{}"); status != http.StatusOK {
			t.Fatalf("%v: handshake answered %d", mode, status)
		}
		if status, body := postTo(t, public+"/hooks/contact.add", http.Header{"X-Hook-Signature": {strings.Repeat("0", 64)}}, keapDelivery); status != http.StatusUnauthorized || strings.Contains(body, expected) {
			t.Fatalf("%v: wrongly signed delivery: %d %q", mode, status, body)
		}
		c.stdout.waitFor(t, `rejected`)
		if code := c.stop(t); code != exitOK {
			t.Fatalf("%v: exit %d; stderr %s", mode, code, c.stderr.String())
		}
		rec, _ := os.ReadFile(file)
		if !strings.Contains(string(rec), `"kind":"handshake"`) {
			t.Fatalf("%v: recording lacks the handshake:\n%s", mode, rec)
		}
		for where, text := range map[string]string{"stdout": c.stdout.String(), "stderr": c.stderr.String(), "recording": string(rec)} {
			for _, secret := range []string{token, signing, expected, hookSecret, password} {
				if strings.Contains(text, secret) {
					t.Errorf("%v: %s shows %q:\n%s", mode, where, secret, text)
				}
			}
		}
	}
}
