package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/fixtures/schema"
	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/mock/testkit"
)

// hookReceiver echoes the handshake and keeps every delivery it gets.
type hookReceiver struct{ *testkit.Endpoint }

func newHookReceiver(t *testing.T) hookReceiver { return hookReceiver{testkit.NewEndpoint(t, nil)} }

func (rc hookReceiver) received(t *testing.T) []keap.Event { return rc.Deliveries(t) }

// subscribeAll registers one verified hook per event key the mock knows.
func subscribeAll(t *testing.T, m *mocktest.Server, hookURL string) *keapclient.Client {
	t.Helper()
	kc, err := keapclient.New(m.APIURL, keapclient.WithBearerToken(m.Token()))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := kc.EventKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range keys {
		h, err := kc.CreateHook(t.Context(), key, hookURL)
		if err != nil || h.Status != keap.StatusVerified {
			t.Fatalf("hook for %s: %+v %v", key, h, err)
		}
	}
	return kc
}

// The whole promise: trigger --all against a mock with one verified hook per key makes a
// delivery per key, and every non-empty apiUrl in them answers as Keap would: the object,
// valid against Keap's schema, or for a deleted object Keap's 404.
func TestTriggerAllDeliversEveryKeyAndEveryAPIURLResolves(t *testing.T) {
	for _, seeded := range []bool{false, true} {
		t.Run(fmt.Sprintf("seed=%v", seeded), func(t *testing.T) {
			t.Parallel()
			opts := []mock.Option{mock.WithTiming(delivery.TimingVirtual)}
			if seeded {
				opts = append(opts, mock.WithSeedData())
			}
			m := mocktest.NewServer(t, opts...)
			rc := newHookReceiver(t)
			subscribeAll(t, m, rc.URL)

			code, out, errOut := runCmd(t, nil, "trigger", "--all", "--mock", m.URL, "--token", m.Token())
			if code != exitOK {
				t.Fatalf("trigger --all: exit %d\n%s\n%s", code, out, errOut)
			}
			// Keap's first attempt comes 30-60 s after a change, 5-10 min for some tag events.
			m.Advance(t, 15*time.Minute)
			checkDeliveries(t, m, rc.received(t))
		})
	}
}

func checkDeliveries(t *testing.T, m *mocktest.Server, events []keap.Event) {
	t.Helper()
	v, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	// An object deleted during the run answers 404, whichever delivery names it: the add
	// of a contact that trigger then deleted for contact.delete too.
	deleted := map[string]bool{}
	for _, ev := range events {
		if info, _ := fixtures.Lookup(ev.EventKey); info.Verb == "delete" {
			for _, ok := range ev.ObjectKeys {
				deleted[info.URLPath(ok.ID)] = true
			}
		}
	}
	seen, checked := map[string]bool{}, 0
	for _, ev := range events {
		seen[ev.EventKey] = true
		info, _ := fixtures.Lookup(ev.EventKey)
		for _, ok := range ev.ObjectKeys {
			if info.Path == "" {
				if ok.APIURL != "" {
					t.Errorf("%s: apiUrl %q for an object v1 cannot get", ev.EventKey, ok.APIURL)
				}
				continue
			}
			if !strings.HasPrefix(ok.APIURL, m.APIURL+"/v1/") {
				t.Errorf("%s: apiUrl %q is not on the mock", ev.EventKey, ok.APIURL)
				continue
			}
			checkAPIURL(t, m, v, ev.EventKey, ok.APIURL, deleted[info.URLPath(ok.ID)])
			checked++
		}
	}
	if checked < 35 {
		t.Errorf("only %d apiUrls checked", checked)
	}
	for _, key := range fixtures.EventKeys() {
		if !seen[key] {
			t.Errorf("no delivery for %s", key)
		}
	}
}

