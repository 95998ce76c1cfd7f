package main

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/fixtures"
)

// Help goes to stdout, so `keaphook listen --help | grep sign` works, and every command's
// help has examples and names each flag's environment variable.
func TestEveryCommandHasHelpOnStdout(t *testing.T) {
	t.Parallel()
	for _, c := range commands() {
		if c.run == nil {
			continue
		}
		for _, args := range [][]string{{c.name, "--help"}, {"help", c.name}, {c.name, "-h"}} {
			code, out, errOut := runCmd(t, nil, args...)
			if code != exitOK || errOut != "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
			}
			if !strings.HasPrefix(out, "Usage: keaphook "+c.name) || !strings.Contains(out, "Examples:\n  keaphook "+c.name) {
				t.Errorf("%v: the help has no usage line or no example:\n%s", args, out)
			}
		}
	}
	_, out, _ := runCmd(t, nil, "mock", "--help")
	for _, want := range []string{"--handshake-timeout duration", "env: KEAPHOOK_MOCK_ADDR\n", "env: KEAPHOOK_MOCK_TOKEN, then KEAPHOOK_TOKEN\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("mock --help does not say %q:\n%s", want, out)
		}
	}
}

func TestTriggerHelpListsEveryEventKey(t *testing.T) {
	t.Parallel()
	_, out, _ := runCmd(t, nil, "trigger", "--help")
	for _, key := range fixtures.EventKeys() {
		if !strings.Contains(out, " "+key) {
			t.Errorf("trigger --help does not list %s", key)
		}
	}
}

func TestOverview(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"help"}} {
		code, out, _ := runCmd(t, nil, args...)
		if code != exitOK || !strings.Contains(out, "KEAPHOOK_MOCK_ADDR") || !strings.Contains(out, "  version ") {
			t.Errorf("%v: exit %d:\n%s", args, code, out)
		}
	}
	code, out, errOut := runCmd(t, nil)
	if code != exitUsage || out != "" || !strings.Contains(errOut, "Commands:") {
		t.Errorf("no command: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = runCmd(t, nil, "lisen")
	if code != exitUsage || errOut != "keaphook: unknown command \"lisen\"; did you mean listen?\nsee `keaphook --help`\n" {
		t.Errorf("unknown command: exit %d, stderr %q", code, errOut)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runCmd(t, nil, args...)
		if code != exitOK || errOut != "" || !strings.HasPrefix(out, "keaphook ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-12-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	for _, tt := range []struct {
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"", info, "keaphook (devel) (commit 0123456789ab modified, 2026-12-01T10:00:00Z, go1.26.8)"},
		{"v0.2.0", info, "keaphook v0.2.0 (commit 0123456789ab modified, 2026-12-01T10:00:00Z, go1.26.8)"},
		{"", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.3.1"}}, "keaphook v0.3.1 (go1.26.8)"},
		{"v0.2.0", nil, "keaphook v0.2.0"},
	} {
		if got := versionLine(tt.stamped, tt.info); got != tt.want {
			t.Errorf("versionLine(%q) = %q, want %q", tt.stamped, got, tt.want)
		}
	}
}

// A flag error is one line, the flag spelled as typed, plus where to look.
func TestFlagErrorsAreOneLine(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"listen", "--bogus"}, "keaphook listen: unknown flag --bogus"},
		{[]string{"listen", "--forward-too", "x"}, "keaphook listen: unknown flag --forward-too; did you mean --forward-to?"},
		{[]string{"mock", "--addr"}, "keaphook mock: --addr needs a value"},
		{[]string{"trigger", "contact.add", "--count", "many"}, `keaphook trigger: --count "many": want a whole number`},
		{[]string{"mock", "--json=maybe"}, `keaphook mock: --json "maybe": want true or false`},
		{[]string{"mock", "--timing", "slow"}, `keaphook mock: --timing "slow": want keap, fast or virtual`},
		{[]string{"replay", "rec.jsonl", "/tmp", "--to", "http://127.0.0.1:1"}, "keaphook replay: give one recording FILE and send it with --to URL (got 2: rec.jsonl /tmp)"},
	} {
		code, out, errOut := runCmd(t, nil, tt.args...)
		want := tt.want + "\nsee `keaphook " + tt.args[0] + " --help`\n"
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and %q", tt.args, code, out, errOut, want)
		}
	}
}

