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
)

// checkFlags are the flags of `keaphook check`.
type checkFlags struct {
	signing signingFlags
	timeout time.Duration
	junit   string
	json    bool
	only    string
	load    string
	loadFor time.Duration
	keapURL string
	serial  bool
	trust   trustFlags
}

var checkHelp = `check URL [flags]

Run the contract checks against your hook endpoint, the URL you register as hookUrl, and say
for each what Keap would do and how to fix it. Only URL is contacted; redirects are not
followed (Keap does not follow them either).
Exits 0 when every check passed (warnings pass), 1 when one failed, 2 on a usage error.

Checks, in order: ` + strings.Join(contract.Checks(), ", ") + `

Examples:
  keaphook check http://localhost:3000/keap
  keaphook check http://localhost:3000/keap --junit report.xml --keap http://127.0.0.1:8080/crm/rest
  keaphook check http://localhost:3000/keap --only handshake-echo,delivery-accepted
  keaphook check http://localhost:3000/keap --sign hmac-hex --signing-secret s3cret
  keaphook check http://localhost:3000/keap --load 50 --for 10s
  keaphook check http://localhost:3000/keap --serial   # an endpoint that takes one request at a time
  keaphook check https://localhost:3443/keap --ca-file dev-ca.pem   # adds tls-valid`

func runCheck(ctx context.Context, e env, args []string) error {
	var f checkFlags
	fs := newFlagSet("check", checkHelp)
	f.signing.define(fs, "sign deliveries and check that forged ones are refused",
		"signing `secret` for --sign (repeatable or comma-separated)")
	fs.DurationVar(&f.timeout, "timeout", keap.AttemptTimeout, "how long each answer may take (Keap waits 30s)")
	fs.StringVar(&f.junit, "junit", "", "also write the verdicts as JUnit XML to `file`")
	fs.BoolVar(&f.json, "json", false, "print the report as JSON instead of readable lines")
	fs.StringVar(&f.only, "only", "", "run only these checks (comma-separated `names`)")
	fs.StringVar(&f.load, "load", "", fmt.Sprintf("run the load check at `rate` deliveries a second (50, 50/s or 600/m; at most %g/s)", contract.MaxLoadRate))
	fs.DurationVar(&f.loadFor, "for", 0, fmt.Sprintf("how long the load check runs (default %s, at most %s)", contract.DefaultLoadDuration, contract.MaxLoadDuration))
	fs.BoolVar(&f.serial, "serial", false, "send one request at a time, for an endpoint that cannot take more (a run may then take one --timeout a check)")
	fs.StringVar(&f.keapURL, "keap", keap.DefaultBaseURL, "Keap API base `URL` put in the apiUrl fields (a mock's, for offline follow-up GETs)")
	f.trust.define(fs)
	args, err := fs.parse(e, args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usagef("give one endpoint URL, e.g. keaphook check http://localhost:3000/keap (got %s)", argCount(args))
	}
	cfg, err := f.config(args[0])
	if err != nil {
		return fs.usage(err)
	}
	return checkEndpoint(ctx, e, f, cfg)
}

// config turns the flags into the suite's configuration, reporting any mistake as a usage error.
func (f *checkFlags) config(target string) (contract.Config, error) {
	cfg := contract.Config{URL: target, Timeout: f.timeout, APIBaseURL: f.keapURL, Serial: f.serial}
	if f.timeout <= 0 {
		return cfg, fmt.Errorf("--timeout must be positive, got %s", f.timeout)
	}
	var err error
	if cfg.Signing, err = f.signing.config(); err != nil {
		return cfg, err
	}
	if f.only != "" {
		if cfg.Only, err = contract.ParseOnly(f.only); err != nil {
			return cfg, fmt.Errorf("--only: %v", err)
		}
	}
	if cfg.Roots, err = f.trust.roots(); err != nil {
		return cfg, err
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
	if err := cfg.Validate(); errors.Is(err, contract.ErrLoadNeedsRate) {
		return cfg, errors.New("--only load: the load check needs its rate; add --load RATE (e.g. --load 50 --for 10s)")
	} else if err != nil {
		return cfg, err
	}
	return cfg, nil
}

// checkEndpoint runs the suite, showing each verdict as it comes (or the JSON report at the
// end), writes the JUnit file, and turns the report into the exit code. The JUnit file is
// created first, so a path that cannot be written fails before the run, not after it.
func checkEndpoint(ctx context.Context, e env, f checkFlags, cfg contract.Config) error {
	var junit *os.File
	if f.junit != "" {
		var err error
		if junit, err = os.Create(f.junit); err != nil {
			return fmt.Errorf("--junit: %v", err)
		}
		defer junit.Close() // a second Close after writeJUnit's is harmless
	}
	out := newCheckUI(newUI(e.stdout, e.getenv, f.json))
	if !f.json {
		out.start(keap.ShownURL(cfg.URL))
		cfg.Observe = out.result
	}
	rep := contract.Run(ctx, cfg)
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("writing the report: %v", err)
		}
	} else {
		out.summary(rep)
	}
	if junit != nil {
		if err := writeJUnit(junit, rep); err != nil {
			return fmt.Errorf("--junit %s: %v", f.junit, err)
		}
		if !f.json {
			out.wrote(f.junit)
		}
	}
	if rep.Interrupted {
		return interrupted("interrupted before every check had finished; the unfinished ones are marked skipped")
	}
	if rep.Failed() {
		return errReported
	}
	return nil
}

// writeJUnit writes rep to file and closes it, reporting a failed close: that is where a
// full disk shows.
func writeJUnit(file *os.File, rep contract.Report) error {
	if err := contract.WriteJUnit(file, rep); err != nil {
		return err
	}
	return file.Close()
}
