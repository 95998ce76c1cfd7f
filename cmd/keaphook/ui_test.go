package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestNoColourOffATerminal(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	u := newUI(&out, func(string) string { return "" }, false)
	u.Failf("broken")
	u.Logger().Warn("careful")
	if strings.Contains(out.String(), "\x1b[") {
		t.Errorf("colour codes written to a non-terminal: %q", out.String())
	}
}

func TestColourWanted(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	// A regular file is not a terminal whatever the environment says.
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, getenv := range map[string]func(string) string{
		"file":     env(nil),
		"NO_COLOR": env(map[string]string{"NO_COLOR": "1"}),
		"dumb":     env(map[string]string{"TERM": "dumb"}),
	} {
		if colorWanted(f, getenv) {
			t.Errorf("%s: colour wanted, want none", name)
		}
	}
	if colorWanted(&bytes.Buffer{}, env(nil)) {
		t.Error("a buffer got colour")
	}
}
