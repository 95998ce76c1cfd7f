package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/mock/testkit"
)

func TestChecksOrderAndOnly(t *testing.T) {
	t.Parallel()
	want := []string{"tls-valid", "handshake-echo", "handshake-fresh-secret", "handshake-not-processed", "delivery-accepted",
		"batch-1000", "duplicate-tolerated", "out-of-order", "unknown-event-key", "empty-apiUrl",
		"signature-required", "stale-timestamp-rejected", "load", "no-accidental-410"}
	if diff := cmp.Diff(want, Checks()); diff != "" {
		t.Fatalf("Checks() (-want +got):\n%s", diff)
	}
	cfg := serve(t, &receiver{})
	cfg.Only = []string{"EMPTY-APIURL", "handshake-echo"}
	var observed []Result
	cfg.Observe = func(r Result) { observed = append(observed, r) }
	rep := Run(context.Background(), cfg)
	if diff := cmp.Diff(rep.Results, observed); diff != "" {
		t.Errorf("Observe saw (-report +observed):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]Status{CheckHandshakeEcho: Passed, CheckEmptyAPIURL: Passed}, statuses(rep)); diff != "" {
		t.Errorf("--only ran (-want +got):\n%s", diff)
	}
	if rep.Results[0].Name != CheckHandshakeEcho {
		t.Errorf("checks run in suite order, not --only order: first is %s", rep.Results[0].Name)
	}
}

// TestKeapShapedRequests asserts what the endpoint receives: Keap's method, headers and body.
func TestKeapShapedRequests(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []*http.Request
	var bodies []string
	rc := &receiver{}
	cfg := serve(t, rc)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := readAll(r)
		mu.Lock()
		got, bodies = append(got, r), append(bodies, body)
		mu.Unlock()
		r.Body = bodyOf(body)
		rc.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg.URL, cfg.Only = srv.URL+"/hooks", []string{CheckHandshakeEcho, CheckDeliveryAccepted, CheckEmptyAPIURL}
	if rep := Run(context.Background(), cfg); rep.Failed() {
		t.Fatalf("run failed:\n%s", dump(rep))
	}
	for i, r := range got {
		if r.Method != http.MethodPost || r.URL.Path != "/hooks" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %d: %s %s %q", i, r.Method, r.URL.Path, r.Header.Get("Content-Type"))
		}
	}
	if bodies[0] != "{}" || len(got[0].Header.Get(keap.HeaderHookSecret)) != 64 {
		t.Errorf("handshake body %q, secret of %d characters", bodies[0], len(got[0].Header.Get(keap.HeaderHookSecret)))
	}
	// The two deliveries come at the same time, in either order.
	if strings.Contains(bodies[1], `"apiUrl":""`) {
		bodies[1], bodies[2] = bodies[2], bodies[1]
		got[1], got[2] = got[2], got[1]
	}
	ev := testkit.DecodeEvent(t, []byte(bodies[1]))
	k := ev.ObjectKeys[0]
	if ev.EventKey != "contact.add" || ev.ObjectType != "contact" || ev.APIURL != "" || len(ev.ObjectKeys) != 1 ||
		k.APIURL != keap.DefaultBaseURL+"/v1/contacts/"+itoa(k.ID) || k.Timestamp != "2026-03-29T10:55:37Z" {
		t.Errorf("delivery %s is not Keap-shaped", bodies[1])
	}
	if got[1].Header.Get(keap.HeaderHookSecret) != "" {
		t.Error("a delivery carries X-Hook-Secret")
	}
	empty := testkit.DecodeEvent(t, []byte(bodies[2]))
	if empty.ObjectKeys[0].APIURL != "" || empty.ObjectKeys[0].Timestamp <= empty.ObjectKeys[1].Timestamp {
		t.Errorf("empty-apiUrl delivery %s: want empty apiUrl, newest first", bodies[2])
	}
}

func TestBatchIsThousandKeysNewestFirst(t *testing.T) {
	t.Parallel()
	r := &runner{cfg: Config{APIBaseURL: "http://127.0.0.1:8080/crm/rest"}.withDefaults()}
	r.rand = r.cfg.Rand
	ev := r.newEvent(eventEdit, maxBatch, testkit.NewClock(time.Time{}).Now())
	if len(ev.ObjectKeys) != keap.MaxObjectsPerDelivery {
		t.Fatalf("%d keys; want %d", len(ev.ObjectKeys), keap.MaxObjectsPerDelivery)
	}
	for i := 1; i < len(ev.ObjectKeys); i++ {
		if ev.ObjectKeys[i].Timestamp >= ev.ObjectKeys[i-1].Timestamp {
			t.Fatalf("key %d is not older than key %d", i, i-1)
		}
	}
	if !strings.HasPrefix(ev.ObjectKeys[0].APIURL, "http://127.0.0.1:8080/crm/rest/v1/contacts/") {
		t.Errorf("apiUrl %q does not use APIBaseURL", ev.ObjectKeys[0].APIURL)
	}
}

