package main

import (
	"context"
	"flag"
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
		{"ca", "the local CA for HTTPS: its path, and certificates for your own servers", runCA},
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
	name, err := dispatch(ctx, e, args)
	return exit(e.stderr, name, err)
}

// dispatch runs the command args name and returns its name and what it returned.
func dispatch(ctx context.Context, e env, args []string) (string, error) {
	if len(args) == 0 {
		usage(e.stderr)
		return "", errNoCommand
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "--help", "-help":
		usage(e.stdout)
		return "", flag.ErrHelp
	case "--version", "-version":
		name = "version"
	case "help":
		// keaphook help CMD is keaphook CMD --help.
		if len(rest) == 0 || rest[0] == "help" {
			usage(e.stdout)
			return "", flag.ErrHelp
		}
		name, rest = rest[0], []string{"--help"}
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c.name, c.run(ctx, e, rest)
		}
	}
	return "", unknownCommand(name)
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
KEAPHOOK_MOCK_ADDR=127.0.0.1:9090. The flags that mean the same for every command are
read from KEAPHOOK_<FLAG> too:
` + wrapWords(sharedEnvNames(), "  ", 90) + `
Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.
`)
	io.WriteString(w, b.String())
}

func sharedEnvNames() []string {
	var names []string
	for _, f := range sharedFlags {
		names = append(names, "KEAPHOOK_"+strings.ToUpper(strings.ReplaceAll(f, "-", "_")))
	}
	return names
}

// wrapWords joins words into lines of at most width characters, each starting with indent.
func wrapWords(words []string, indent string, width int) string {
	var b strings.Builder
	line := indent
	for i, w := range words {
		if i > 0 && len(line)+len(w)+1 > width {
			b.WriteString(strings.TrimRight(line, " ") + "\n")
			line = indent
		}
		line += w + " "
	}
	return b.String() + strings.TrimRight(line, " ")
}