// Each command reads its own variables, so the mock's address does not move the relay, and
// an error caused by a variable names it.
func TestEnvironmentIsPerCommand(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"mock"}, map[string]string{"KEAPHOOK_JSON": "maybe"}, "KEAPHOOK_JSON: want true or false"},
		{[]string{"mock"}, map[string]string{"KEAPHOOK_MOCK_TIMING": "slow"}, "KEAPHOOK_MOCK_TIMING: want keap, fast or virtual"},
		{[]string{"listen"}, map[string]string{"KEAPHOOK_LISTEN_TUNNEL": "frp"}, "KEAPHOOK_LISTEN_TUNNEL: want one of none, ngrok"},
		{[]string{"check", "http://127.0.0.1:1/"}, map[string]string{"KEAPHOOK_SIGN": "md5"}, "KEAPHOOK_SIGN: want none, hmac-hex or standard"},
		{[]string{"mock"}, map[string]string{"KEAPHOOK_MOCK_HANDSHAKE_TIMEOUT": "0s"},
			"--handshake-timeout must be positive, got 0s (--handshake-timeout was set by KEAPHOOK_MOCK_HANDSHAKE_TIMEOUT)"},
		{[]string{"mock"}, map[string]string{"KEAPHOOK_MOCK_SIGNING_SECRET": "s3cret-value"}, "(--signing-secret was set by KEAPHOOK_MOCK_SIGNING_SECRET)"},
	} {
		code, _, errOut := runCmd(t, tt.env, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) || strings.Contains(errOut, "s3cret-value") {
			t.Errorf("%v with %v: exit %d, stderr %q; want 2 and %q", tt.args, tt.env, code, errOut, tt.want)
		}
	}
	// KEAPHOOK_ADDR and KEAPHOOK_MOCK_ADDR are not the relay's; KEAPHOOK_LISTEN_ADDR is.
	c := start(t, map[string]string{"KEAPHOOK_ADDR": "127.0.0.1:1", "KEAPHOOK_MOCK_ADDR": "127.0.0.1:2",
		"KEAPHOOK_LISTEN_ADDR": "127.0.0.1:0", "NO_COLOR": "1"}, "listen")
	c.stdout.waitFor(t, `relay listening at http://127\.0\.0\.1:\d{3,}`)
	if code := c.stop(t); code != exitOK {
		t.Errorf("Ctrl-C stopped the relay with %d, want 0", code)
	}
}

// exit is the one place errors become exit codes.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		code int
		says string
	}{
		{nil, exitOK, ""},
		{fmt.Errorf("parse: %w", errReported), exitFailure, ""},
		{errors.New("cannot listen on 127.0.0.1:1"), exitFailure, "keaphook mock: cannot listen on 127.0.0.1:1\n"},
		{usagef("give one URL"), exitUsage, "keaphook mock: give one URL\nsee `keaphook mock --help`\n"},
		{context.Canceled, exitInterrupted, "keaphook mock: interrupted\n"},
		{interrupted("interrupted after 1 of 3"), exitInterrupted, "keaphook mock: interrupted after 1 of 3\n"},
	} {
		var b strings.Builder
		if code := exit(&b, "mock", tt.err); code != tt.code || b.String() != tt.says {
			t.Errorf("exit(%v) = %d printing %q; want %d printing %q", tt.err, code, b.String(), tt.code, tt.says)
		}
	}
}

// Flags stand anywhere among the arguments; after "--" everything is an argument.
func TestFlagsAnywhere(t *testing.T) {
	t.Parallel()
	fs := newFlagSet("check", "check URL\n\nExamples:\n  keaphook check URL")
	only := fs.String("only", "", "")
	args, err := fs.parse(env{getenv: func(string) string { return "" }}, []string{"http://x/", "--only", "a", "--", "--not-a-flag"})
	if err != nil || *only != "a" || strings.Join(args, " ") != "http://x/ --not-a-flag" {
		t.Fatalf("args %q, --only %q, err %v", args, *only, err)
	}
}