func checkAPIURL(t *testing.T, m *mocktest.Server, v *schema.Validator, key, apiURL string, deleted bool) {
	t.Helper()
	resp, err := m.Client().Get(apiURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	path := strings.TrimPrefix(apiURL, m.URL)
	switch {
	case deleted && resp.StatusCode != http.StatusNotFound:
		t.Errorf("%s: GET %s after the delete: %d %s", key, path, resp.StatusCode, body)
	case deleted && !hasKeapMessage(body):
		t.Errorf("%s: GET %s: a 404 without Keap's message: %s", key, path, body)
	case !deleted && resp.StatusCode != http.StatusOK:
		t.Errorf("%s: GET %s: %d %s", key, path, resp.StatusCode, body)
	}
	if err := v.ValidateResponse(http.MethodGet, path, resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
		t.Errorf("%s: %v", key, err)
	}
}

func TestTriggerUsage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"nothing", nil, "give the EVENT_KEY"},
		{"key and --all", []string{"contact.add", "--all"}, "not both"},
		{"two keys", []string{"contact.add", "contact.edit"}, "unexpected argument"},
		{"count 0", []string{"contact.add", "--count", "0"}, "--count must be from 1 to 1000"},
		{"count too big", []string{"contact.add", "--count", "1001"}, "--count must be from 1 to 1000"},
		{"typo", []string{"contact.ad"}, "did you mean contact.add"},
		{"old name", []string{"contactgroup.applied"}, "did you mean contactGroup.applied"},
		{"far off", []string{"shipment.sent"}, `"shipment.sent" is not an event key`},
		{"mock URL", []string{"contact.add", "--mock", "127.0.0.1:8080"}, "--mock: the mock's URL must be its root URL, e.g. http://127.0.0.1:8080"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// An unreachable mock: usage errors need none.
			args := append([]string{"trigger", "--mock", "http://127.0.0.1:1"}, c.args...)
			code, _, errOut := runCmd(t, nil, args...)
			if code != exitUsage || !strings.Contains(errOut, c.says) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, c.says)
			}
		})
	}
}

func TestTriggerCountJSONAndTags(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual), mock.WithSeedData())
	code, out, errOut := runCmd(t, nil, "trigger", "contactGroup.applied", "--count", "3", "--json", "--mock", m.URL, "--token", m.Token())
	if code != exitOK {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	var r triggerLine
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("--json output %q: %v", out, err)
	}
	if r.EventKey != "contactGroup.applied" || len(r.IDs) != 3 || len(r.APIURLs) != 3 || r.Error != "" {
		t.Fatalf("result: %+v", r)
	}
	for _, id := range r.IDs {
		var tagged struct {
			Contacts []json.RawMessage `json:"contacts"`
		}
		if err := json.Unmarshal(mockCall(t, m, "GET", fmt.Sprintf("/crm/rest/v1/tags/%d/contacts", id), ""), &tagged); err != nil || len(tagged.Contacts) != 1 {
			t.Errorf("tag %d is applied to %d contacts, want 1 (%v)", id, len(tagged.Contacts), err)
		}
	}
	if !slices.ContainsFunc(r.Requests, func(s string) bool { return strings.HasPrefix(s, "POST /crm/rest/v1/contacts/") }) {
		t.Errorf("requests %q do not show the tags being applied", r.Requests)
	}
}

func TestTriggerReadableOutput(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual), mock.WithSeedData())
	code, out, _ := runCmd(t, map[string]string{"NO_COLOR": "1"}, "trigger", "opportunity.stage_move", "--mock", m.URL, "--token", m.Token())
	if code != exitOK || !strings.Contains(out, "✓ opportunity.stage_move  id 301") ||
		!strings.Contains(out, "PATCH /crm/rest/v1/opportunities/301 → 200") ||
		!strings.Contains(out, "apiUrl "+m.APIURL+"/v1/opportunities/301") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	code, out, _ = runCmd(t, nil, "trigger", "leadsource.add", "--count", "2", "--mock", m.URL, "--token", m.Token())
	if code != exitOK || !strings.Contains(out, "POST /_mock/events → 200") || strings.Contains(out, "apiUrl") {
		t.Errorf("a key without a v1 path goes through /_mock/events and has no apiUrl: exit %d\n%s", code, out)
	}
}

// The token comes from --token, else KEAP_ACCESS_TOKEN, else "dev"; a refused one says so.
func TestTriggerToken(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual), mock.WithTokens("s3cret"))
	if code, out, errOut := runCmd(t, map[string]string{"KEAP_ACCESS_TOKEN": "s3cret"}, "trigger", "contact.add", "--mock", m.URL); code != exitOK {
		t.Errorf("with KEAP_ACCESS_TOKEN: exit %d %s %s", code, out, errOut)
	}
	code, out, _ := runCmd(t, nil, "trigger", "contact.add", "--mock", m.URL)
	if code != exitFailure || !strings.Contains(out, "--token") || strings.Contains(out, "s3cret") {
		t.Errorf("with the default token: exit %d\n%s", code, out)
	}
}

func TestTriggerUnreachableMock(t *testing.T) {
	t.Parallel()
	code, out, _ := runCmd(t, nil, "trigger", "contact.add", "--mock", "http://127.0.0.1:1")
	if code != exitFailure || !strings.Contains(out, "✗ contact.add: cannot reach the mock at http://127.0.0.1:1: connection refused (is it running? start it with: keaphook mock)") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// A key the mock was started with beyond Keap's list is triggered through /_mock/events.
func TestTriggerKeyFromTheMocksList(t *testing.T) {
	t.Parallel()
	keys := append(fixtures.EventKeys(), "task.complete")
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual), mock.WithEventKeys(keys))
	code, out, errOut := runCmd(t, nil, "trigger", "task.complete", "--mock", m.URL, "--token", m.Token())
	if code != exitOK || !strings.Contains(out, "POST /_mock/events → 200") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// hasKeapMessage reports whether body is Keap's {"message": "..."} error body.
