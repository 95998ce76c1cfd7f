package trigger_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/keaphook/keaphook/mock"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/mock/mocktest"
	"github.com/keaphook/keaphook/mock/testkit"
	"github.com/keaphook/keaphook/mock/trigger"
)

func newTrigger(t *testing.T, m *mocktest.Server) *trigger.Trigger {
	t.Helper()
	tr, err := trigger.New(trigger.Config{MockURL: m.URL, Token: m.Token(), Unique: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func subscribe(t *testing.T, m *mocktest.Server, key, url string) {
	t.Helper()
	kc, err := keapclient.New(m.APIURL, keapclient.WithBearerToken(m.Token()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.CreateHook(t.Context(), key, url); err != nil {
		t.Fatal(err)
	}
}

// Fire reports what it did and prints nothing; Wait returns once every delivery it caused
// was attempted, moving time only through the clock it is given (here the mock's virtual one).
func TestFireAndWait(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
	good, failing := testkit.NewEndpoint(t, nil), testkit.NewEndpoint(t, testkit.Echo(http.StatusInternalServerError))
	subscribe(t, m, "note.add", good.URL)
	subscribe(t, m, "note.add", failing.URL)
	tr := newTrigger(t, m)

	r := tr.Fire(t.Context(), "note.add", 2)
	if r.Err != nil || r.VerifiedHooks != 2 || len(r.IDs) != 2 || len(r.APIURLs) != 2 ||
		!strings.HasPrefix(r.Requests[0], "POST /crm/rest/v1/contacts → 201") {
		t.Fatalf("result = %+v", r)
	}
	if timing, err := tr.Timing(t.Context()); err != nil || timing != delivery.TimingVirtual {
		t.Fatalf("timing %q, %v", timing, err)
	}
	advances := 0
	after := func(time.Duration) <-chan time.Time {
		advances++
		m.Advance(t, time.Minute) // Keap's first attempt comes 30-60 s after the change
		ch := make(chan time.Time, 1)
		ch <- time.Time{}
		return ch
	}
	ds, err := tr.Wait(t.Context(), r, time.Second, after)
	if err != nil || len(ds) != 2 || advances != 1 {
		t.Fatalf("Wait: %d deliveries after %d advances, %v", len(ds), advances, err)
	}
	states := map[delivery.State]int{}
	for _, d := range ds {
		states[d.State]++
	}
	if states[delivery.Delivered] != 1 || states[delivery.Retrying] != 1 {
		t.Errorf("states = %v; want one Delivered, one Retrying", states)
	}
}

// Wait gives up with the context, returning what it has.
func TestWaitEndsWithTheContext(t *testing.T) {
	t.Parallel()
	m := mocktest.NewServer(t, mock.WithTiming(delivery.TimingVirtual))
	subscribe(t, m, "contact.add", testkit.NewEndpoint(t, nil).URL)
	tr := newTrigger(t, m)
	r := tr.Fire(t.Context(), "contact.add", 1)
	ctx, cancel := context.WithCancel(t.Context())
	ds, err := tr.Wait(ctx, r, time.Second, func(time.Duration) <-chan time.Time {
		cancel() // the clock never moves: nothing is ever attempted
		return make(chan time.Time)
	})
	if !errors.Is(err, context.Canceled) || len(ds) != 1 || trigger.Settled(ds[0]) {
		t.Errorf("Wait = %d deliveries, %v; want the one Pending delivery and the context's error", len(ds), err)
	}
}

func TestFireRefusesWhatCannotWork(t *testing.T) {
	t.Parallel()
	if _, err := trigger.New(trigger.Config{MockURL: "127.0.0.1:8080"}); !errors.Is(err, trigger.ErrNotRootURL) {
		t.Errorf("a URL without a scheme: %v", err)
	}
	m := mocktest.NewServer(t)
	tr := newTrigger(t, m)
	if r := tr.Fire(t.Context(), "contact.add", trigger.MaxCount+1); r.Err == nil || r.Error == "" || len(r.Requests) != 0 {
		t.Errorf("a count over the limit: %+v", r)
	}
	if r := tr.Fire(t.Context(), "contact.add", 1); r.Err != nil || r.VerifiedHooks != 0 {
		t.Errorf("no hook: %+v", r)
	}
}
