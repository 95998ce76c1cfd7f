package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock/contract"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
)

// checkTarget is a hook endpoint for the check command to judge. The zero value is a good one.
type checkTarget struct {
	noEcho     bool   // forgets to echo X-Hook-Secret
	hmacSecret string // when set, refuses deliveries without a valid hmac-hex signature
}

func (a checkTarget) start(t *testing.T) string {
	t.Helper()
	verify := signature.Config{Scheme: signature.HMACHex, Secrets: []string{a.hmacSecret}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if secret := r.Header.Get(keap.HeaderHookSecret); secret != "" {
			if !a.noEcho {
				w.Header().Set(keap.HeaderHookSecret, secret)
			}
			return
		}
		if a.hmacSecret != "" && verify.Verify(r.Header, body, time.Now()) != nil {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/keap"
}

// runCheckCmd runs the command line to completion with env as the whole environment.
func runCheckCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut, func(name string) string { return env[name] })
	return code, out.String(), errOut.String()
}

func TestCheckGoodEndpointExitsZero(t *testing.T) {
	t.Parallel()
	url := checkTarget{}.start(t)
	code, out, errOut := runCheckCmd(t, nil, "check", url)
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"keaphook check " + url,
		"✓ handshake-echo ",
		"✓ batch-1000 ",
		"- signature-required, stale-timestamp-rejected: Not run: deliveries are not signed (Keap itself signs nothing), so whether forged ones are refused cannot be checked. To run them, pass --sign hmac-hex or --sign standard with --signing-secret.",
		"- load                      Not run: the load check is opt-in; it runs when a rate of deliveries is given. To run it, pass --load RATE --for DURATION (e.g. --load 50 --for 10s).",
		"✓ no-accidental-410 ",
		"13 checks: 10 passed, 0 failed, 0 warned, 3 skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour codes written to a non-terminal")
	}
}

func TestCheckFailureExitsOneAndWritesJUnit(t *testing.T) {
	t.Parallel()
	url := checkTarget{noEcho: true}.start(t)
	report := filepath.Join(t.TempDir(), "report.xml")
	code, out, _ := runCheckCmd(t, nil, "check", url, "--junit", report)
	if code != exitFailure {
		t.Fatalf("exit %d; want 1\n%s", code, out)
	}
	for _, want := range []string{
		"✗ handshake-echo ", "without an X-Hook-Secret response header",
		"fix: copy the X-Hook-Secret request header", "✗ handshake-fresh-secret ",
		"2 failed", "JUnit report written to " + report,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Suite struct {
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("JUnit file does not parse: %v", err)
	}
	// Every check but tls-valid, which joins the suite for https:// endpoints only.
	if doc.Suite.Failures != 2 || len(doc.Suite.Cases) != len(contract.Checks())-1 ||
		doc.Suite.Cases[0].Name != "handshake-echo" || doc.Suite.Cases[0].Failure == nil {
		t.Errorf("JUnit: %d failures, %d testcases, first %+v", doc.Suite.Failures, len(doc.Suite.Cases), doc.Suite.Cases[0])
	}
}

// TestCheckUnwritableJUnitFailsBeforeTheRun: a --junit path that cannot be written is known
// at once, not after a run that may have lasted minutes.
func TestCheckUnwritableJUnitFailsBeforeTheRun(t *testing.T) {
	t.Parallel()
	report := filepath.Join(t.TempDir(), "no-such-dir", "report.xml")
	code, out, errOut := runCheckCmd(t, nil, "check", "http://127.0.0.1:1/keap", "--junit", report)
	if code != exitFailure || !strings.Contains(errOut, "--junit") || out != "" {
		t.Errorf("exit %d, stderr %q, stdout %q; want 1, a --junit error and no run", code, errOut, out)
	}
}

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	url := checkTarget{noEcho: true}.start(t)
	code, out, _ := runCheckCmd(t, nil, "check", "--json", "--only", "handshake-echo,delivery-accepted", url)
	if code != exitFailure {
		t.Errorf("exit %d; want 1", code)
	}
	var rep contract.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not one JSON report: %v\n%s", err, out)
	}
	if rep.URL != url || len(rep.Results) != 2 || rep.Results[0].Status != contract.Failed || rep.Results[1].Status != contract.Passed {
		t.Errorf("report %+v", rep)
	}
	if strings.Contains(out, "✗") {
		t.Error("--json output mixes in readable lines")
	}
}

func TestCheckSignedAndLoad(t *testing.T) {
	t.Parallel()
	url := checkTarget{hmacSecret: "s3cr3t"}.start(t)
	env := map[string]string{"KEAPHOOK_SIGNING_SECRET": "s3cr3t"}
	code, out, errOut := runCheckCmd(t, env, "check", url, "--sign", "hmac-hex",
		"--only", "delivery-accepted,signature-required,stale-timestamp-rejected,load", "--load", "1000", "--for", "20ms")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	for _, want := range []string{"✓ delivery-accepted ", "✓ signature-required ", "- stale-timestamp-rejected ", "✓ load ", "20 deliveries at 1000/s"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, "s3cr3t") {
		t.Error("the signing secret appears in the output")
	}
}

