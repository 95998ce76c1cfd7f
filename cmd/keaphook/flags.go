package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/keaphook/keaphook/mock/signature"
)

// newFlagSet returns a FlagSet for one command whose errors are returned, not printed and
// exited on, so run can map them to exit codes.
func newFlagSet(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: keaphook %s\n\nFlags (each also read from KEAPHOOK_<FLAG>):\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, then fills every flag not given on the command line from its
// KEAPHOOK_* environment variable (--signing-secret reads KEAPHOOK_SIGNING_SECRET). It returns
// the exit code to use when parsing fails, or -1 to go on.
func parseFlags(fs *flag.FlagSet, e env, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if err := applyEnv(fs, e.getenv); err != nil {
		fmt.Fprintf(e.stderr, "keaphook %s: %v\n", fs.Name(), err)
		return exitUsage
	}
	return -1
}

func applyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		name := envName(f.Name)
		v := getenv(name)
		if v == "" {
			return
		}
		if err := f.Value.Set(v); err != nil {
			// The value is not quoted back: a future flag may hold a secret.
			errs = append(errs, fmt.Errorf("%s: %v", name, err))
		}
	})
	return errors.Join(errs...)
}

// envName maps a flag name to its environment variable: handshake-timeout -> KEAPHOOK_HANDSHAKE_TIMEOUT.
func envName(flagName string) string {
	return "KEAPHOOK_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// stringList is a repeatable flag: --token a --token b. A comma also separates values.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			*l = append(*l, item)
		}
	}
	return nil
}

// failf prints one error line for a command and returns exitFailure.
func failf(e env, cmd, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "keaphook %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return exitFailure
}

// usagef prints a usage error for a command and returns exitUsage.
func usagef(e env, cmd, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "keaphook %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return exitUsage
}

// signingFlags turns --sign, --signing-secret and --signature-header into a signature
// configuration, the same way for every command (mock and replay sign with it, listen
// verifies, check forges). A secret without a scheme is refused: it would silently go unused.
func signingFlags(sign string, secrets []string, header string) (signature.Config, error) {
	scheme, err := signature.ParseScheme(sign)
	if err != nil {
		return signature.Config{}, fmt.Errorf("--sign: %v", err)
	}
	cfg := signature.Config{Scheme: scheme, Secrets: secrets, Header: header}
	if scheme == signature.None && len(secrets) > 0 {
		return cfg, errors.New("--signing-secret is given but --sign is none; add --sign hmac-hex or --sign standard")
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("--sign %s: %v (give the secret with --signing-secret)", scheme, err)
	}
	return cfg, nil
}
