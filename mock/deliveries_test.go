package mock_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/mock/testkit"
)

// app is a hook endpoint that answers the handshake and hands every delivery to the test.
type app struct {
	*testkit.Endpoint
	got chan *http.Request
}

func newApp(t *testing.T, status int) *app {
	a := &app{got: make(chan *http.Request, 64)}
	a.Endpoint = newReceiver(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(keap.HeaderHookSecret) != "" {
			echo(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		a.got <- r
		w.WriteHeader(status)
	})
	return a
}

func (a *app) next(t *testing.T) (*http.Request, []byte) {
	t.Helper()
	select {
	case r := <-a.got:
		b, _ := io.ReadAll(r.Body)
		return r, b
	default:
		t.Fatal("the app received no delivery")
		return nil, nil
	}
}

func (a *api) advance(by string) response {
	a.t.Helper()
	return a.do("POST", "/_mock/clock/advance", `{"by":"`+by+`"}`)
}

func virtual(opts ...mock.Option) []mock.Option {
	return append([]mock.Option{mock.WithTiming(delivery.TimingVirtual), mock.WithRandSeed(1)}, opts...)
}

// TestDeliveryPayload: one event reaches the app as Keap would send it, with apiUrl pointing
// at the mock's own resource.
func TestDeliveryPayload(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual()...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.add", rcv.URL)
	if r := a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[12,13]}`); r.status != 200 {
		t.Fatalf("emit: %d %s", r.status, r.body)
	}
	a.advance("61s") // Keap's first attempt comes 30-60 s after the change
	req, body := rcv.next(t)
	if req.Method != "POST" || req.Header.Get("Content-Type") != "application/json" {
		t.Errorf("delivery request: %s %s", req.Method, req.Header.Get("Content-Type"))
	}
	var ev keap.Event
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		t.Fatalf("payload %s: %v", body, err)
	}
	if ev.EventKey != "contact.add" || ev.ObjectType != "contact" || ev.APIURL != "" || len(ev.ObjectKeys) != 2 {
		t.Fatalf("payload = %s", body)
	}
	for _, k := range ev.ObjectKeys {
		want := a.srv.URL + "/crm/rest/v1/contacts/" + jsonInt(k.ID)
		if k.APIURL != want {
			t.Errorf("apiUrl = %q, want %q", k.APIURL, want)
		}
		if _, err := time.Parse(keap.TimestampLayout, k.Timestamp); err != nil {
			t.Errorf("timestamp %q: %v", k.Timestamp, err)
		}
	}
}

func jsonInt(id int64) string { b, _ := json.Marshal(id); return string(b) }

func TestEmptyAPIURL(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithEmptyAPIURL())...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.edit", rcv.URL)
	a.do("POST", "/_mock/events", `{"eventKey":"contact.edit","ids":[7]}`)
	a.advance("2m")
	_, body := rcv.next(t)
	if !strings.Contains(string(body), `"apiUrl":""`) {
		t.Errorf("payload %s, want an empty apiUrl", body)
	}
}

// TestFailingAppGoesInactiveAndVerifyReactivates is the story developers hit in production:
// four failed attempts over about 36 minutes make the hook Inactive, silently; a successful
// verify brings it back.
func TestFailingAppGoesInactiveAndVerifyReactivates(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	a := newAPI(t, virtual(loggerTo(&logs))...)
	rcv := newApp(t, http.StatusInternalServerError)
	h := a.createHook("contact.add", rcv.URL)
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[1]}`)

	a.advance("40m")
	if n := len(rcv.got); n != keap.Attempts {
		t.Errorf("the app got %d attempts, want %d", n, keap.Attempts)
	}
	if got := a.do("GET", "/crm/rest/v1/hooks/"+h.Key, "").hook(t); got.Status != keap.StatusInactive {
		t.Fatalf("hook after 4 failures = %s, want Inactive", got.Status)
	}
	if !strings.Contains(logs.String(), "is now Inactive") {
		t.Errorf("the log does not say the hook went Inactive:\n%s", logs.String())
	}
	var list struct {
		Deliveries []delivery.Delivery `json:"deliveries"`
	}
	decodeInto(t, a.do("GET", "/_mock/deliveries?state=Failed", "").body, &list)
	if len(list.Deliveries) != 1 || len(list.Deliveries[0].Attempts) != 4 || list.Deliveries[0].Attempts[3].StatusCode != 500 {
		t.Fatalf("failed deliveries = %+v", list.Deliveries)
	}

	// Events while Inactive are dropped, not queued.
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[2]}`)
	decodeInto(t, a.do("GET", "/_mock/deliveries?state=Dropped", "").body, &list)
	if len(list.Deliveries) != 1 {
		t.Errorf("dropped deliveries = %d, want 1", len(list.Deliveries))
	}

	if got := a.do("POST", "/crm/rest/v1/hooks/"+h.Key+"/verify", "").hook(t); got.Status != keap.StatusVerified {
		t.Errorf("verify of an Inactive hook = %s, want Verified (reactivated)", got.Status)
	}
}

func TestGoneMakesHookInactiveAtOnce(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual()...)
	rcv := newApp(t, http.StatusGone)
	h := a.createHook("contact.add", rcv.URL)
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[1]}`)
	a.advance("40m")
	if n := len(rcv.got); n != 1 {
		t.Errorf("attempts after a 410 = %d, want 1", n)
	}
	if got := a.do("GET", "/crm/rest/v1/hooks/"+h.Key, "").hook(t); got.Status != keap.StatusInactive {
		t.Errorf("hook after a 410 = %s, want Inactive", got.Status)
	}
}

