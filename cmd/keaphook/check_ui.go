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

// result prints one verdict; it is the suite's OnResult, so lines appear as checks end.
func (c *checkUI) result(res contract.Result) {
	line := fmt.Sprintf("%-*s  %s", c.width, res.Name, res.Message)
	switch res.Status {
	case contract.Passed:
		c.u.Successf("✓ %s", line)
	case contract.Failed:
		c.u.Failf("✗ %s", line)
	case contract.Warned:
		c.u.Warnf("! %s", line)
	default:
		c.u.Infof("- %s", line)
	}
	if res.Fix != "" && (res.Status == contract.Failed || res.Status == contract.Warned) {
		c.u.Infof("  %s  fix: %s", strings.Repeat(" ", c.width), res.Fix)
	}
}

// summary prints the count line, or why the suite could not run.
func (c *checkUI) summary(rep contract.Report) {
	if rep.Error != "" {
		c.u.Failf("✗ the checks could not run: %s", rep.Error)
		return
	}
	counts := fmt.Sprintf("%d checks: %d passed, %d failed, %d warned, %d skipped (%s)",
		len(rep.Results), rep.Count(contract.Passed), rep.Count(contract.Failed),
		rep.Count(contract.Warned), rep.Count(contract.Skipped), rep.Duration.Round(time.Millisecond))
	switch {
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
