package mock_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/keap"
)

// TestRateLimitsForAPIKeys: a PAT gets 10 calls a second and 240 a minute, told through
// Keap's headers; the 11th call in a second is Keap's 429, and the next second is fresh.
func TestRateLimitsForAPIKeys(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithRateLimits())...)
	a.alignToMinute() // the story below must stay inside one minute window
	call := func() response {
		return a.doWith(testClient, "GET", "/crm/rest/v1/hooks", "", keap.HeaderAPIKey, "KeapAK-test")
	}
	for i := 1; i <= 10; i++ {
		r := call()
		if r.status != 200 {
			t.Fatalf("call %d: %d", i, r.status)
		}
		if got := r.header.Get("x-keap-product-throttle-available"); got != strconv.Itoa(10-i) {
			t.Errorf("call %d: throttle available = %q, want %d", i, got, 10-i)
		}
	}
	r := call()
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Fatalf("11th call in a second: %d, Retry-After %q; want 429 and 1", r.status, r.header.Get("Retry-After"))
	}
	var f keap.Fault
	if json.Unmarshal(r.body, &f); f.Fault.Detail.ErrorCode != "policies.ratelimit.QuotaViolation" {
		t.Errorf("429 body = %s, want Keap's quota violation", r.body)
	}

	a.advance("1s")
	if r := call(); r.status != 200 {
		t.Fatalf("a second later: %d, want 200", r.status)
	}
	// 240 a minute: spend the rest of this minute's allowance a second at a time.
	for used := 11; used < 240; used++ {
		if used%10 == 0 {
			a.advance("1s")
		}
		if r := call(); r.status != 200 {
			t.Fatalf("call %d of the minute: %d", used+1, r.status)
		}
	}
	a.advance("1s")
	if r := call(); r.status != http.StatusTooManyRequests {
		t.Errorf("call 241 within a minute: %d, want 429", r.status)
	}
	if r.header.Get("x-keap-product-quota-limit") != "30000" || r.header.Get("x-keap-product-quota-time-unit") != "day" {
		t.Errorf("quota headers = %v", r.header)
	}
}

func TestRateLimitsForOAuthTokensAndOff(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithRateLimits())...)
	r := a.do("GET", "/crm/rest/v1/hooks", "")
	if r.header.Get("x-keap-product-throttle-limit") != "1500" || r.header.Get("x-keap-product-throttle-time-unit") != "minute" {
		t.Errorf("a bearer token's throttle headers = %v, want 1500 a minute", r.header)
	}
	if r := a.do("GET", "/_mock/clock", ""); r.header.Get("x-keap-product-throttle-limit") != "" {
		t.Error("the mock's own controls are rate limited")
	}
	plain := newAPI(t)
	if r := plain.do("GET", "/crm/rest/v1/hooks", ""); r.header.Get("x-keap-product-quota-limit") != "" {
		t.Error("rate-limit headers without WithRateLimits")
	}
}

// alignToMinute advances the virtual clock to the start of the next minute.
func (a *api) alignToMinute() {
	a.t.Helper()
	var c struct {
		Now time.Time `json:"now"`
	}
	decodeInto(a.t, a.do("GET", "/_mock/clock", "").body, &c)
	if wait := c.Now.Truncate(time.Minute).Add(time.Minute).Sub(c.Now); wait > 0 {
		a.advance(wait.String())
	}
}