func TestSignedDeliveries(t *testing.T) {
	t.Parallel()
	sc := signature.Config{Scheme: signature.HMACHex, Secrets: []string{"s3cret"}, Header: "X-HWR-SIGNATURE"}
	a := newAPI(t, virtual(mock.WithSigning(sc))...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.add", rcv.URL)
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[5]}`)
	a.advance("2m")
	req, body := rcv.next(t)
	if err := sc.Verify(req.Header, body, time.Now()); err != nil {
		t.Errorf("the delivery does not verify with the shared secret: %v", err)
	}
}

func TestRedeliver(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual()...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.add", rcv.URL)
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[5]}`)
	a.advance("2m")
	_, first := rcv.next(t)
	var list struct {
		Deliveries []delivery.Delivery `json:"deliveries"`
	}
	decodeInto(t, a.do("GET", "/_mock/deliveries?eventKey=contact.add", "").body, &list)
	id := list.Deliveries[0].ID
	if r := a.do("GET", "/_mock/deliveries/"+id, ""); r.status != 200 {
		t.Fatalf("get delivery: %d", r.status)
	}
	if r := a.do("POST", "/_mock/deliveries/"+id+"/redeliver", ""); r.status != 200 {
		t.Fatalf("redeliver: %d %s", r.status, r.body)
	}
	a.advance("1s")
	_, again := rcv.next(t)
	if diff := cmp.Diff(string(first), string(again)); diff != "" {
		t.Errorf("redelivered payload differs (-first +again):\n%s", diff)
	}
}

