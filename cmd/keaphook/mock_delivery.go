package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/signature"
)

// deliveryFlags are the flags of `keaphook mock` that shape deliveries: timing, the sender's
// rules, signatures and chaos.
type deliveryFlags struct {
	timing         delivery.Timing
	retrySchedule  string
	maxAttempts    int
	success        string
	attemptTimeout time.Duration
	emptyAPIURL    bool
	randSeed       uint64
	signing        signingFlags
	chaos          delivery.Chaos
	chaosDelay     string
}

func (d *deliveryFlags) define(fs *flagSet) {
	d.timing = delivery.TimingFast
	fs.Func("timing", "delivery `timing`: keap (real durations), fast (Keap's shape scaled down; the default), virtual (Keap's durations on a clock moved by POST /_mock/clock/advance)", func(v string) error {
		t, err := delivery.ParseTiming(v)
		if err != nil {
			return errors.New("want keap, fast or virtual")
		}
		d.timing = t
		return nil
	})
	fs.StringVar(&d.retrySchedule, "retry-schedule", "", "waits after each failed attempt, the last one repeating, e.g. 30s-60s,5m,30m (Keap's) or 15m (default: Keap's)")
	fs.IntVar(&d.maxAttempts, "max-attempts", 0, "attempts before a delivery fails and its hook goes Inactive (default: Keap's 4)")
	fs.StringVar(&d.success, "success", "200-399", "status codes that count as success: 200-399 (Keap) or 200 (stricter senders)")
	fs.DurationVar(&d.attemptTimeout, "attempt-timeout", 0, "how long an attempt waits for an answer (default: Keap's 30s)")
	fs.BoolVar(&d.emptyAPIURL, "empty-api-url", false, "send empty apiUrl fields, as real Keap sometimes does")
	fs.Uint64Var(&d.randSeed, "rand-seed", 0, "seed for jitter and chaos, for repeatable runs (0: random)")
	d.signing.define(fs, "sign deliveries (Keap signs nothing: none)",
		"signing `secret` (repeatable: standard signs with each, for rotation; whsec_... for standard)")
	fs.Float64Var(&d.chaos.Duplicate, "chaos-duplicate", 0, "probability (0-1) that an attempt is sent twice")
	fs.Float64Var(&d.chaos.Reorder, "chaos-reorder", 0, "probability (0-1) that a delivery is held back so later ones overtake it")
	fs.StringVar(&d.chaosDelay, "chaos-delay", "", "extra `delay` (or min-max range) before every attempt, e.g. 10s or 5s-20s")
	fs.Float64Var(&d.chaos.DropFirst, "chaos-drop-first", 0, "probability (0-1) that a delivery's first attempt is lost")
}

func (d *deliveryFlags) options() ([]mock.Option, error) {
	policy, err := d.policy()
	if err != nil {
		return nil, err
	}
	if d.chaosDelay != "" {
		if d.chaos.Delay, err = delivery.ParseRange(d.chaosDelay); err != nil {
			return nil, fmt.Errorf("--chaos-delay: %v", err)
		}
	}
	if err := d.chaos.Validate(); err != nil {
		return nil, fmt.Errorf("chaos: %v", err)
	}
	opts := []mock.Option{mock.WithTiming(d.timing), mock.WithPolicy(policy), mock.WithChaos(d.chaos)}
	sc, err := d.signing.config()
	if err != nil {
		return nil, err
	}
	if sc.Scheme != signature.None {
		opts = append(opts, mock.WithSigning(sc))
	}
	if d.emptyAPIURL {
		opts = append(opts, mock.WithEmptyAPIURL())
	}
	if d.randSeed != 0 {
		opts = append(opts, mock.WithRandSeed(d.randSeed))
	}
	return opts, nil
}

// policy starts from Keap's rules and applies the flags that were given.
func (d *deliveryFlags) policy() (delivery.Policy, error) {
	p := delivery.KeapPolicy()
	var err error
	if d.retrySchedule != "" {
		if p.Retry, err = delivery.ParseSchedule(d.retrySchedule); err != nil {
			return p, fmt.Errorf("--retry-schedule: %v", err)
		}
	}
	if d.maxAttempts != 0 {
		p.MaxAttempts = d.maxAttempts
	}
	if p.Success, err = delivery.ParseSuccess(d.success); err != nil {
		return p, fmt.Errorf("--success: %v", err)
	}
	if d.attemptTimeout != 0 {
		p.AttemptTimeout = d.attemptTimeout
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("delivery rules: %v", err)
	}
	return p, nil
}

// customRules names the rules that differ from Keap's: "retries 15m, 10 attempts, success 200".
func (d *deliveryFlags) customRules() string {
	rules := []string{}
	if d.retrySchedule != "" {
		rules = append(rules, "retries "+d.retrySchedule)
	}
	if d.maxAttempts != 0 {
		rules = append(rules, fmt.Sprintf("%d attempts", d.maxAttempts))
	}
	return strings.Join(append(rules, "success "+d.success), ", ")
}

// describe says in one line how deliveries will behave.
func (d *deliveryFlags) describe() string {
	parts := []string{string(d.timing) + " timing"}
	if d.retrySchedule != "" || d.maxAttempts != 0 || d.success != "200-399" {
		parts = append(parts, "custom retry rules ("+d.customRules()+")")
	} else {
		parts = append(parts, "Keap's retry schedule (4 attempts, success 200-399, Inactive after the 4th failure or a 410)")
	}
	if d.signing.sign != string(signature.None) {
		parts = append(parts, "signed "+d.signing.sign)
	}
	if d.chaos != (delivery.Chaos{}) || d.chaosDelay != "" {
		parts = append(parts, "chaos on")
	}
	return strings.Join(parts, ", ")
}
