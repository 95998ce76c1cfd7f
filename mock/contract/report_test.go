package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// parsed JUnit, read back with encoding/xml the way a CI system would.
type xmlSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Time     string `xml:"time,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Time      string `xml:"time,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct{} `xml:"skipped"`
			Out     string    `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, r Report) xmlSuites {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	var doc xmlSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("the JUnit output does not parse: %v\n%s", err, buf.String())
	}
	if len(doc.Suites) != 1 {
		t.Fatalf("%d testsuites; want 1", len(doc.Suites))
	}
	return doc
}

func TestJUnitOfAFailingRun(t *testing.T) {
	t.Parallel()
	rep := Run(context.Background(), serve(t, &receiver{gone: true}))
	doc := parseJUnit(t, rep)
	suite := doc.Suites[0]
	if suite.Name != "keaphook check" || suite.Tests != len(httpChecks()) || suite.Failures != 7 || suite.Skipped != 3 {
		t.Errorf("testsuite %q tests=%d failures=%d skipped=%d; want \"keaphook check\" %d, 7, 3",
			suite.Name, suite.Tests, suite.Failures, suite.Skipped, len(httpChecks()))
	}
	if doc.Tests != suite.Tests || doc.Failures != suite.Failures || doc.Skipped != suite.Skipped {
		t.Errorf("testsuites totals %d/%d/%d differ from the testsuite's", doc.Tests, doc.Failures, doc.Skipped)
	}
	var names []string
	failed := map[string]bool{}
	for _, c := range suite.Cases {
		names = append(names, c.Name)
		if c.Classname != "keaphook.check" || c.Time == "" {
			t.Errorf("%s: classname %q time %q", c.Name, c.Classname, c.Time)
		}
		if c.Failure != nil {
			failed[c.Name] = true
			if c.Failure.Message == "" || !strings.Contains(c.Failure.Text, "Fix: ") {
				t.Errorf("%s: failure %+v has no message or no fix", c.Name, c.Failure)
			}
		}
	}
	if diff := cmp.Diff(httpChecks(), names); diff != "" {
		t.Errorf("testcase names (-want +got):\n%s", diff)
	}
	wantFailed := map[string]bool{CheckNo410: true}
	for _, n := range deliveryChecks {
		wantFailed[n] = true
	}
	if diff := cmp.Diff(wantFailed, failed); diff != "" {
		t.Errorf("failed testcases (-want +got):\n%s", diff)
	}
}

func TestJUnitWarningsPassAndErrorsCount(t *testing.T) {
	t.Parallel()
	doc := parseJUnit(t, Report{Results: []Result{
		{Name: CheckBatch1000, Status: Warned, Message: "slow", Fix: "answer first"},
		{Name: CheckLoad, Status: Skipped, Message: "opt-in"},
	}})
	c := doc.Suites[0].Cases
	if c[0].Failure != nil || c[0].Skipped != nil || !strings.Contains(c[0].Out, "warning: slow") {
		t.Errorf("a warning must pass with its sentence in system-out: %+v", c[0])
	}
	if c[1].Skipped == nil || doc.Failures != 0 || doc.Skipped != 1 {
		t.Errorf("skipped case %+v, failures %d, skipped %d", c[1], doc.Failures, doc.Skipped)
	}

	bad := parseJUnit(t, Run(context.Background(), Config{URL: "not a url"}))
	if bad.Errors != 1 || len(bad.Suites[0].Cases) != 1 || bad.Suites[0].Cases[0].Error == nil {
		t.Errorf("an invalid config must be one errored testcase: %+v", bad)
	}
}

func TestReportJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rep := Report{URL: "http://127.0.0.1:3000/keap", Duration: 1500 * time.Millisecond, Results: []Result{
		{Name: CheckHandshakeEcho, Status: Passed, Message: "ok", Duration: 3 * time.Millisecond},
		{Name: CheckBatch1000, Status: Failed, Message: "too slow", Fix: "answer first", Duration: 30 * time.Second},
		{Name: CheckLoad, Status: Warned, Message: "m", Load: &LoadStats{Rate: 50, Sent: 10, Succeeded: 10, SuccessRate: 1, P99: 2 * time.Millisecond}},
	}}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	json.Unmarshal(b, &generic)
	if generic["failed"] != true || generic["durationMs"] != 1500.0 {
		t.Errorf("failed=%v durationMs=%v in %s", generic["failed"], generic["durationMs"], b)
	}
	if counts, _ := generic["counts"].(map[string]any); counts["failed"] != 1.0 || counts["passed"] != 1.0 || counts["skipped"] != 0.0 {
		t.Errorf("counts %v", generic["counts"])
	}
	for _, want := range []string{`"status":"failed"`, `"durationMs":30000`, `"p99Ms":2`, `"fix":"answer first"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	back.Results[2].Load, rep.Results[2].Load = nil, nil // percentiles are written, not read back
	if diff := cmp.Diff(rep, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestStatusText(t *testing.T) {
	t.Parallel()
	for _, s := range []Status{Passed, Failed, Warned, Skipped} {
		var back Status
		b, _ := s.MarshalText()
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%v: round trip gave %v, %v", s, back, err)
		}
	}
	if _, err := Status(9).MarshalText(); err == nil {
		t.Error("an invalid status marshalled")
	}
	var s Status
	if err := s.UnmarshalText([]byte("green")); err == nil {
		t.Error("an unknown status name was accepted")
	}
}
