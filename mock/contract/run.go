package contract

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/keaphook/keaphook/mock/keap"
)

// check is one named check of the suite: a runner method. run returns the verdict without Name and Duration,
// which Run fills in.
type check struct {
	name string
	run  func(r *runner, ctx context.Context) Result
}

// suite is every check, in the order it runs.
var suite = []check{
	{CheckTLSValid, (*runner).checkTLSValid},
	{CheckHandshakeEcho, (*runner).checkHandshakeEcho},
	{CheckHandshakeFreshSecret, (*runner).checkFreshSecret},
	{CheckHandshakeNotEvent, (*runner).checkHandshakeNotEvent},
	{CheckDeliveryAccepted, (*runner).checkDeliveryAccepted},
	{CheckBatch1000, (*runner).checkBatch1000},
	{CheckDuplicate, (*runner).checkDuplicate},
	{CheckOutOfOrder, (*runner).checkOutOfOrder},
	{CheckUnknownEventKey, (*runner).checkUnknownEventKey},
	{CheckEmptyAPIURL, (*runner).checkEmptyAPIURL},
	{CheckSignatureRequired, (*runner).checkSignatureRequired},
	{CheckStaleTimestamp, (*runner).checkStaleTimestamp},
	{CheckLoad, (*runner).checkLoad},
	{CheckNo410, (*runner).checkNo410},
}

// runner is the state of one run: the config with its defaults, and every answer to a valid
// delivery, which no-accidental-410 judges at the end.
type runner struct {
	cfg    Config
	client *http.Client
	rand   io.Reader

	mu         sync.Mutex
	deliveries []seenDelivery
	answers    int // requests that got an HTTP answer
	silences   int // requests that got none
}

// seenDelivery is the answer to one valid delivery and the check that sent it.
type seenDelivery struct {
	check  string
	status int
}

// Run runs the selected checks against cfg.URL and returns their verdicts in the suite's
// order. It stops early when ctx is done; the checks not finished are then reported as
// skipped and the Report says it was interrupted. An invalid Config gives a Report with
// Error set and no results.
//
// The checks are independent, so they run at the same time, after the first one has shown
// that the endpoint answers at all: when it gets no answer (nothing listens, the host does
// not resolve, or the endpoint never answers), the others are not run, so one silence is
// reported once, within Timeout. Then come load, alone so the others do not disturb its
// latencies, and no-accidental-410, which judges every delivery the others sent. The whole
// run is bounded by Deadline.
func Run(ctx context.Context, cfg Config) Report {
	rep := Report{URL: keap.ShownURL(cfg.URL)}
	if err := cfg.Validate(); err != nil {
		rep.Error = err.Error()
		return rep
	}
	cfg = cfg.withDefaults()
	r := &runner{cfg: cfg, client: noRedirect(cfg.Client), rand: &lockedReader{r: cfg.Rand}}
	plan := r.plan()
	start := cfg.Now()
	runCtx, cancel := context.WithTimeout(ctx, cfg.Deadline())
	defer cancel()
	results := make([]Result, len(plan))
	for i, c := range plan {
		results[i].Name = c.name
	}
	out := newInOrder(results, cfg.Observe)
	stages := stages(plan)
	for i, stage := range stages {
		if i == 1 && r.silent() {
			out.skipRest(r.silenceNote(plan[stages[0][0]]))
			break
		}
		r.runStage(ctx, runCtx, plan, stage, out)
	}
	rep.Results = results
	rep.Interrupted = ctx.Err() != nil
	rep.Duration = cfg.Now().Sub(start)
	return rep
}

// plan lists the checks to run, in suite order. The load check runs whenever a rate is
// given, even when Only does not name it: asking for load and running without it would
// ignore half the request.
func (r *runner) plan() []check {
	selected := selection(r.cfg.Only)
	var plan []check
	for _, c := range suite {
		if (selected(c.name) && applies(c.name, r.cfg)) || (c.name == CheckLoad && r.cfg.Load.Enabled()) {
			plan = append(plan, c)
		}
	}
	return plan
}

// stages splits the plan (indexes into it) into what runs together: the first independent
// check alone, the other independent checks, load, and no-accidental-410.
func stages(plan []check) [][]int {
	var first, rest, load, last []int
	for i, c := range plan {
		switch {
		case c.name == CheckLoad:
			load = append(load, i)
		case c.name == CheckNo410:
			last = append(last, i)
		case first == nil:
			first = []int{i}
		default:
			rest = append(rest, i)
		}
	}
	return [][]int{first, rest, load, last}
}

// runStage runs the checks of one stage at the same time (one after another when Serial). runCtx carries the run's deadline;
// ctx is the caller's, whose end (Ctrl-C) makes unfinished checks Skipped.
func (r *runner) runStage(ctx, runCtx context.Context, plan []check, stage []int, out *inOrder) {
	type verdict struct {
		i   int
		res Result
	}
	if r.cfg.Serial {
		for _, i := range stage {
			out.done(i, r.runOne(ctx, runCtx, plan[i]))
			out.flush()
		}
		return
	}
	ended := make(chan verdict, len(stage))
	for _, i := range stage {
		go func() { ended <- verdict{i, r.runOne(ctx, runCtx, plan[i])} }()
	}
	for range stage {
		v := <-ended
		out.done(v.i, v.res)
		out.flush()
	}
}

func (r *runner) runOne(ctx, runCtx context.Context, c check) Result {
	if ctx.Err() != nil {
		return Result{Name: c.name, Status: Skipped, Message: interruptedNote}
	}
	start := r.cfg.Now()
	res := c.run(r, runCtx)
	if ctx.Err() != nil {
		res = Result{Status: Skipped, Message: interruptedNote}
	}
	res.Name = c.name
	res.Duration = r.cfg.Now().Sub(start)
	return res
}

// applies says whether a check belongs in a run at all: tls-valid joins the suite for
// https:// URLs, and runs on another only when named (to say why it is skipped).
func applies(name string, cfg Config) bool {
	return name != CheckTLSValid || len(cfg.Only) > 0 || strings.HasPrefix(strings.ToLower(cfg.URL), "https://")
}

// interruptedNote is the verdict of a check the caller's context ended before it finished.
const interruptedNote = "Not finished: the run was interrupted."

// silent reports whether every request so far went unanswered.
func (r *runner) silent() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.answers == 0 && r.silences > 0
}

func (r *runner) silenceNote(first check) Result {
	if first.name == CheckTLSValid {
		return Result{Status: Skipped, Message: "Not run: no TLS connection to the endpoint could be made, so every request would fail the same way (see tls-valid why)."}
	}
	return Result{Status: Skipped, Message: fmt.Sprintf("Not run: the endpoint gave no answer to %s (see there why).", first.name)}
}

// selection returns whether a check is to run; Config.Validate has vetted the names.
func selection(only []string) func(string) bool {
	names, _ := canonicalNames(only)
	if len(names) == 0 {
		return func(string) bool { return true }
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	return func(name string) bool { return want[name] }
}

// record remembers the answer to a valid delivery for no-accidental-410.
func (r *runner) record(check string, x exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.deliveries = append(r.deliveries, seenDelivery{check: check, status: x.status})
}

// heard counts whether a request was answered, for the decision to run the rest.
func (r *runner) heard(x exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if x.answered() {
		r.answers++
	} else {
		r.silences++
	}
}

func (r *runner) seen() []seenDelivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seenDelivery(nil), r.deliveries...)
}

// lockedReader lets the load check's goroutines share one random source, which (like
// math/rand's ChaCha8 in tests) need not be safe for concurrent use.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return io.ReadFull(l.r, p)
}
