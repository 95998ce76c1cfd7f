package contract

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// JUnit names: CI systems group testcases by classname and show the suite name as a title.
const (
	junitSuite     = "keaphook check"
	junitClassname = "keaphook.check"
)

type junitSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Time     string     `xml:"time,attr"`
	Suites   []junitRun `xml:"testsuite"`
}

type junitRun struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// WriteJUnit writes r as JUnit XML, the format CI systems read test results from: one
// testcase per check, a <failure> for a failed check, <skipped/> for a skipped one, and a
// warning as a passing testcase whose <system-out> says what to watch. A Report that could
// not run at all is one testcase with an <error>.
func WriteJUnit(w io.Writer, r Report) error {
	run := junitRun{Name: junitSuite, Time: seconds(r.Duration),
		Properties: []junitProperty{{Name: "url", Value: r.URL}}}
	for _, res := range r.Results {
		run.Cases = append(run.Cases, junitTestcase(res))
	}
	if r.Error != "" {
		run.Cases = append(run.Cases, junitCase{Name: "configuration", Classname: junitClassname, Time: seconds(0),
			Error: &junitProblem{Message: r.Error, Type: "invalid", Text: r.Error}})
	}
	run.Tests, run.Failures, run.Skipped = len(run.Cases), r.Count(Failed), r.Count(Skipped)
	if r.Error != "" {
		run.Errors = 1
	}
	doc := junitSuites{Name: junitSuite, Tests: run.Tests, Failures: run.Failures, Errors: run.Errors,
		Skipped: run.Skipped, Time: run.Time, Suites: []junitRun{run}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("contract: write JUnit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitTestcase(res Result) junitCase {
	c := junitCase{Name: res.Name, Classname: junitClassname, Time: seconds(res.Duration)}
	detail := res.Message
	if res.Fix != "" {
		detail += "\nFix: " + res.Fix
	}
	switch res.Status {
	case Failed:
		c.Failure = &junitProblem{Message: res.Message, Type: "failed", Text: detail}
	case Skipped:
		c.Skipped = &junitSkipped{Message: res.Message}
	case Warned:
		c.SystemOut = "warning: " + detail
	default:
		c.SystemOut = detail
	}
	return c
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
