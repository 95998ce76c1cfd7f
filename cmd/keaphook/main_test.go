package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

// subprocessArgs, when set in the environment, makes the test binary run keaphook itself with
// these arguments (separated by \x1f), so tests can kill -9 a real process.
const subprocessArgs = "KEAPHOOK_TEST_SUBPROCESS_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(subprocessArgs); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\x1f"), os.Stdout, os.Stderr, os.Getenv))
	}
	os.Exit(m.Run())
}
