package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// caClient is an HTTPS client trusting only the CA certificate in file.
func caClient(t *testing.T, file string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatalf("%s holds no certificate", file)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// call makes one call with the token dev through c and returns the answer's status and body.
func call(t *testing.T, c *http.Client, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer dev")
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCACommand(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	env := map[string]string{"KEAPHOOK_CA_DIR": dir}
	code, out, _ := runCmd(t, env, "ca", "path")
	if want := filepath.Join(dir, "rootCA.pem") + "\n"; code != exitOK || out != want {
		t.Fatalf("ca path: %d %q, want %q", code, out, want)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "rootCA.pem"))
	certs := filepath.Join(t.TempDir(), "certs")
	code, out, _ = runCmd(t, env, "ca", "cert", "--out", certs, "localhost", "127.0.0.1")
	if code != exitOK || !strings.Contains(out, "for localhost, 127.0.0.1, signed by the local CA "+filepath.Join(dir, "rootCA.pem")) {
		t.Fatalf("ca cert: %d %q", code, out)
	}
	if _, err := tls.LoadX509KeyPair(filepath.Join(certs, "cert.pem"), filepath.Join(certs, "key.pem")); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "rootCA.pem"))
	if string(before) != string(after) {
		t.Error("the CA was replaced")
	}
	for _, args := range [][]string{{"ca"}, {"ca", "cert"}, {"ca", "path", "x"}, {"ca", "pth"}, {"ca", "cert", "bad host"}} {
		if code, _, stderr := runCmd(t, map[string]string{"KEAPHOOK_CA_DIR": filepath.Join(t.TempDir(), "unused")}, args...); code != exitUsage || stderr == "" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and why", args, code, stderr)
		}
	}
}

// TestHTTPSEndToEnd: a mock imitating the hwr sender over HTTPS, and a relay over HTTPS
// registered on it, both with certificates from the same local CA: the hook verifies, a
// delivery signed in X-HWR-SIGNATURE arrives, and an http:// hookUrl is refused.
func TestHTTPSEndToEnd(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	env := map[string]string{"KEAPHOOK_CA_DIR": dir, "NO_COLOR": "1"}
	m := start(t, env, "mock", "--tls", "--addr", "127.0.0.1:0", "--sender", "hwr", "--signing-secret", "s3cret")
	base := m.stdout.waitFor(t, `listening on (https://\S+)`)[1]
	caFile := m.stdout.waitFor(t, `local CA (\S+);`)[1]
	if caFile != filepath.Join(dir, "rootCA.pem") {
		t.Fatalf("the banner shows the CA at %s", caFile)
	}
	relay := start(t, env, "listen", "--tls", "--addr", "127.0.0.1:0", "--keap", base+"/crm/rest", "--token", "dev",
		"--register", "contact.add", "--sign", "hmac-hex", "--signing-secret", "s3cret", "--signature-header", "X-HWR-SIGNATURE")
	relay.stdout.waitFor(t, `hook \d+ contact.add -> https://\S+ created: Verified`)

	c := caClient(t, caFile)
	if code, body := call(t, c, "POST", base+"/_mock/events", `{"eventKey":"contact.add","ids":[12]}`); code != 200 {
		t.Fatalf("event: %d %s", code, body)
	}
	relay.stdout.waitFor(t, `contact.add\s+1 id \[12\]\s+\(answered 200`)
	code, body := call(t, c, "POST", base+"/crm/rest/v1/hooks", `{"eventKey":"contact.add","hookUrl":"http://127.0.0.1:3000/hooks"}`)
	if code != 400 || !strings.Contains(body, "this sender requires HTTPS") {
		t.Errorf("an http hookUrl: %d %s", code, body)
	}
	if _, err := testClient.Get(base + "/crm/rest/v1/hooks"); err == nil {
		t.Error("a client that does not trust the local CA got through")
	}
}

