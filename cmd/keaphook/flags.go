package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/signature"
)

// flagSet is one command's flags: a standard FlagSet whose errors are returned, never
// printed or exited on, the command's help text, and where each flag's environment
// variable is. A command defines its flags on it as on any FlagSet (fs.StringVar, fs.Func,
// ...): --help, the environment and the error messages then follow for free.
type flagSet struct {
	*flag.FlagSet
	help    string            // "mock [flags]\n\nwhat it does...\n\nExamples:\n  ..."
	fromEnv map[string]string // flag name -> the variable its value came from
}

func newFlagSet(cmd, help string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(cmd, flag.ContinueOnError), help: help, fromEnv: map[string]string{}}
	fs.SetOutput(io.Discard) // errors are returned and printed once, by exit
	fs.Usage = func() {}
	return fs
}

// parse parses args with the flags anywhere among the arguments (keaphook check URL
// --junit r.xml), then fills each flag not given from its environment variable. It returns
// the arguments that are not flags; everything after "--" is one. --help prints the help
// to stdout and returns flag.ErrHelp, which exits 0.
func (fs *flagSet) parse(e env, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.printHelp(e.stdout)
				return nil, flag.ErrHelp
			}
			return nil, fs.explain(err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional, args = append(positional, rest[0]), rest[1:]
	}
	return positional, fs.applyEnv(e.getenv)
}

// noArgs refuses arguments a command without positional arguments was given.
func noArgs(args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", args[0])
	}
	return nil
}

// usage marks err, found while checking the flags' values, as a usage error. When it names
// a flag whose value came from the environment, it says which variable set it.
func (fs *flagSet) usage(err error) error {
	if err == nil {
		return nil
	}
	var notes []string
	for _, name := range slices.Sorted(maps.Keys(fs.fromEnv)) {
		if mentionsFlag(err.Error(), name) {
			notes = append(notes, fmt.Sprintf("--%s was set by %s", name, fs.fromEnv[name]))
		}
	}
	if len(notes) > 0 {
		err = fmt.Errorf("%w (%s)", err, strings.Join(notes, "; "))
	}
	return asUsage(err)
}

func mentionsFlag(msg, name string) bool {
	return regexp.MustCompile(`(^|[^\w-])--` + regexp.QuoteMeta(name) + `($|[^\w-])`).MatchString(msg)
}

