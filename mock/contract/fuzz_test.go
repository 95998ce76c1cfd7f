package contract

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func FuzzParseOnly(f *testing.F) {
	for _, s := range []string{"handshake-echo", "batch-1000,load", " EMPTY-APIURL , empty-apiUrl ", "", ",", "nope", "load,,x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := ParseOnly(s)
		if err != nil {
			return
		}
		if len(names) == 0 {
			t.Fatalf("ParseOnly(%q) accepted an empty list", s)
		}
		seen := map[string]bool{}
		for _, n := range names {
			if canon, ok := lookupCheck(n); !ok || canon != n || seen[n] {
				t.Fatalf("ParseOnly(%q) = %q: %q is not a canonical name given once", s, names, n)
			}
			seen[n] = true
		}
		if (Config{URL: "http://127.0.0.1/", Only: names, Load: Load{Rate: 1}}).Validate() != nil {
			t.Fatalf("ParseOnly(%q) = %q, which Config.Validate refuses", s, names)
		}
	})
}

func FuzzLoadSpec(f *testing.F) {
	for _, s := range []string{"50", "50/s", "600/m", "0.5", "1000", "1001", "-1", "NaN", "1e309", "5/x", ""} {
		f.Add(s, int64(10*time.Second))
	}
	f.Fuzz(func(t *testing.T, rate string, d int64) {
		r, err := ParseRate(rate)
		if err != nil {
			return
		}
		if !(r > 0 && r <= MaxLoadRate) {
			t.Fatalf("ParseRate(%q) = %g, outside (0, %g]", rate, r, MaxLoadRate)
		}
		l := Load{Rate: r, For: time.Duration(d)}
		if l.Validate() == nil && (l.withDefaults().planned() < 1 || l.withDefaults().planned() > int(MaxLoadRate*MaxLoadDuration.Seconds())) {
			t.Fatalf("%+v validates but plans %d deliveries", l, l.withDefaults().planned())
		}
	})
}

// FuzzJudgeHandshake feeds arbitrary answers to the handshake judgement: it must never panic,
// pass only a 200 echoing exactly the secret, and never quote the secret in its sentence.
func FuzzJudgeHandshake(f *testing.F) {
	f.Add(200, "X-Hook-Secret", "abc", "", "abc")
	f.Add(200, "x-hook-secret", "abc", "", "abc")
	f.Add(200, "Content-Type", "text/plain", "abc", "abc")
	f.Add(302, "Location", "https://example.test/", "", "abc")
	f.Add(500, "X-Hook-Secret", "abc", "oops", "abc")
	f.Add(0, "", "", "", "")
	f.Add(-1, "X-Hook-Secret", "", "\x00", "")
	f.Fuzz(func(t *testing.T, status int, name, value, body, secret string) {
		h := http.Header{}
		if name != "" {
			h.Add(name, value)
		}
		v := judgeHandshake(status, h, []byte(body), secret, "earlier")
		wantOK := status == 200 && http.CanonicalHeaderKey(name) == "X-Hook-Secret" && value == secret
		if v.ok != wantOK {
			t.Fatalf("status %d, %q: %q, secret %q: ok=%v, want %v", status, name, value, secret, v.ok, wantOK)
		}
		if v.msg == "" || (!v.ok && v.fix == "") {
			t.Fatalf("no sentence or no fix: %+v", v)
		}
		// A redirect's sentence quotes its Location, which the fuzzer may set to the secret.
		redirect := status >= 300 && status < 400
		if !redirect && len(secret) >= 8 && strings.Contains(v.msg+v.fix, secret) {
			t.Fatalf("the verdict quotes the secret: %+v", v)
		}
	})
}