func hasKeapMessage(body []byte) bool {
	var m keap.Message
	return json.Unmarshal(body, &m) == nil && m.Message != ""
}

// A server at --mock that lists more objects than the limit asked for (a proxy, an older
// mock) gets edits for the number asked, and trigger does not fall over.
func TestTriggerTakesNoMoreThanItAskedFor(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var patched []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/crm/rest/v1/hooks":
			io.WriteString(w, `[]`)
		case r.Method == http.MethodGet:
			io.WriteString(w, `{"contacts":[{"id":7},{"id":8},{"id":9}],"count":3}`)
		case r.Method == http.MethodPatch:
			mu.Lock()
			patched = append(patched, r.URL.Path)
			mu.Unlock()
			io.WriteString(w, `{"id":7}`)
		default:
			w.WriteHeader(http.StatusTeapot)
			io.WriteString(w, `{"message":"not a request trigger should make here"}`)
		}
	}))
	t.Cleanup(srv.Close)
	code, out, errOut := runCmd(t, nil, "trigger", "contact.edit", "--count", "2", "--json", "--mock", srv.URL)
	var r triggerLine
	if err := json.Unmarshal([]byte(out), &r); code != exitOK || err != nil {
		t.Fatalf("exit %d (%v): %s %s", code, err, out, errOut)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(r.IDs, []int64{7, 8}) || !slices.Equal(patched, []string{"/crm/rest/v1/contacts/7", "/crm/rest/v1/contacts/8"}) {
		t.Errorf("ids %v, edits %q; want the first two listed", r.IDs, patched)
	}
}

// TestTriggerTrimsTheToken: a token pasted with spaces works for writes as for reads.
func TestTriggerTrimsTheToken(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTokens("mine"))
	code, out, errOut := runCmd(t, nil, "trigger", "contact.add", "--mock", m.URL, "--token", " mine ")
	if code != exitOK || !strings.Contains(out, "POST /crm/rest/v1/contacts → 201") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

// When the mock cannot be reached, trigger says why in words that point at the fix.
func TestTriggerSaysWhyTheMockGaveNoAnswer(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for _, tt := range []struct {
		mock, says string
	}{
		{strings.Replace(m.URL, "http://", "https://", 1), "it speaks plain HTTP, not HTTPS (use http:// in --mock)"},
		{closed.URL, "connection refused (is it running? start it with: keaphook mock)"},
	} {
		code, _, errOut := runCmd(t, nil, "trigger", "--all", "--mock", tt.mock)
		if code != exitFailure || !strings.Contains(errOut, tt.says) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("--mock %s: exit %d, stderr %q; want 1 and %q", tt.mock, code, errOut, tt.says)
		}
	}
}