func TestNo410AloneSendsItsOwnDelivery(t *testing.T) {
	t.Parallel()
	want(t, only(t, serve(t, &receiver{gone: true}), CheckNo410), Failed, "1 of the 1 valid deliveries")
	want(t, only(t, serve(t, &receiver{}), CheckNo410), Passed, "None of the 1")
}

func TestCancelledRunSkipsTheRest(t *testing.T) {
	t.Parallel()
	rc := &receiver{}
	cfg := serve(t, rc)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := Run(ctx, cfg)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rep.Count(Skipped) != len(httpChecks()) || rc.requests != 0 {
		t.Errorf("after cancel: %d of %d skipped, %d requests sent", rep.Count(Skipped), len(httpChecks()), rc.requests)
	}
}

func TestInvalidConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{
		{URL: "localhost:3000/keap"},
		{URL: "ftp://127.0.0.1/keap"},
		{URL: "http://127.0.0.1/keap", Only: []string{"handshake"}},
		{URL: "http://127.0.0.1/keap", Timeout: -time.Second},
		{URL: "http://127.0.0.1/keap", Signing: hmacSigning, Load: Load{Rate: 5000}},
		{URL: "http://127.0.0.1/keap", Signing: standardSigning, Load: Load{For: time.Second}},
		{URL: "http://127.0.0.1/keap", Signing: signature.Config{Scheme: signature.HMACHex}},
	} {
		rep := Run(context.Background(), cfg)
		if rep.Error == "" || len(rep.Results) != 0 || !rep.Failed() {
			t.Errorf("%+v: error %q, %d results; want an error and no results", cfg, rep.Error, len(rep.Results))
		}
	}
	if err := (Config{URL: "http://127.0.0.1/keap", Only: []string{"nope"}}).Validate(); err == nil ||
		!strings.Contains(err.Error(), "valid: tls-valid, handshake-echo, ") {
		t.Errorf("an unknown check name must list the valid ones: %v", err)
	}
}

func readAll(r *http.Request) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func bodyOf(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestExternalTarget runs the whole suite against a real endpoint named by KEAPHOOK_CHECK_URL,
// so the tests that pin the suite down can also be pointed at an app under development.
func TestExternalTarget(t *testing.T) {
	url := os.Getenv("KEAPHOOK_CHECK_URL")
	if url == "" {
		t.Skip("KEAPHOOK_CHECK_URL is not set; the in-process receivers cover the suite")
	}
	rep := Run(t.Context(), Config{URL: url})
	t.Log("\n" + dump(rep))
	if rep.Failed() {
		t.Errorf("%s fails the contract", url)
	}
}

// TestURLPasswordIsSentButNeverShown: an endpoint behind basic auth gets its credentials, and
// neither the report, its JSON and JUnit, nor a message quotes the password, since reports
// end up in CI logs.
func TestURLPasswordIsSentButNeverShown(t *testing.T) {
	t.Parallel()
	const password = "pa55word-in-url"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pw, ok := r.BasicAuth(); !ok || user != "keap" || pw != password {
			http.Error(w, "who are you", http.StatusUnauthorized)
			return
		}
		w.Header().Set(keap.HeaderHookSecret, r.Header.Get(keap.HeaderHookSecret))
	}))
	t.Cleanup(srv.Close)
	withAuth := strings.Replace(srv.URL, "http://", "http://keap:"+password+"@", 1)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()

	good := Run(t.Context(), Config{URL: withAuth + "/keap", Only: []string{CheckHandshakeEcho}})
	if good.Failed() || good.URL != strings.Replace(withAuth, password, "xxxxx", 1)+"/keap" {
		t.Errorf("report for %s: URL %q\n%s", srv.URL, good.URL, dump(good))
	}
	refused := Run(t.Context(), Config{URL: strings.Replace(closed.URL, "http://", "http://keap:"+password+"@", 1),
		Only: []string{CheckHandshakeEcho}})
	want(t, refused.Results[0], Failed, "nothing listens at http://keap:xxxxx@")
	invalid := Run(t.Context(), Config{URL: "ftp://keap:" + password + "@127.0.0.1/keap"})
	for _, rep := range []Report{good, refused, invalid} {
		var out bytes.Buffer
		if err := json.NewEncoder(&out).Encode(rep); err != nil {
			t.Fatal(err)
		}
		if err := WriteJUnit(&out, rep); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String(), password) {
			t.Errorf("the URL's password is shown:\n%s", out.String())
		}
	}
}

// httpChecks is every check that runs against an http:// URL: all but tls-valid.
func httpChecks() []string { return Checks()[1:] }
