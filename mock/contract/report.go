package contract

import (
	"encoding/json"
	"fmt"
	"time"
)

// Status is the verdict of one check.
type Status int

// The four verdicts. Warned passes (it does not fail a CI run) but says something will hurt.
const (
	Passed Status = iota
	Failed
	Warned
	Skipped
)

var statusNames = [...]string{Passed: "passed", Failed: "failed", Warned: "warned", Skipped: "skipped"}

func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// MarshalText writes the status as its name, so JSON reads "passed", not 0.
func (s Status) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(statusNames) {
		return nil, fmt.Errorf("contract: invalid status %d", int(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText reads a status name written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	for i, name := range statusNames {
		if string(b) == name {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("contract: unknown status %q", b)
}

// Result is the verdict of one check.
type Result struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Message says what happened and what Keap would do about it, in one sentence or two.
	Message string `json:"message"`
	// Fix says how to fix it; empty when there is nothing to fix.
	Fix string `json:"fix,omitempty"`
	// Duration is how long the check took, by Config.Now.
	Duration time.Duration `json:"-"`
	// Load holds the figures of the load check; nil for every other check.
	Load *LoadStats `json:"load,omitempty"`
}

// resultJSON is Result with its duration in milliseconds, which people and jq both read.
type resultJSON struct {
	resultFields
	DurationMS float64 `json:"durationMs"`
}

type resultFields Result // drops Result's methods, so encoding it does not recurse

// MarshalJSON writes the result with "duration_ms".
func (r Result) MarshalJSON() ([]byte, error) {
	return json.Marshal(resultJSON{resultFields(r), millis(r.Duration)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var v resultJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Result(v.resultFields)
	r.Duration = fromMillis(v.DurationMS)
	return nil
}

// Report is the outcome of one run of the suite.
type Report struct {
	// URL is Config.URL as ShownURL shows it.
	URL     string   `json:"url"`
	Results []Result `json:"results"`
	// Duration is how long the whole run took, by Config.Now.
	Duration time.Duration `json:"-"`
	// Error is set when the suite could not run at all (an invalid Config); Results is then empty.
	Error string `json:"error,omitempty"`
	// Interrupted is set when the caller's context ended the run early; the checks it cut
	// short are Skipped.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Failed reports whether any check failed, the suite could not run or was interrupted: the
// CI verdict. An interrupted run proves nothing, so it never passes.
func (r Report) Failed() bool {
	return r.Error != "" || r.Interrupted || r.Count(Failed) > 0
}

// Count returns how many checks ended with status s.
func (r Report) Count(s Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == s {
			n++
		}
	}
	return n
}

// reportJSON adds the totals a CI script wants without counting results itself.
type reportJSON struct {
	reportFields
	DurationMS float64        `json:"durationMs"`
	Failed     bool           `json:"failed"`
	Counts     map[Status]int `json:"counts"`
}

type reportFields Report

// MarshalJSON writes the report with its duration, its verdict and a count per status.
func (r Report) MarshalJSON() ([]byte, error) {
	counts := map[Status]int{}
	for s := range statusNames {
		counts[Status(s)] = r.Count(Status(s))
	}
	if r.Results == nil {
		r.Results = []Result{}
	}
	return json.Marshal(reportJSON{reportFields(r), millis(r.Duration), r.Failed(), counts})
}

// UnmarshalJSON reads what MarshalJSON writes; the derived totals are recomputed, not read.
func (r *Report) UnmarshalJSON(b []byte) error {
	var v reportJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = Report(v.reportFields)
	r.Duration = fromMillis(v.DurationMS)
	return nil
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMillis(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }
