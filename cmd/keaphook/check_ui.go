package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/contract"
)

// checkUI prints the verdicts of `keaphook check`: one line per check with its mark and
// sentence, the fix under a failure or a warning, and a count line at the end. Colour comes
// from ui, so it is off on a non-terminal and under NO_COLOR.
type checkUI struct {
	u     *ui
	width int
	// skips holds the names of consecutive checks skipped for the same reason, printed as
	// one line when a different verdict (or the summary) comes.
	skips   []string
	skipWhy string
}

func newCheckUI(u *ui) *checkUI {
	w := 0
	for _, name := range contract.Checks() {
		w = max(w, len(name))
	}
	return &checkUI{u: u, width: w}
}

func (c *checkUI) start(url string) {
	c.u.Headf("keaphook check %s", url)
}

// skipHints say how to run the checks that are off unless a flag is given; the suite's
// sentences name no flag.
var skipHints = map[string]string{
	contract.NotSigned: "pass --sign hmac-hex or --sign standard with --signing-secret",
	contract.LoadOptIn: "pass --load RATE --for DURATION (e.g. --load 50 --for 10s)",
}

// result prints one verdict; it is the suite's Observe, so lines appear as checks end.
func (c *checkUI) result(res contract.Result) {
	if res.Status == contract.Skipped {
		if res.Message != c.skipWhy {
			c.flushSkips()
		}
		c.skips, c.skipWhy = append(c.skips, res.Name), res.Message
		return
	}
	c.flushSkips()
	line := fmt.Sprintf("%-*s  %s", c.width, res.Name, res.Message)
	switch res.Status {
	case contract.Passed:
		c.u.Successf("✓ %s", line)
	case contract.Failed:
		c.u.Failf("✗ %s", line)
	default:
		c.u.Warnf("! %s", line)
	}
	if res.Fix != "" {
		c.u.Infof("  %s  fix: %s", strings.Repeat(" ", c.width), res.Fix)
	}
}

// flushSkips prints the skipped checks held back: one line for one, one line naming them
// all for several, so an unreachable endpoint does not print the same sentence ten times.
func (c *checkUI) flushSkips() {
	if len(c.skips) == 0 {
		return
	}
	why := c.skipWhy
	if hint := skipHints[why]; hint != "" {
		them := map[bool]string{false: "it", true: "them"}[len(c.skips) > 1]
		why += fmt.Sprintf(" To run %s, %s.", them, hint)
	}
	if len(c.skips) == 1 {
		c.u.Infof("- %-*s  %s", c.width, c.skips[0], why)
	} else {
		c.u.Infof("- %s: %s", strings.Join(c.skips, ", "), why)
	}
	c.skips, c.skipWhy = nil, ""
}

// summary prints the count line, or why the suite could not run.
func (c *checkUI) summary(rep contract.Report) {
	c.flushSkips()
	if rep.Error != "" {
		c.u.Failf("✗ the checks could not run: %s", rep.Error)
		return
	}
	counts := fmt.Sprintf("%d checks: %d passed, %d failed, %d warned, %d skipped (%s)",
		len(rep.Results), rep.Count(contract.Passed), rep.Count(contract.Failed),
		rep.Count(contract.Warned), rep.Count(contract.Skipped), rep.Duration.Round(time.Millisecond))
	switch {
	case rep.Interrupted:
		c.u.Warnf("%s: interrupted, so no verdict.", counts)
	case rep.Failed():
		c.u.Failf("%s: Keap would not be happy with this endpoint yet.", counts)
	case rep.Count(contract.Warned) > 0:
		c.u.Warnf("%s: it works, with the warnings above to look at.", counts)
	default:
		c.u.Successf("%s: ready for Keap.", counts)
	}
}

func (c *checkUI) wrote(path string) {
	c.u.Infof("JUnit report written to %s", path)
}
