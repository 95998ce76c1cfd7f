package main

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

// FuzzParseFlags: whatever the command line and the environment hold, parsing never panics,
// and a failure is a usage error of one line (or one per bad variable) that quotes no
// environment value, since a variable may hold a secret.
func FuzzParseFlags(f *testing.F) {
	for _, seed := range [][2]string{
		{"--addr 127.0.0.1:0 --json", ""}, {"--bogus", ""}, {"--count many", ""}, {"--json=maybe", ""},
		{"URL --only a -- --x", ""}, {"--timing", ""}, {"---x", ""}, {"-h", ""}, {"", "maybe"}, {"", "s3cret\nvalue"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, cmdline, envValue string) {
		var f triggerFlags
		fs := newFlagSet("trigger", "trigger\n\nExamples:\n  keaphook trigger contact.add")
		fs.IntVar(&f.count, "count", 1, "")
		fs.BoolVar(&f.json, "json", false, "")
		fs.DurationVar(&f.wait, "wait", 0, "")
		fs.choiceVar(&f.mock, "timing", "fast", "", "keap", "fast", "virtual")
		var out strings.Builder
		e := env{stdout: &out, stderr: &out, getenv: func(name string) string {
			if name == "KEAPHOOK_JSON" || name == "KEAPHOOK_TRIGGER_COUNT" {
				return envValue
			}
			return ""
		}}
		_, err := fs.parse(e, strings.Fields(cmdline))
		var usage *usageError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
		case !errors.As(err, &usage):
			t.Fatalf("%q: %v is not a usage error", cmdline, err)
		case len(envValue) > 3 && strings.Contains(err.Error(), envValue) && !strings.Contains(cmdline, envValue):
			t.Fatalf("the error %q quotes the environment's value", err)
		case !strings.Contains(err.Error(), "KEAPHOOK_") && strings.Contains(err.Error(), "\n"):
			t.Fatalf("a flag error of several lines: %q", err)
		}
	})
}
