package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/tunnel"
)

// env is what a command may touch of the outside world; tests pass their own.
type env struct {
	stdout io.Writer // the command's own result, and help
	stderr io.Writer // the line that says why a command ended badly
	getenv func(string) string
	// openNgrok opens an ngrok tunnel; nil means tunnel.Ngrok. Tests connect offline.
	openNgrok func(context.Context, tunnel.NgrokConfig) (tunnel.Listener, error)
}

// command is one subcommand: its name, a one-line summary for the overview, and its entry
// point. A command returns an error and never exits; exit chooses the code.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

// commands lists every subcommand, in the order the overview shows them. A new command is
// one line here and one file with its run function.
func commands() []command {
	return []command{
		{"mock", "run a mock Keap: hooks API, handshake, deliveries, resources", runMock},
		{"trigger", "make events happen on a running mock", runTrigger},
		{"listen", "receive hooks: answer the handshake, verify, forward, record (optionally via ngrok)", runListen},
		{"check", "run the contract checks against your hook endpoint", runCheck},
		{"replay", "send recorded deliveries again", runReplay},
		{"health", "ask a running mock whether it is up (for HEALTHCHECK and CI)", runHealth},
		{"version", "print the version of keaphook", runVersion},
		{"help", "show a command's help: keaphook help COMMAND", nil}, // handled by run
	}
}

// run is the whole program: it runs one command and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	return runIn(ctx, env{stdout: stdout, stderr: stderr, getenv: getenv}, args)
}

// runIn is run in a given environment.
func runIn(ctx context.Context, e env, args []string) int {
	stdout, stderr := e.stdout, e.stderr
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "-help":
		usage(stdout)
		return exitOK
	case "--version", "-version":
		name = "version"
	case "help":
		// keaphook help CMD is keaphook CMD --help.
		if len(rest) == 0 || rest[0] == "help" {
			usage(stdout)
			return exitOK
		}
		name, rest = rest[0], []string{"--help"}
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return exit(stderr, c.name, c.run(ctx, e, rest))
		}
	}
	return exit(stderr, "", unknownCommand(name))
}

func unknownCommand(name string) error {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	if near := fixtures.CloseMatches(name, names); len(near) > 0 {
		return usagef("unknown command %q; did you mean %s?", name, near[0])
	}
	return usagef("unknown command %q; the commands are %s", name, strings.Join(names, ", "))
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("keaphook: build and test Keap REST Hooks receivers, offline and against real Keap.\n\n")
	b.WriteString("Usage: keaphook <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Run 'keaphook <command> --help' (or 'keaphook help <command>') for its flags and examples.
Every flag can also be set in the environment: KEAPHOOK_<COMMAND>_<FLAG>, e.g.
KEAPHOOK_MOCK_ADDR=127.0.0.1:9090; the flags that mean the same for every command are
read from KEAPHOOK_<FLAG> too: ` + sharedEnvList() + `.
Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.
`)
	io.WriteString(w, b.String())
}

func sharedEnvList() string {
	var names []string
	for _, f := range sharedFlags {
		names = append(names, "KEAPHOOK_"+strings.ToUpper(strings.ReplaceAll(f, "-", "_")))
	}
	return strings.Join(names, ", ")
}
