package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// A recording made by listen, replayed to another app, delivers the same bytes.
func TestReplayReproducesAListenRecording(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	first := newHeaderlessApp(t, http.StatusOK)
	file := filepath.Join(t.TempDir(), "keap.jsonl")
	c := start(t, map[string]string{"KEAP_ACCESS_TOKEN": m.Token()}, "listen", "--addr", "127.0.0.1:0",
		"--keap", m.APIURL, "--register", "contact.add", "--forward-to", first.URL, "--record", file)
	public := c.stdout.waitFor(t, publicURL)[1]
	c.stdout.waitFor(t, ready)
	second := strings.Replace(keapDelivery, "17738", "99", 1)
	postTo(t, public+"/hooks/contact.add", http.Header{"Content-Type": {"application/json"}}, keapDelivery)
	postTo(t, public+"/hooks/contact.add", http.Header{"Content-Type": {"application/json"}}, second)
	c.stop(t)

	again := newHeaderlessApp(t, http.StatusOK)
	code, out, stderr := runCmd(t, nil, "replay", file, "--to", again.URL+"/keap")
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	got := again.received()
	if len(got) != 2 || string(got[0]) != keapDelivery || string(got[1]) != second {
		t.Fatalf("replayed %q; want the two deliveries, byte for byte, and no handshake", got)
	}
	for _, want := range []string{"#2 POST contact.add 2 ids [17738 183754] -> 200 OK", "#3 POST contact.add 2 ids [99 183754] -> 200 OK", "2 succeeded, 0 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// writeRecording writes records as listen would and returns the file.
func writeRecording(t *testing.T, recs ...receiver.Record) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "rec.jsonl")
	fr, err := receiver.OpenRecording(file)
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	for _, r := range recs {
		if err := fr.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	return file
}

func record(seq int64, kind receiver.Kind, body string, header http.Header) receiver.Record {
	r := receiver.Record{Seq: seq, Kind: kind, Method: "POST", Path: "/hooks/contact.add", Header: header, Status: 200}
	r.SetBody([]byte(body))
	return r
}

func TestReplayExitsOneWhenAnAnswerIsNot2xx(t *testing.T) {
	t.Parallel()
	file := writeRecording(t, record(1, receiver.KindDelivery, keapDelivery, nil))
	gone := newHeaderlessApp(t, http.StatusGone)
	code, out, _ := runCmd(t, nil, "replay", "--to", gone.URL, file)
	if code != exitFailure || !strings.Contains(out, "-> 410 Gone") || !strings.Contains(out, "0 succeeded, 1 failed") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestReplaySelectsAndStripsSignatures(t *testing.T) {
	t.Parallel()
	signed := http.Header{"X-Hook-Signature": {"stale"}, "X-Custom": {"keep"}, "Webhook-Signature": {"v1,old"}}
	file := writeRecording(t,
		record(1, receiver.KindHandshake, "{}", http.Header{keap.HeaderHookSecret: {"[redacted]"}}),
		record(2, receiver.KindDelivery, `{"n":2}`, signed),
		record(3, receiver.KindDelivery, `{"n":3}`, signed),
	)
	sent := make(chan http.Header, 10)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent <- r.Header.Clone()
		w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	}))
	defer app.Close()

	if code, out, _ := runCmd(t, nil, "replay", file, "--to", app.URL, "--id", "3"); code != exitOK || !strings.Contains(out, "replayed 1 request") {
		t.Fatalf("--id 3: exit %d\n%s", code, out)
	}
	h := <-sent
	if h.Get("X-Hook-Signature") != "" || h.Get("Webhook-Signature") != "" || h.Get("X-Custom") != "keep" {
		t.Fatalf("headers sent %v; want signatures dropped, others kept", h)
	}
	if code, _, _ := runCmd(t, nil, "replay", file, "--to", app.URL, "--id", "3", "--keep-signatures"); code != exitOK {
		t.Fatal("--keep-signatures failed")
	}
	if h := <-sent; h.Get("X-Hook-Signature") != "stale" {
		t.Fatalf("--keep-signatures sent %v", h)
	}
	code, out, _ := runCmd(t, nil, "replay", file, "--to", app.URL, "--handshakes")
	if code != exitOK || !strings.Contains(out, "replayed 3 requests") || !strings.Contains(out, "#1 POST handshake -> 200 OK") {
		t.Fatalf("--handshakes: exit %d\n%s", code, out)
	}
	if code, _, stderr := runCmd(t, nil, "replay", file, "--to", app.URL, "--id", "7"); code != exitFailure || !strings.Contains(stderr, "no record with id 7 (the recording has ids 1 to 3)") {
		t.Fatalf("--id 7: exit %d %q", code, stderr)
	}
}

