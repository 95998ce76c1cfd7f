package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// Exit codes shared by every command.
const (
	exitOK      = 0
	exitFailure = 1 // a check failed or a command could not do its job
	exitUsage   = 2 // the command line was wrong
)

// env is what a command may touch of the outside world; tests pass their own.
type env struct {
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// command is one subcommand: its name, a one-line summary for the overview, and its entry point.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) int
}

func commands() []command {
	return []command{
		{"mock", "run a mock Keap: hooks API, handshake, deliveries, resources", runMock},
		{"trigger", "make events happen on a running mock", runTrigger},
		{"listen", "receive hooks: answer the handshake, verify, forward, record (optionally via ngrok)", runListen},
		{"check", "run the contract checks against your hook endpoint", runCheck},
		{"replay", "send recorded deliveries again", runReplay},
	}
}

// run is the whole program: it parses args, runs one command and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := env{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "--help", "-help", "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "keaphook: unknown command %q\n\n", name)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("keaphook: build and test Keap REST Hooks receivers, offline and against real Keap.\n\n")
	b.WriteString("Usage: keaphook <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'keaphook <command> --help' for a command's flags.\n")
	b.WriteString("Every flag can also be set as KEAPHOOK_<FLAG>, e.g. KEAPHOOK_ADDR=127.0.0.1:9090.\n")
	io.WriteString(w, b.String())
}