// TestControlsBadInput: the mock's own controls answer mistakes with a clear 4xx.
func TestControlsBadInput(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual()...)
	fast := newAPI(t)
	tests := []struct {
		name, method, path, body string
		a                        *api
		want                     int
		mentions                 string
	}{
		{"unknown event key", "POST", "/_mock/events", `{"eventKey":"contact.ad","ids":[1]}`, a, 400, "did you mean contact.add"},
		{"ids not integers", "POST", "/_mock/events", `{"eventKey":"contact.add","ids":["a"]}`, a, 400, `field "ids"`},
		{"fractional id", "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[1.5]}`, a, 400, `field "ids"`},
		{"negative id", "POST", "/_mock/events", `{"eventKey":"contact.add","ids":[-1]}`, a, 400, "positive integers"},
		{"negative count", "POST", "/_mock/events", `{"eventKey":"contact.add","count":-3}`, a, 400, "count must be positive"},
		{"nothing to emit", "POST", "/_mock/events", `{"eventKey":"contact.add"}`, a, 400, `give "ids"`},
		{"too many", "POST", "/_mock/events", `{"eventKey":"contact.add","count":10001}`, a, 400, "at most 10000"},
		{"bad duration", "POST", "/_mock/clock/advance", `{"by":"five minutes"}`, a, 400, "not a duration"},
		{"negative duration", "POST", "/_mock/clock/advance", `{"by":"-5m"}`, a, 400, "must be positive"},
		{"missing duration", "POST", "/_mock/clock/advance", `{}`, a, 400, `"by" is required`},
		{"advance a real clock", "POST", "/_mock/clock/advance", `{"by":"5m"}`, fast, 409, "only under virtual timing"},
		{"bad state filter", "GET", "/_mock/deliveries?state=Lost", ``, a, 400, "state"},
		{"bad limit", "GET", "/_mock/deliveries?limit=0", ``, a, 400, "limit"},
		{"unknown delivery", "GET", "/_mock/deliveries/d_999", ``, a, 404, "no delivery"},
		{"redeliver unknown", "POST", "/_mock/deliveries/d_999/redeliver", ``, a, 404, "no delivery"},
		{"chaos out of range", "PUT", "/_mock/chaos", `{"duplicate":2}`, a, 400, "duplicate"},
		{"chaos unknown field", "PUT", "/_mock/chaos", `{"dupes":1}`, a, 400, "unknown field"},
		{"wrong method", "GET", "/_mock/events", ``, a, 405, "use POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.a.do(tt.method, tt.path, tt.body)
			if r.status != tt.want {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.want, r.body)
			}
			if msg := r.message(t); !strings.Contains(msg, tt.mentions) {
				t.Errorf("message %q does not mention %q", msg, tt.mentions)
			}
		})
	}
}

// TestControlsNeedAuth: /_mock is behind the same token check as the API.
func TestControlsNeedAuth(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	if r := a.doWith(testClient, "GET", "/_mock/deliveries", ""); r.status != 401 {
		t.Errorf("without a token: %d, want 401", r.status)
	}
}

func TestChaosSetting(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual()...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.add", rcv.URL)
	if r := a.do("PUT", "/_mock/chaos", `{"duplicate":1}`); r.status != 200 {
		t.Fatalf("set chaos: %d %s", r.status, r.body)
	}
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[3]}`)
	a.advance("2m")
	if n := len(rcv.got); n != 2 {
		t.Errorf("with duplicate=1 the app got %d copies, want 2", n)
	}
}

// TestVirtualTimingSignsWithTheWallClock: after the virtual clock has moved 40 minutes, a
// Standard Webhooks receiver on real time still accepts the signature.
func TestVirtualTimingSignsWithTheWallClock(t *testing.T) {
	t.Parallel()
	sc := signature.Config{Scheme: signature.Standard, Secrets: []string{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}
	a := newAPI(t, virtual(mock.WithSigning(sc))...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.add", rcv.URL)
	a.advance("40m")
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[5]}`)
	a.advance("2m")
	req, body := rcv.next(t)
	if err := sc.Verify(req.Header, body, time.Now()); err != nil {
		t.Errorf("a receiver on real time rejects the delivery: %v", err)
	}
}

