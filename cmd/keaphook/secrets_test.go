package main

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/mock/testkit"
)

// TestNoCommandShowsASecret runs every command the way a developer does, each given secrets
// (a token, URL passwords, a signing secret, a handshake secret), and greps everything they
// print and write for them: stdout, stderr, the recording, the JUnit report.
func TestNoCommandShowsASecret(t *testing.T) {
	t.Parallel()
	const (
		token     = "tok_S3CRET_mock_token"
		keapPass  = "KeapPa55_S3CRET"
		appPass   = "AppPa55_S3CRET"
		handshake = "hs_S3CRET_handshake_value"
	)
	key := []byte("0123456789abcdef0123456789abcdef")
	whsec := "whsec_" + base64.StdEncoding.EncodeToString(key)
	secrets := []string{token, keapPass, appPass, handshake, whsec, whsec[len("whsec_"):]}
	dir := t.TempDir()
	recording, junit := filepath.Join(dir, "deliveries.jsonl"), filepath.Join(dir, "check.xml")
	env := map[string]string{}
	var outputs []string
	keep := func(cmd string, texts ...string) {
		for _, text := range texts {
			outputs = append(outputs, cmd+"\x00"+text)
		}
	}

	mockRun := start(t, env, "mock", "--addr", "127.0.0.1:0", "--token", token, "--sign", "standard", "--signing-secret", whsec)
	mockURL := mockRun.stdout.waitFor(t, `listening on (http://127\.0\.0\.1:\d+)`)[1]
	app := newHeaderlessApp(t, http.StatusOK)
	appURL := strings.Replace(app.URL, "http://", "http://app:"+appPass+"@", 1) + "/keap"
	keapURL := strings.Replace(mockURL, "http://", "http://keap:"+keapPass+"@", 1) + "/crm/rest"

	listenRun := start(t, env, "listen", "--addr", "127.0.0.1:0", "--keap", keapURL, "--token", token,
		"--register", "contact.add", "--forward-to", appURL, "--sign", "standard", "--signing-secret", whsec,
		"--record", recording, "--verbose")
	public := listenRun.stdout.waitFor(t, publicURL)[1]
	listenRun.stdout.waitFor(t, ready)
	code, out, errOut := runCmd(t, env, "trigger", "contact.add", "--mock", mockURL, "--token", token)
	keep("trigger", out, errOut)
	if code != exitOK {
		t.Fatalf("trigger exit %d: %s", code, errOut)
	}
	listenRun.stdout.waitFor(t, `contact\.add\s+1 ids?`)
	postTo(t, public+"/hooks/contact.add", http.Header{"X-Hook-Secret": {handshake}}, "{}")
	signed := http.Header{}
	signature.Config{Scheme: signature.Standard, Secrets: []string{whsec}}.Sign(signed, "msg_1", time.Now(), []byte(keapDelivery))
	postTo(t, public, signed, keapDelivery)
	if status, _ := postTo(t, public, signed, keapDelivery); status != http.StatusUnauthorized {
		t.Fatalf("a replay got %d", status)
	}
	listenRun.stdout.waitFor(t, `rejected delivery`)
	listenRun.stop(t)
	keep("listen", listenRun.stdout.String(), listenRun.stderr.String())

	code, out, errOut = runCmd(t, env, "listen", "--addr", "127.0.0.1:0", "--keap", "http://keap:"+keapPass+"@"+testkit.RefusedAddr(t)+"/crm/rest",
		"--token", token, "--register", "contact.add", "--wait", "0s", "--json")
	keep("listen without Keap", out, errOut)
	if code != exitFailure {
		t.Fatalf("listen without Keap: exit %d", code)
	}

	// A Keap that will not delete the hook: listen's cleanup warning names the Keap URL.
	target, _ := url.Parse(mockURL)
	toMock := httputil.NewSingleHostReverseProxy(target)
	noDelete := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			http.Error(w, `{"message":"not now"}`, http.StatusInternalServerError)
			return
		}
		toMock.ServeHTTP(w, r)
	}))
	defer noDelete.Close()
	stubborn := start(t, env, "listen", "--addr", "127.0.0.1:0", "--token", token, "--register", "contact.edit",
		"--keap", strings.Replace(noDelete.URL, "http://", "http://keap:"+keapPass+"@", 1)+"/crm/rest")
	stubborn.stdout.waitFor(t, ready)
	stubborn.stop(t)
	if !strings.Contains(stubborn.stdout.String(), "delete them yourself") {
		t.Fatalf("no cleanup warning:\n%s", stubborn.stdout)
	}
	keep("listen whose cleanup fails", stubborn.stdout.String(), stubborn.stderr.String())

	code, out, errOut = runCmd(t, env, "replay", recording, "--to", appURL)
	keep("replay", out, errOut)
	if code != exitOK {
		t.Fatalf("replay exit %d: %s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, env, "check", appURL, "--sign", "standard", "--signing-secret", whsec, "--junit", junit,
		"--only", "handshake-echo,delivery-accepted,signature-required")
	keep("check", out, errOut)
	code, out, errOut = runCmd(t, env, "check", appURL, "--json", "--only", "delivery-accepted")
	keep("check --json", out, errOut)
	code, out, errOut = runCmd(t, env, "mock", "--addr", "127.0.0.1:0", "--token", token, "--signing-secret", whsec)
	keep("mock with a mistake", out, errOut)
	code, out, errOut = runCmd(t, env, "version")
	keep("version", out, errOut)

	mockRun.stop(t)
	keep("mock", mockRun.stdout.String(), mockRun.stderr.String())
	for _, file := range []string{recording, junit} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		keep(filepath.Base(file), string(data))
	}

	for _, o := range outputs {
		cmd, text, _ := strings.Cut(o, "\x00")
		for _, s := range secrets {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("%s shows the secret %q: ...%s...", cmd, s, text[max(0, i-80):min(len(text), i+len(s)+20)])
			}
		}
	}
	if !strings.Contains(mockRun.stdout.String(), "$KEAPHOOK_TOKEN") {
		t.Errorf("the mock's examples do not show $KEAPHOOK_TOKEN:\n%s", mockRun.stdout)
	}
}