// trigger says per event how many Verified hooks it reached; with none it warns, and with
// --expect-delivery it fails.
func TestTriggerCountsTheVerifiedHooksItReached(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
	env := map[string]string{"NO_COLOR": "1"}
	code, out, errOut := runCmd(t, env, "trigger", "contact.add", "--mock", m.URL, "--token", m.Token())
	if code != exitOK || !strings.Contains(out, "→ no Verified hook: nothing is delivered") ||
		!strings.Contains(errOut, "warning: contact.add reached no Verified hook, so nothing was delivered") {
		t.Errorf("no hook: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runCmd(t, env, "trigger", "contact.add", "--expect-delivery", "--mock", m.URL, "--token", m.Token())
	if code != exitFailure || !strings.Contains(errOut, "--expect-delivery: 1 event key(s) reached no Verified hook") {
		t.Errorf("no hook with --expect-delivery: exit %d\n%s", code, errOut)
	}
	rc := newHookReceiver(t)
	kc := subscribeAll(t, m, rc.URL)
	if _, err := kc.CreateHook(t.Context(), "contact.add", rc.URL+"/second"); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd(t, env, "trigger", "contact.add", "--expect-delivery", "--mock", m.URL, "--token", m.Token())
	if code != exitOK || !strings.Contains(out, "→ 2 Verified hooks") || errOut != "" {
		t.Errorf("two hooks: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = runCmd(t, env, "trigger", "--all", "--json", "--mock", m.URL, "--token", m.Token())
	var first triggerLine
	if err := json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first); code != exitOK || err != nil || first.VerifiedHooks != 1 && first.EventKey != "contact.add" {
		t.Errorf("--all --json: exit %d, first line %+v (%v)", code, first, err)
	}
}

// --wait prints each delivery's first outcome; under a virtual clock it says to advance.
func TestTriggerWait(t *testing.T) {
	t.Parallel()
	virtual := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
	subscribeAll(t, virtual, newHookReceiver(t).URL)
	code, _, errOut := runCmd(t, nil, "trigger", "contact.add", "--wait", "1m", "--mock", virtual.URL, "--token", virtual.Token())
	if code != exitOK || !strings.Contains(errOut, "the mock's clock is virtual") || !strings.Contains(errOut, virtual.URL+"/_mock/clock/advance") {
		t.Errorf("virtual: exit %d\n%s", code, errOut)
	}

	fast := mocktest.NewServer(t, mock.WithTiming(delivery.TimingFast))
	rc := newHookReceiver(t)
	kc := subscribeAll(t, fast, rc.URL)
	failing := testkit.NewEndpoint(t, testkit.Echo(http.StatusInternalServerError))
	if _, err := kc.CreateHook(t.Context(), "contact.add", failing.URL); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, map[string]string{"NO_COLOR": "1"}, "trigger", "contact.add", "--wait", "1m", "--expect-delivery",
		"--mock", fast.URL, "--token", fast.Token())
	if code != exitFailure || !regexp.MustCompile(`delivery \S+ to hook \d+: Delivered \(attempt 1: 200 OK\)`).MatchString(out) ||
		!regexp.MustCompile(`delivery \S+ to hook \d+: (Retrying|Failed) \([^\n]*500 Internal Server Error`).MatchString(out) ||
		!strings.Contains(errOut, "--expect-delivery: 1 of the deliveries failed its first attempt") {
		t.Errorf("fast: exit %d\n%s\n%s", code, out, errOut)
	}
}

// The curl commands trigger suggests stand in for a real token, wherever it came from: stderr
// ends up in CI logs.
func TestTriggerAdviceNeverShowsTheToken(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual), mock.WithTokens("s3cret"))
	ways := []struct {
		env   map[string]string
		args  []string
		shown string
	}{
		{map[string]string{"KEAP_ACCESS_TOKEN": "s3cret"}, nil, "$KEAP_ACCESS_TOKEN"},
		{nil, []string{"--token", "s3cret"}, "<your token>"},
	}
	// With no hook the warning suggests listen --register; with one, --wait on a virtual
	// clock suggests advancing it.
	for _, hooked := range []bool{false, true} {
		if hooked {
			subscribeAll(t, m, newHookReceiver(t).URL)
		}
		for _, w := range ways {
			want := "--token " + w.shown
			if hooked {
				want = "Bearer " + w.shown + "' -d '{\"by\""
			}
			code, out, errOut := runCmd(t, w.env, append([]string{"trigger", "contact.add", "--wait", "1m", "--mock", m.URL}, w.args...)...)
			if code != exitOK || strings.Contains(out+errOut, "s3cret") || !strings.Contains(errOut, want) {
				t.Errorf("%v, hooked %v: exit %d, want %q in stderr\n%s\n%s", w.args, hooked, code, want, out, errOut)
			}
		}
	}
}

// Ctrl-C during a trigger exits 130, not as a failure of the key it stopped.
func TestTriggerInterruptedExits130(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut strings.Builder
	code := run(ctx, []string{"trigger", "contact.add", "--mock", m.URL}, &out, &errOut, func(string) string { return "" })
	if code != exitInterrupted || errOut.String() != "keaphook trigger: interrupted before contact.add\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// Without --mock, trigger asks the mock `keaphook mock` would start with the same
// environment: a KEAPHOOK_MOCK_ADDR set for both reaches it.
func TestTriggerFollowsKEAPHOOK_MOCK_ADDR(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
	env := map[string]string{"KEAPHOOK_MOCK_ADDR": strings.TrimPrefix(m.URL, "http://")}
	if code, out, errOut := runCmd(t, env, "trigger", "contact.add", "--token", m.Token()); code != exitOK {
		t.Errorf("trigger with KEAPHOOK_MOCK_ADDR=%s: exit %d %s %s", env["KEAPHOOK_MOCK_ADDR"], code, out, errOut)
	}
	// --mock still wins.
	code, out, _ := runCmd(t, env, "trigger", "contact.add", "--token", m.Token(), "--mock", "http://"+testkit.RefusedAddr(t))
	if code != exitFailure || !strings.Contains(out, "cannot reach the mock") {
		t.Errorf("--mock to a closed port beside KEAPHOOK_MOCK_ADDR: exit %d\n%s", code, out)
	}
}