// TestReset: POST /_mock/reset leaves no hooks, deliveries or objects, and the mock works on.
func TestReset(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithDataDir(t.TempDir()))...)
	rcv := newApp(t, http.StatusOK)
	a.createHook("contact.add", rcv.URL)
	a.do("POST", "/crm/rest/v1/contacts", `{"given_name":"Ada","email_addresses":[{"email":"ada@example.com","field":"EMAIL1"}]}`)
	a.advance("2m")

	if r := a.do("POST", "/_mock/reset", ""); r.status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	if r := a.do("GET", "/crm/rest/v1/hooks", ""); string(r.body) != "[]\n" {
		t.Errorf("hooks after reset = %s", r.body)
	}
	if r := a.do("GET", "/_mock/deliveries", ""); !strings.Contains(string(r.body), `"deliveries":[]`) {
		t.Errorf("deliveries after reset = %s", r.body)
	}
	if r := a.do("GET", "/crm/rest/v1/contacts", ""); !strings.Contains(string(r.body), `"count":0`) {
		t.Errorf("contacts after reset = %s", r.body)
	}

	h := a.createHook("contact.add", rcv.URL)
	if h.Key != "1" || h.Status != keap.StatusVerified {
		t.Errorf("first hook after reset = %+v, want key 1, Verified", h)
	}
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[9]}`)
	a.advance("2m")
	if r := a.do("GET", "/_mock/deliveries?state=Delivered", ""); !strings.Contains(string(r.body), `"Delivered":1`) {
		t.Errorf("after reset the engine does not deliver: %s", r.body)
	}
}

// TestAnotherSendersRules: the seed-002 sender retries every 15 minutes, 10 attempts, and
// counts only 200 as success, so a receiver answering 204 exhausts it.
func TestAnotherSendersRules(t *testing.T) {
	t.Parallel()
	p := delivery.KeapPolicy()
	var err error
	if p.Retry, err = delivery.ParseSchedule("15m"); err != nil {
		t.Fatal(err)
	}
	if p.Success, err = delivery.ParseSuccess("200"); err != nil {
		t.Fatal(err)
	}
	p.MaxAttempts = 10
	a := newAPI(t, virtual(mock.WithPolicy(p))...)
	rcv := newApp(t, http.StatusNoContent)
	h := a.createHook("contact.add", rcv.URL)
	a.do("POST", "/_mock/events", `{"eventKey":"contact.add","ids":[1]}`)

	a.advance("2h") // the first attempt at 30-60 s, then one every 15 minutes: 8 by 2 h
	if n := len(rcv.got); n != 8 {
		t.Errorf("attempts after 2 hours = %d, want 8", n)
	}
	a.advance("16m")
	if n := len(rcv.got); n != 10 {
		t.Errorf("attempts in all = %d, want 10", n)
	}
	if got := a.do("GET", "/crm/rest/v1/hooks/"+h.Key, "").hook(t); got.Status != keap.StatusInactive {
		t.Errorf("hook after 10 answers of 204 = %s, want Inactive (only 200 counts)", got.Status)
	}
}

func TestSeedSurvivesReset(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithSeedData())...)
	count := func() int {
		var l struct {
			Count int `json:"count"`
		}
		decodeInto(t, a.do("GET", "/crm/rest/v1/contacts", "").body, &l)
		return l.Count
	}
	seeded := count()
	if seeded == 0 {
		t.Fatal("a seeded mock has no contacts")
	}
	a.do("POST", "/crm/rest/v1/contacts", `{"given_name":"Extra","email_addresses":[{"email":"x@example.com","field":"EMAIL1"}]}`)
	a.do("POST", "/_mock/reset", "")
	if got := count(); got != seeded {
		t.Errorf("contacts after reset = %d, want the seed's %d", got, seeded)
	}
}

func TestChaosReadBack(t *testing.T) {
	t.Parallel()
	a := newAPI(t, virtual(mock.WithChaos(delivery.Chaos{DropFirst: 0.5}))...)
	var c delivery.Chaos
	decodeInto(t, a.do("GET", "/_mock/chaos", "").body, &c)
	if c.DropFirst != 0.5 {
		t.Errorf("chaos = %+v, want the configured drop-first 0.5", c)
	}
}

// TestResetAfterCloseFails rather than waiting for an engine that is gone.
func TestResetAfterCloseFails(t *testing.T) {
	t.Parallel()
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Reset(); err == nil {
		t.Error("Reset of a closed mock succeeded")
	}
}

// TestGeneratedIDsPerMock: every mock invents ids from the same start, whatever other mocks
// in the process did, so a test sees the same ids alone or beside others.
func TestGeneratedIDsPerMock(t *testing.T) {
	t.Parallel()
	var first, second struct {
		IDs []int64 `json:"ids"`
	}
	for _, got := range []*struct {
		IDs []int64 `json:"ids"`
	}{&first, &second} {
		a := newAPI(t)
		decodeInto(t, a.do("POST", "/_mock/events", `{"eventKey":"leadsource.add","count":2}`).body, got)
	}
	if len(first.IDs) != 2 || first.IDs[0] != second.IDs[0] || first.IDs[0] <= 100_000 {
		t.Errorf("ids %v and %v: want the same invented ids above 100000 from two mocks", first.IDs, second.IDs)
	}
}