// A handshake replayed to an app that cannot set headers fails: Keap would not verify it.
func TestReplayedHandshakeNeedsTheEcho(t *testing.T) {
	t.Parallel()
	file := writeRecording(t, record(1, receiver.KindHandshake, "{}", http.Header{keap.HeaderHookSecret: {"[redacted]"}}))
	app := newHeaderlessApp(t, http.StatusOK)
	code, out, _ := runCmd(t, nil, "replay", file, "--to", app.URL, "--handshakes")
	if code != exitFailure || !strings.Contains(out, "X-Hook-Secret was not echoed") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestReplayUsageErrors(t *testing.T) {
	t.Parallel()
	file := writeRecording(t, record(1, receiver.KindDelivery, "{}", nil))
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{file}, "--to must be the absolute http(s) URL"},
		{[]string{"--to", "http://127.0.0.1:1"}, "give one recording FILE"},
		{[]string{file, "--to", "http://127.0.0.1:1", "other"}, "give one recording FILE"},
		{[]string{file, "--to", "http://127.0.0.1:1", "--id", "x"}, `--id "x"`},
		{[]string{file, "--to", "http://127.0.0.1:1", "--sign", "hmac-hex"}, "needs at least one secret"},
		{[]string{file, "--to", "http://127.0.0.1:1", "--signing-secret", "x"}, "--sign is none"},
	} {
		code, _, stderr := runCmd(t, nil, append([]string{"replay"}, tc.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tc.says) {
			t.Errorf("%v: exit %d %q; want 2 saying %q", tc.args, code, stderr, tc.says)
		}
	}
	code, _, stderr := runCmd(t, nil, "replay", filepath.Join(t.TempDir(), "none.jsonl"), "--to", "http://127.0.0.1:1")
	if code != exitFailure || !strings.Contains(stderr, "no such file") {
		t.Fatalf("missing file: exit %d %q", code, stderr)
	}
}

// A password in --to is used but never printed.
func TestReplayDoesNotPrintThePasswordOfTo(t *testing.T) {
	t.Parallel()
	file := writeRecording(t, record(1, receiver.KindDelivery, keapDelivery, nil))
	app := newHeaderlessApp(t, http.StatusOK)
	to := strings.Replace(app.URL, "http://", "http://keap:replay-pa55@", 1)
	code, out, stderr := runCmd(t, nil, "replay", file, "--to", to)
	if code != exitOK || !strings.Contains(out, "keap:xxxxx@") {
		t.Fatalf("exit %d:\n%s%s", code, out, stderr)
	}
	if strings.Contains(out+stderr, "replay-pa55") {
		t.Fatalf("the password was printed:\n%s%s", out, stderr)
	}
}

// cancelAfter is stdout for a command that is interrupted (as by Ctrl-C) once it has printed
// a given text.
type cancelAfter struct {
	bytes.Buffer
	text   string
	cancel context.CancelFunc
}

func (w *cancelAfter) Write(p []byte) (int, error) {
	n, err := w.Buffer.Write(p)
	if strings.Contains(w.String(), w.text) {
		w.cancel()
	}
	return n, err
}

// Ctrl-C stops a replay between requests and says how far it got.
func TestReplayInterruptedSaysHowFarItGot(t *testing.T) {
	t.Parallel()
	file := writeRecording(t, record(1, receiver.KindDelivery, keapDelivery, nil),
		record(2, receiver.KindDelivery, keapDelivery, nil), record(3, receiver.KindDelivery, keapDelivery, nil))
	app := newHeaderlessApp(t, http.StatusOK)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout := &cancelAfter{text: "#1 POST", cancel: cancel}
	var stderr bytes.Buffer
	code := run(ctx, []string{"replay", file, "--to", app.URL}, stdout, &stderr, func(string) string { return "" })
	if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted after 1 of 3 (0 failed)") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if n := len(app.received()); n != 1 {
		t.Fatalf("the app received %d requests after the interruption; want 1", n)
	}
}
