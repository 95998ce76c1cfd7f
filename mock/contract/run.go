package contract

import (
	"context"
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
}

// seenDelivery is the answer to one valid delivery and the check that sent it.
type seenDelivery struct {
	check  string
	status int
}

// Run runs the selected checks in order against cfg.URL and returns their verdicts. It stops
// early when ctx is done; the checks not run are then reported as skipped. An invalid Config
// gives a Report with Error set and no results.
func Run(ctx context.Context, cfg Config) Report {
	rep := Report{URL: keap.ShownURL(cfg.URL)}
	if err := cfg.Validate(); err != nil {
		rep.Error = err.Error()
		return rep
	}
	cfg = cfg.withDefaults()
	r := &runner{cfg: cfg, client: noRedirect(cfg.Client), rand: &lockedReader{r: cfg.Rand}}
	selected := selection(cfg.Only)
	start := cfg.Now()
	for _, c := range suite {
		if !selected(c.name) || !applies(c.name, cfg) {
			continue
		}
		res := r.runOne(ctx, c)
		rep.Results = append(rep.Results, res)
		if cfg.OnResult != nil {
			cfg.OnResult(res)
		}
	}
	rep.Duration = cfg.Now().Sub(start)
	return rep
}

func (r *runner) runOne(ctx context.Context, c check) Result {
	if ctx.Err() != nil {
		return Result{Name: c.name, Status: Skipped, Message: "Not run: the run was cancelled."}
	}
	start := r.cfg.Now()
	res := c.run(r, ctx)
	res.Name = c.name
	res.Duration = r.cfg.Now().Sub(start)
	return res
}

// applies says whether a check belongs in a run at all: tls-valid joins the suite for
// https:// URLs, and runs on another only when named (to say why it is skipped).
func applies(name string, cfg Config) bool {
	return name != CheckTLSValid || len(cfg.Only) > 0 || strings.HasPrefix(strings.ToLower(cfg.URL), "https://")
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