// TestCheckNeverShowsTheURLPassword: the command's own lines, like the report, hide a
// password in the endpoint URL, since CI logs keep them.
func TestCheckNeverShowsTheURLPassword(t *testing.T) {
	t.Parallel()
	url := strings.Replace(checkTarget{}.start(t), "http://", "http://keap:pa55word-in-url@", 1)
	report := filepath.Join(t.TempDir(), "report.xml")
	code, out, errOut := runCheckCmd(t, nil, "check", url, "--only", "handshake-echo", "--junit", report)
	raw, err := os.ReadFile(report)
	if code != exitOK || err != nil {
		t.Fatalf("exit %d, JUnit %v, stderr %q\n%s", code, err, errOut, out)
	}
	if !strings.Contains(out, "keaphook check http://keap:xxxxx@") || strings.Contains(out+errOut+string(raw), "pa55word") {
		t.Errorf("the URL's password is shown or the URL is missing:\n%s%s\n%s", out, errOut, raw)
	}
}

func TestCheckOnlyFromEnvironment(t *testing.T) {
	t.Parallel()
	url := checkTarget{}.start(t)
	code, out, _ := runCheckCmd(t, map[string]string{"KEAPHOOK_CHECK_ONLY": "handshake-echo"}, "check", url)
	if code != exitOK || !strings.Contains(out, "1 checks: 1 passed") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestCheckCancelledExits130(t *testing.T) {
	t.Parallel()
	url := checkTarget{}.start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if code := run(ctx, []string{"check", url}, &out, io.Discard, func(string) string { return "" }); code != exitInterrupted {
		t.Errorf("a cancelled run exited %d; want 130 so CI does not take it for a pass\n%s", code, out.String())
	}
}

func TestCheckUsageErrors(t *testing.T) {
	t.Parallel()
	url := "http://127.0.0.1:1/keap" // never contacted: every case fails before the run
	tests := []struct {
		args []string
		says string
	}{
		{[]string{"check"}, "give one endpoint URL"},
		{[]string{"check", url, "http://127.0.0.1:2/"}, "got 2: http://127.0.0.1:1/keap http://127.0.0.1:2/"},
		{[]string{"check", "localhost:3000/keap"}, "not an absolute http:// or https:// URL"},
		{[]string{"check", url, "--only", "handshake"}, "valid: tls-valid, handshake-echo, handshake-fresh-secret"},
		{[]string{"check", url, "--timeout", "0s"}, "--timeout must be positive"},
		{[]string{"check", url, "--sign", "rsa"}, `--sign "rsa": want none, hmac-hex or standard`},
		{[]string{"check", url, "--signing-secret", "s3cr3t-value"}, "--sign is none"},
		{[]string{"check", url, "--sign", "standard", "--signing-secret", "not base64!"}, "secret 1 of 1"},
		{[]string{"check", url, "--for", "10s"}, "give its rate with --load"},
		{[]string{"check", url, "--load", "5000"}, "at most 1000"},
		{[]string{"check", url, "--load", "50", "--for", "1h"}, "outside 0-5m0s"},
		{[]string{"check", url, "--nope"}, "unknown flag --nope\nsee `keaphook check --help`\n"},
	}
	for _, tt := range tests {
		code, out, errOut := runCheckCmd(t, nil, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.says) || out != "" {
			t.Errorf("%q: exit %d, stderr %q, stdout %q; want 2 and %q", tt.args, code, errOut, out, tt.says)
		}
		if i := slices.Index(tt.args, "--signing-secret"); i >= 0 && strings.Contains(errOut, tt.args[i+1]) {
			t.Errorf("%q: stderr %q quotes the signing secret", tt.args, errOut)
		}
	}
}

// With nothing listening the refusal is said once, and the checks that did not run share one line.
func TestCheckUnreachableSaysItOnce(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	code, out, _ := runCheckCmd(t, nil, "check", srv.URL)
	if code != exitFailure || strings.Count(out, "refused") != 1 || strings.Count(out, "\n") != 5 ||
		!strings.Contains(out, "- handshake-fresh-secret, handshake-not-processed, delivery-accepted,") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// --load with --only runs the load check too; --only load without a rate is refused.
func TestCheckLoadWithOnly(t *testing.T) {
	t.Parallel()
	url := checkTarget{}.start(t)
	code, out, _ := runCheckCmd(t, nil, "check", url, "--only", "handshake-echo", "--load", "20", "--for", "100ms")
	if code != exitOK || !strings.Contains(out, "✓ load ") || !strings.Contains(out, "2 checks: 2 passed") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, _, errOut := runCheckCmd(t, nil, "check", url, "--only", "load")
	if code != exitUsage || !strings.Contains(errOut, "--only load: the load check needs its rate; add --load RATE") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// --serial reaches the suite's configuration, and a run with it passes a good endpoint.
func TestCheckSerial(t *testing.T) {
	t.Parallel()
	url := checkTarget{}.start(t)
	f := checkFlags{serial: true, timeout: time.Second}
	if cfg, err := f.config(url); err != nil || !cfg.Serial {
		t.Fatalf("config(--serial) = Serial %v, %v; want Serial true", cfg.Serial, err)
	}
	if code, out, errOut := runCheckCmd(t, nil, "check", url, "--serial"); code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing\n%s", code, errOut, out)
	}
}
