package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/contract"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
)

// checkFlags are the flags of `keaphook check`.
type checkFlags struct {
	sign      string
	secrets   stringList
	sigHeader string
	timeout   time.Duration
	junit     string
	json      bool
	only      string
	load      string
	loadFor   time.Duration
	keapURL   string
}

var checkSynopsis = `check URL [flags]

Run the contract checks against your hook endpoint, the URL you register as hookUrl, and say
for each what Keap would do and how to fix it. Only URL is contacted; redirects are not
followed (Keap does not follow them either).
Exits 0 when every check passed (warnings pass), 1 when one failed, 2 on a usage error.

Checks, in order: ` + strings.Join(contract.Checks(), ", ")

func runCheck(ctx context.Context, e env, args []string) int {
	var f checkFlags
	fs := newFlagSet(e, "check", checkSynopsis)
	fs.StringVar(&f.sign, "sign", "none", "sign deliveries with this `scheme` and check that forged ones are refused: none, hmac-hex or standard")
	fs.Var(&f.secrets, "signing-secret", "signing `secret` for --sign (repeatable or comma-separated)")
	fs.StringVar(&f.sigHeader, "signature-header", signature.DefaultHMACHeader, "`header` holding the hmac-hex signature")
	fs.DurationVar(&f.timeout, "timeout", keap.AttemptTimeout, "how long each answer may take (Keap waits 30s)")
	fs.StringVar(&f.junit, "junit", "", "also write the verdicts as JUnit XML to `file`")
	fs.BoolVar(&f.json, "json", false, "print the report as JSON instead of readable lines")
	fs.StringVar(&f.only, "only", "", "run only these checks (comma-separated `names`)")
	fs.StringVar(&f.load, "load", "", fmt.Sprintf("run the load check at `rate` deliveries a second (50, 50/s or 600/m; at most %g/s)", contract.MaxLoadRate))
	fs.DurationVar(&f.loadFor, "for", 0, fmt.Sprintf("how long the load check runs (default %s, at most %s)", contract.DefaultLoadDuration, contract.MaxLoadDuration))
	fs.StringVar(&f.keapURL, "keap", keap.DefaultBaseURL, "Keap API base `URL` put in the apiUrl fields (a mock's, for offline follow-up GETs)")
	// The URL may come before the flags: keaphook check http://localhost:3000/keap --junit r.xml.
	target, rest := splitFirstArg(args)
	if code := parseFlags(fs, e, rest); code >= 0 {
		return code
	}
	if target == "" && fs.NArg() > 0 {
		target, rest = fs.Arg(0), fs.Args()[1:]
	} else {
		rest = fs.Args()
	}
	if target == "" || len(rest) > 0 {
		return usagef(e, "check", "give one endpoint URL, e.g. keaphook check http://localhost:3000/keap (got %d arguments); see --help", len(rest)+boolInt(target != ""))
	}
	cfg, err := f.config(target)
	if err != nil {
		return usagef(e, "check", "%v", err)
	}
	return checkEndpoint(ctx, e, f, cfg)
}

// config turns the flags into the suite's configuration, reporting any mistake as a usage error.
func (f *checkFlags) config(target string) (contract.Config, error) {
	cfg := contract.Config{URL: target, Timeout: f.timeout, APIBaseURL: f.keapURL}
	if f.timeout <= 0 {
		return cfg, fmt.Errorf("--timeout must be positive, got %s", f.timeout)
	}
	var err error
	if cfg.Signing, err = signingFlags(f.sign, f.secrets, f.sigHeader); err != nil {
		return cfg, err
	}
	if f.only != "" {
		if cfg.Only, err = contract.ParseOnly(f.only); err != nil {
			return cfg, fmt.Errorf("--only: %v", err)
		}
	}
	if f.load == "" && f.loadFor != 0 {
		return cfg, errors.New("--for sets how long the load check runs; give its rate with --load too")
	}
	if f.load != "" {
		if cfg.Load.Rate, err = contract.ParseRate(f.load); err != nil {
			return cfg, fmt.Errorf("--load: %v", err)
		}
		cfg.Load.For = f.loadFor
	}
	return cfg, cfg.Validate()
}

// checkEndpoint runs the suite, showing each verdict as it comes (or the JSON report at the
// end), writes the JUnit file, and turns the report into the exit code. The JUnit file is
// created first, so a path that cannot be written fails before the run, not after it.
func checkEndpoint(ctx context.Context, e env, f checkFlags, cfg contract.Config) int {
	var junit *os.File
	if f.junit != "" {
		var err error
		if junit, err = os.Create(f.junit); err != nil {
			return failf(e, "check", "--junit: %v", err)
		}
		defer junit.Close() // a second Close after writeJUnit's is harmless
	}
	out := newCheckUI(newUI(e.stdout, e.getenv, f.json))
	if !f.json {
		out.start(keap.ShownURL(cfg.URL))
		cfg.OnResult = out.result
	}
	rep := contract.Run(ctx, cfg)
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return failf(e, "check", "writing the report: %v", err)
		}
	} else {
		out.summary(rep)
	}
	if junit != nil {
		if err := writeJUnit(junit, rep); err != nil {
			return failf(e, "check", "--junit %s: %v", f.junit, err)
		}
		if !f.json {
			out.wrote(f.junit)
		}
	}
	if rep.Failed() || ctx.Err() != nil {
		return exitFailure
	}
	return exitOK
}

// writeJUnit writes rep to file and closes it, reporting a failed close: that is where a
// full disk shows.
func writeJUnit(file *os.File, rep contract.Report) error {
	if err := contract.WriteJUnit(file, rep); err != nil {
		return err
	}
	return file.Close()
}