func TestCheckTLSValidCommand(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	env := map[string]string{"KEAPHOOK_CA_DIR": dir, "NO_COLOR": "1"}
	relay := start(t, env, "listen", "--tls", "--addr", "127.0.0.1:0")
	url := relay.stdout.waitFor(t, `relay listening at (https://\S+)`)[1] + "/hooks/contact.add"
	code, out, _ := runCmd(t, env, "check", url, "--only", "tls-valid,handshake-echo")
	if code != exitOK || !strings.Contains(out, "tls-valid") || !strings.Contains(out, "is valid until") {
		t.Errorf("trusting the local CA: exit %d\n%s", code, out)
	}
	// Another CA directory holds no CA: only the system's roots are trusted, which do not
	// know this certificate; --ca-file fixes that.
	other := map[string]string{"KEAPHOOK_CA_DIR": filepath.Join(t.TempDir(), "none"), "NO_COLOR": "1"}
	code, out, _ = runCmd(t, other, "check", url, "--only", "tls-valid")
	if code != exitFailure || !strings.Contains(out, "signed by an unknown authority") {
		t.Errorf("without the CA: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, other, "check", url, "--only", "tls-valid", "--ca-file", filepath.Join(dir, "rootCA.pem"))
	if code != exitOK {
		t.Errorf("with --ca-file: exit %d\n%s", code, out)
	}
}

func TestListenTLSWithNgrokIsRefused(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCmd(t, map[string]string{"NGROK_AUTHTOKEN": "x"}, "listen", "--tls", "--tunnel", "ngrok")
	if code != exitUsage || !strings.Contains(stderr, "--tls serves HTTPS on this machine") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// --sender hwr without a secret is refused, and the sentence names the scheme and header the
// deliveries would really be signed with: the preset's, or those of flags given with it.
func TestMockSenderHWRNeedsASecret(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		flags []string
		env   map[string]string
		want  string
	}{
		{nil, nil, "(hmac-hex in X-HWR-SIGNATURE)"},
		{[]string{"--signature-header", "X-Shop-Signature"}, nil, "(hmac-hex in X-Shop-Signature)"},
		{nil, map[string]string{"KEAPHOOK_SIGNATURE_HEADER": "X-From-Env"}, "(hmac-hex in X-From-Env)"},
		{[]string{"--sign", "standard"}, nil, "(standard in webhook-signature)"},
		{[]string{"--sign", "hmac-hex", "--signature-header", "X-Sig"}, nil, "(hmac-hex in X-Sig)"},
	} {
		args := append([]string{"mock", "--sender", "hwr", "--addr", "127.0.0.1:0"}, c.flags...)
		code, _, stderr := runCmd(t, c.env, args...)
		if code != exitUsage || !strings.Contains(stderr, "give the secret your receiver checks with --signing-secret") || !strings.Contains(stderr, c.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want exit 2 and %q", c.flags, c.env, code, stderr, c.want)
		}
	}
}

func TestHealthOfAnHTTPSMock(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	env := map[string]string{"KEAPHOOK_CA_DIR": dir, "NO_COLOR": "1"}
	m := start(t, env, "mock", "--tls", "--addr", "127.0.0.1:0")
	base := m.stdout.waitFor(t, `listening on (https://\S+)`)[1]
	if code, out, stderr := runCmd(t, env, "health", "--url", base); code != exitOK || !strings.Contains(out, "apiUrls point at "+base) {
		t.Errorf("trusting the local CA: exit %d %q %q", code, out, stderr)
	}
	// The environment that started the mock finds it without --url: its address and --tls.
	same := map[string]string{"KEAPHOOK_CA_DIR": dir, "KEAPHOOK_MOCK_ADDR": strings.TrimPrefix(base, "https://"), "KEAPHOOK_MOCK_TLS": "true"}
	if code, out, stderr := runCmd(t, same, "health"); code != exitOK {
		t.Errorf("health with KEAPHOOK_MOCK_ADDR and KEAPHOOK_MOCK_TLS: exit %d %q %q", code, out, stderr)
	}
	// An https mock asked over http is a wrong URL, not a mock still starting: no waiting.
	if code, _, stderr := runCmd(t, env, "health", "--url", "http://"+strings.TrimPrefix(base, "https://"), "--wait", "1h"); code != exitFailure {
		t.Errorf("an https mock asked over http: exit %d %q", code, stderr)
	}
	// A certificate refused is not a mock still starting: health says so at once, --wait or not.
	other := map[string]string{"KEAPHOOK_CA_DIR": filepath.Join(t.TempDir(), "none")}
	code, _, stderr := runCmd(t, other, "health", "--url", base, "--wait", "1h")
	if code != exitFailure || !strings.Contains(stderr, "TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority") {
		t.Errorf("without the CA: exit %d %q", code, stderr)
	}
}

// TestSenderPresetInTheBanner: --sender hwr sets its rules, and a flag given overrides one.
func TestSenderPresetInTheBanner(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KEAPHOOK_CA_DIR": filepath.Join(t.TempDir(), "ca"), "NO_COLOR": "1"}
	m := start(t, env, "mock", "--addr", "127.0.0.1:0", "--sender", "hwr", "--signing-secret", "s3cret", "--max-attempts", "3")
	line := m.stdout.waitFor(t, `deliveries:\s+(.*)\n`)[1]
	want := "as the hwr sender: fast timing, custom retry rules (retries 15m, 3 attempts, success 200), signed hmac-hex, https:// hookUrls only"
	if line != want {
		t.Errorf("deliveries: %q\nwant        %q", line, want)
	}
	env["KEAPHOOK_SIGNING_SECRET"], env["KEAPHOOK_MOCK_MAX_ATTEMPTS"] = "s3cret", "3"
	m = start(t, env, "mock", "--addr", "127.0.0.1:0", "--sender", "hwr")
	if line := m.stdout.waitFor(t, `deliveries:\s+(.*)\n`)[1]; line != want {
		t.Errorf("flags from the environment: deliveries: %q\nwant        %q", line, want)
	}
}

// TestReplayToAnHTTPSRelay: replay trusts the local CA, and says a refused certificate in words.
func TestReplayToAnHTTPSRelay(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	env := map[string]string{"KEAPHOOK_CA_DIR": dir, "NO_COLOR": "1"}
	rec := filepath.Join(t.TempDir(), "rec.jsonl")
	relay := start(t, env, "listen", "--tls", "--addr", "127.0.0.1:0", "--record", rec)
	url := relay.stdout.waitFor(t, `relay listening at (https://\S+)`)[1] + "/hooks/contact.add"
	body := `{"event_key":"contact.add","object_type":"contact","object_keys":[{"apiUrl":"","id":1,"timestamp":"2026-12-02T03:00:00Z"}],"api_url":""}`
	if code, answer := call(t, caClient(t, filepath.Join(dir, "rootCA.pem")), "POST", url, body); code != 200 {
		t.Fatalf("delivery: %d %s", code, answer)
	}
	relay.stdout.waitFor(t, `contact.add\s+1 id`)
	if code, out, stderr := runCmd(t, env, "replay", rec, "--to", url); code != exitOK {
		t.Errorf("replay trusting the local CA: exit %d\n%s%s", code, out, stderr)
	}
	other := map[string]string{"KEAPHOOK_CA_DIR": filepath.Join(t.TempDir(), "none"), "NO_COLOR": "1"}
	code, out, _ := runCmd(t, other, "replay", rec, "--to", url)
	if code != exitFailure || !strings.Contains(out, "TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority") {
		t.Errorf("replay without the CA: exit %d\n%s", code, out)
	}
}

// TestListenStopsAtOnceOnARefusedCertificate: waiting for Keap does not wait out a
// certificate, which will not change; the error says what is wrong.
func TestListenStopsAtOnceOnARefusedCertificate(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KEAPHOOK_CA_DIR": filepath.Join(t.TempDir(), "ca"), "NO_COLOR": "1"}
	m := start(t, env, "mock", "--tls", "--addr", "127.0.0.1:0")
	base := m.stdout.waitFor(t, `listening on (https://\S+)`)[1]
	other := map[string]string{"KEAPHOOK_CA_DIR": filepath.Join(t.TempDir(), "none"), "NO_COLOR": "1"}
	code, _, stderr := runCmd(t, other, "listen", "--addr", "127.0.0.1:0", "--keap", base+"/crm/rest", "--token", "dev",
		"--register", "contact.add", "--wait", "1h")
	if code != exitFailure || !strings.Contains(stderr, "TLS failed: the certificate of 127.0.0.1 is signed by an unknown authority") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestInspectorReplaysToAnHTTPSRelay: the inspector's replay button reaches a relay served
// with --tls, trusting the local CA as the relay's own calls do.
func TestInspectorReplaysToAnHTTPSRelay(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	env := map[string]string{"KEAPHOOK_CA_DIR": dir, "NO_COLOR": "1"}
	relay := start(t, env, "listen", "--tls", "--addr", "127.0.0.1:0", "--inspect", "127.0.0.1:0")
	url := relay.stdout.waitFor(t, `relay listening at (https://\S+)`)[1] + "/hooks/contact.add"
	inspector := relay.stdout.waitFor(t, `inspector:\s+(http://127\.0\.0\.1:\d+)`)[1]
	body := `{"event_key":"contact.add","object_type":"contact","object_keys":[{"apiUrl":"","id":1,"timestamp":"2026-12-02T03:00:00Z"}],"api_url":""}`
	if code, answer := call(t, caClient(t, filepath.Join(dir, "rootCA.pem")), "POST", url, body); code != 200 {
		t.Fatalf("delivery: %d %s", code, answer)
	}
	relay.stdout.waitFor(t, `#1 contact.add\s+1 id`)

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	_, page := call(t, browser, "GET", inspector+"/requests/1", "")
	m := regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no replay form on the request's page:\n%s", page)
	}
	req, _ := http.NewRequest("POST", inspector+"/requests/1/replay", strings.NewReader(neturl.Values{"csrf": {m[1]}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", inspector)
	resp, err := browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	relay.stdout.waitFor(t, `#2 contact.add\s+1 id`) // the replay arrived over TLS
	if strings.Contains(relay.stdout.String()+relay.stderr.String(), "TLS handshake") {
		t.Errorf("the replay's handshake failed:\n%s%s", relay.stdout.String(), relay.stderr.String())
	}
}
