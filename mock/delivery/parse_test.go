package delivery

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseSchedule(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   string
		want Schedule
	}{
		{"30s-60s,5m,30m", KeapSchedule},
		{"15m", Schedule{Fixed(15 * time.Minute)}},
		{" 1s - 2s , 0s ", Schedule{{time.Second, 2 * time.Second}, Fixed(0)}},
		{"1h30m", Schedule{Fixed(90 * time.Minute)}},
	} {
		got, err := ParseSchedule(c.in)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", c.in, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("ParseSchedule(%q) (-want +got):\n%s", c.in, diff)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"", "empty retry schedule"},
		{"30s,,5m", "delay 2: empty delay"},
		{"5", `delay 1: delay "5": "5" is not a duration`},
		{"-5s", `delay "-5s" is negative`},
		{"60s-30s", "runs backwards"},
		{"30s-", "a duration on both sides of the dash"},
		{"30s--5s", "negative"},
		{"1s-2s-3s", "is not a duration"},
		{"9000h", "longer than the limit"},
		{strings.Repeat("1s,", 100) + "1s", "the limit is 100"},
	} {
		_, err := ParseSchedule(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseSchedule(%.20q) = %v, want an error containing %q", c.in, err, c.want)
		}
	}
}

func TestScheduleLastDelayRepeats(t *testing.T) {
	t.Parallel()
	s := Schedule{Fixed(time.Second), Fixed(time.Minute)}
	for n, want := range map[int]time.Duration{1: time.Second, 2: time.Minute, 3: time.Minute, 9: time.Minute} {
		if got := s.Delay(n); got != Fixed(want) {
			t.Errorf("Delay(%d) = %s, want %s", n, got, want)
		}
	}
	if got := KeapSchedule.String(); got != "30s-1m0s,5m0s,30m0s" {
		t.Errorf("String() = %q", got)
	}
}

func TestParseSuccess(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Success{"200-399": KeapSuccess, "200": OnlyOK, " 200 - 299 ": {200, 299}} {
		got, err := ParseSuccess(in)
		if err != nil || got != want {
			t.Errorf("ParseSuccess(%q) = %v, %v; want %v", in, got, err, want)
		}
		if !got.OK(want.Min) || got.OK(want.Max+1) || got.OK(want.Min-1) {
			t.Errorf("%v.OK is wrong at its edges", got)
		}
	}
	for in, want := range map[string]string{
		"":        "empty success policy",
		"ok":      `"ok" is not a three-digit HTTP status code`,
		"2000":    "not a three-digit",
		"399-200": "runs backwards",
		"200-":    "not a three-digit",
		"099":     "status codes run from 100 to 599",
		"200-600": "status codes run from 100 to 599",
	} {
		_, err := ParseSuccess(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSuccess(%q) = %v, want an error containing %q", in, err, want)
		}
	}
}

func TestParseTimingAndState(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"keap", "fast", "virtual"} {
		if got, err := ParseTiming(s); err != nil || string(got) != s {
			t.Errorf("ParseTiming(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := ParseTiming("slow"); err == nil || !strings.Contains(err.Error(), "want keap, fast or virtual") {
		t.Errorf("ParseTiming(slow) = %v", err)
	}
	for _, s := range States {
		if got, err := ParseState(string(s)); err != nil || got != s {
			t.Errorf("ParseState(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := ParseState("delivered"); err == nil {
		t.Error("ParseState accepted a lower-case state")
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	if err := KeapPolicy().Validate(); err != nil {
		t.Fatalf("KeapPolicy: %v", err)
	}
	for _, c := range []struct {
		change func(*Policy)
		want   string
	}{
		{func(p *Policy) { p.MaxAttempts = 0 }, "max attempts 0: want 1 to 1000"},
		{func(p *Policy) { p.Retry = nil }, "a retry schedule is needed"},
		{func(p *Policy) { p.AttemptTimeout = 0 }, "attempt timeout 0s"},
		{func(p *Policy) { p.Success = Success{300, 200} }, "runs backwards"},
		{func(p *Policy) { p.FirstDelay = Range{Min: -1} }, "first delay"},
		{func(p *Policy) { p.Retry[1] = Range{Min: 2, Max: 1} }, "retry schedule, delay 2"},
	} {
		p := KeapPolicy()
		c.change(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate = %v, want %q", err, c.want)
		}
	}
	// The seed-002 sender: every 15 minutes, 10 attempts, only 200 is success.
	p := KeapPolicy()
	p.Retry, p.MaxAttempts, p.Success = Schedule{Fixed(15 * time.Minute)}, 10, OnlyOK
	if err := p.Validate(); err != nil {
		t.Errorf("seed-002 policy: %v", err)
	}
}

func TestFastTimingScalesTheShape(t *testing.T) {
	t.Parallel()
	p := KeapPolicy().under(TimingFast)
	if p.FirstDelay != (Range{3 * time.Millisecond, 6 * time.Millisecond}) ||
		p.Retry.String() != "3ms-6ms,30ms,180ms" ||
		p.FirstDelays["contactGroup.applied"] != (Range{30 * time.Millisecond, 60 * time.Millisecond}) {
		t.Errorf("fast policy %+v", p)
	}
	if p.AttemptTimeout != FastMinAttemptTimeout {
		t.Errorf("fast attempt timeout %s, want %s", p.AttemptTimeout, FastMinAttemptTimeout)
	}
	if k := KeapPolicy(); k.Retry.String() != KeapSchedule.String() {
		t.Error("scaling changed the original policy")
	}
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"30s-60s,5m,30m", "15m", "", "1s-", "-1s", "0s,0s", "1h-1ms", "5m-5m", " 2s ,3s", "1e9h", "∞"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sched, err := ParseSchedule(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if len(sched) == 0 {
			t.Fatal("empty schedule without an error")
		}
		for _, r := range sched {
			if err := r.Validate(); err != nil {
				t.Fatalf("ParseSchedule(%q) gave an invalid range: %v", s, err)
			}
		}
		again, err := ParseSchedule(sched.String())
		if err != nil || again.String() != sched.String() {
			t.Fatalf("round trip of %q: %q, %v", sched, again, err)
		}
	})
}

func FuzzParseSuccess(f *testing.F) {
	for _, s := range []string{"200-399", "200", "", "399-200", "abc", "200-", "-200", "+20", "100-599"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseSuccess(s)
		if err != nil {
			return
		}
		if p.Min < 100 || p.Max > 599 || p.Min > p.Max {
			t.Fatalf("ParseSuccess(%q) = %v", s, p)
		}
		if again, err := ParseSuccess(p.String()); err != nil || again != p {
			t.Fatalf("round trip of %v: %v, %v", p, again, err)
		}
	})
}

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"30s-60s", "5m", "", "-", "1s-0s", "0s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRange(s)
		if err != nil {
			return
		}
		if r.Min < 0 || r.Min > r.Max || r.Max > MaxDelay {
			t.Fatalf("ParseRange(%q) = %v", s, r)
		}
	})
}