// The flag package's own messages, rewritten into ours: the flag spelled --name, as typed.
var (
	undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	missingValue  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	badValue      = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-+([^:]+): (.*)$`)
)

// explain turns a parse error into one line a person can act on.
func (fs *flagSet) explain(err error) error {
	msg := err.Error()
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		near := fixtures.CloseMatches(strings.SplitN(m[1], "=", 2)[0], names)
		if len(near) > 0 {
			return usagef("unknown flag --%s; did you mean --%s?", m[1], near[0])
		}
		return usagef("unknown flag --%s", m[1])
	}
	if m := missingValue.FindStringSubmatch(msg); m != nil {
		return usagef("--%s needs a value", m[1])
	}
	if m := badValue.FindStringSubmatch(msg); m != nil {
		if f := fs.Lookup(m[2]); f != nil {
			return usagef("--%s %s: %s", m[2], m[1], valueProblem(f, errors.New(m[3])))
		}
	}
	return usagef("%s", strings.ReplaceAll(msg, " -", " --"))
}

// valueProblem says what a flag wants when a value does not parse; the flag package's own
// "parse error" says nothing of it.
func valueProblem(f *flag.Flag, err error) string {
	if g, ok := f.Value.(flag.Getter); ok && strings.Contains(err.Error(), "parse error") {
		switch g.Get().(type) {
		case bool:
			return "want true or false"
		case time.Duration:
			return "want a duration such as 30s, 5m or 1h30m"
		case int, int64, uint, uint64:
			return "want a whole number"
		case float64:
			return "want a number"
		}
	}
	return err.Error()
}

// sharedFlags mean the same for every command, so one variable sets them everywhere
// (KEAPHOOK_TOKEN): the token the mock accepts is the one listen and trigger send, the
// scheme and secret the mock signs with are the ones listen, check and replay use. Every
// other flag is read from KEAPHOOK_<COMMAND>_<FLAG> only (KEAPHOOK_MOCK_ADDR), so setting
// the mock's address does not move the relay. A command's own variable wins over the shared one.
var sharedFlags = []string{"token", "json", "keap", "sign", "signing-secret", "signature-header", "ca-dir", "ca-file"}

// envNames lists the variables a flag is read from, the first set one winning:
// handshake-timeout of mock -> KEAPHOOK_MOCK_HANDSHAKE_TIMEOUT.
func (fs *flagSet) envNames(flagName string) []string {
	upper := func(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }
	names := []string{"KEAPHOOK_" + upper(fs.Name()) + "_" + upper(flagName)}
	if slices.Contains(sharedFlags, flagName) {
		names = append(names, "KEAPHOOK_"+upper(flagName))
	}
	return names
}

// applyEnv fills every flag not given on the command line from its variable. An error
// names the variable and says what the flag wants, without quoting the value: it may be a
// secret.
func (fs *flagSet) applyEnv(getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] {
			return
		}
		for _, name := range fs.envNames(f.Name) {
			v := getenv(name)
			if v == "" {
				continue
			}
			fs.fromEnv[f.Name] = name
			// Through fs.Set, so that Visit counts the flag as given, as --sender must.
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %s", name, valueProblem(f, err)))
			}
			return
		}
	})
	return asUsage(errors.Join(errs...))
}

// printHelp writes the command's help: usage, description and examples, then every flag
// spelled --name with its default and its environment variables.
func (fs *flagSet) printHelp(w io.Writer) {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: keaphook %s\n\nFlags:\n", strings.TrimSpace(fs.help))
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(&b, "  --%s", f.Name)
		if name != "" {
			b.WriteString(" " + name)
		}
		fmt.Fprintf(&b, "\n        %s", usage)
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s" {
			fmt.Fprintf(&b, " (default %s)", f.DefValue)
		}
		fmt.Fprintf(&b, "\n        env: %s\n", strings.Join(fs.envNames(f.Name), ", then "))
	})
	b.WriteString("\nA flag on the command line wins over its environment variable.\n")
	io.WriteString(w, b.String())
}

// choiceVar defines a string flag that takes one of choices; any other value, from the
// command line or the environment, is refused with the list.
func (fs *flagSet) choiceVar(p *string, name, value, usage string, choices ...string) {
	*p = value
	fs.Func(name, fmt.Sprintf("%s: %s (default %s)", usage, strings.Join(choices, ", "), value), func(v string) error {
		if !slices.Contains(choices, v) {
			return fmt.Errorf("want one of %s", strings.Join(choices, ", "))
		}
		*p = v
		return nil
	})
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

// signingFlags are --sign, --signing-secret and --signature-header, the same for every
// command (mock and replay sign with them, listen verifies, check forges).
type signingFlags struct {
	sign    string
	secrets stringList
	header  string
}

// define adds the three flags; the usage of --sign and of --signing-secret says what this
// command does with them.
func (s *signingFlags) define(fs *flagSet, signUsage, secretUsage string) {
	s.sign = string(signature.None)
	fs.Func("sign", signUsage+"; the `scheme` is none, hmac-hex or standard (default none)", func(v string) error {
		scheme, err := signature.ParseScheme(v)
		if err != nil {
			return errors.New("want none, hmac-hex or standard")
		}
		s.sign = string(scheme)
		return nil
	})
	fs.Var(&s.secrets, "signing-secret", secretUsage)
	fs.StringVar(&s.header, "signature-header", signature.DefaultHMACHeader, "`header` holding the hmac-hex signature")
}

// config turns the flags into a signature configuration. A secret without a scheme is
// refused: it would silently go unused.
func (s *signingFlags) config() (signature.Config, error) {
	scheme, err := signature.ParseScheme(s.sign)
	if err != nil {
		return signature.Config{}, fmt.Errorf("--sign: %v", err)
	}
	cfg := signature.Config{Scheme: scheme, Secrets: s.secrets, Header: s.header}
	if scheme == signature.None && len(s.secrets) > 0 {
		return cfg, errors.New("--signing-secret is given but --sign is none; add --sign hmac-hex or --sign standard")
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("--sign %s: %v (give the secret with --signing-secret)", scheme, err)
	}
	return cfg, nil
}
