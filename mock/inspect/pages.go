package inspect

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/inspect/ui"
)

// indexView is the front page: clock, chaos, hooks and a page of deliveries.
type indexView struct {
	ui.Frame
	Now       time.Time
	Timing    delivery.Timing
	Virtual   bool
	ChaosOn   bool
	Hooks     []hookRow
	EventKeys []string
	Filters   []filterLink
	Rows      []deliveryRow
	Query     listQuery
	Newer     string
	Older     string
	Shown     string
}

// hookRow and deliveryRow are table rows as shown, prepared in Go: a live page is drawn
// twice a second, and plain strings are what a template reads fastest.
type hookRow struct{ Key, EventKey, URL, Status, Note string }

type deliveryRow struct {
	ID, HookKey, EventKey, State, Next, NextIn string
	Attempts, Objects                          int
}

func hookRows(hooks []Hook) []hookRow {
	out := make([]hookRow, len(hooks))
	for i, h := range hooks {
		out[i] = hookRow{h.Key, h.EventKey, ui.ShownURL(h.HookURL), string(h.Status), h.Note}
	}
	return out
}

func deliveryRows(ds []delivery.Delivery, now time.Time) []deliveryRow {
	out := make([]deliveryRow, len(ds))
	for i, d := range ds {
		out[i] = deliveryRow{ID: d.ID, HookKey: d.HookKey, EventKey: d.EventKey, State: string(d.State),
			Attempts: len(d.Attempts), Objects: d.Objects}
		if !d.NextAttemptAt.IsZero() {
			out[i].Next, out[i].NextIn = ui.Clock(d.NextAttemptAt), ui.Relative(d.NextAttemptAt, now)
		}
	}
	return out
}

// filterLink is one state in the list's filter, with its count.
type filterLink struct {
	Label   string
	Count   int
	Href    string
	Current bool
}

func (in *Inspector) handleIndex(w http.ResponseWriter, r *http.Request) {
	if ui.IsLive(r) {
		in.live.Serve(w, r, Root, in.index, func() any { v, _ := in.indexView(r, ui.Frame{Root: Root, Page: r.URL.RequestURI()}); return v })
		return
	}
	v, err := in.indexView(r, in.frame(w, r, "hooks and deliveries"))
	status := http.StatusOK
	if err != nil {
		status, v.Flash = http.StatusBadRequest, &ui.Flash{Kind: "error", Text: err.Error()}
	}
	in.index.Render(w, Root, status, v)
}

// indexView reads what the front page shows; a bad list query shows the first page.
func (in *Inspector) indexView(r *http.Request, f ui.Frame) (indexView, error) {
	e := in.backend.Engine()
	v := indexView{
		Frame: f, Now: e.Now(), Timing: e.Timing(),
		Virtual: e.Timing() == delivery.TimingVirtual, ChaosOn: e.Chaos() != (delivery.Chaos{}),
		Hooks: hookRows(in.backend.Hooks()), EventKeys: in.backend.EventKeys(),
	}
	q, err := parseListQuery(r.URL.Query(), stateNames())
	v.Query = q
	in.fillList(&v, e)
	return v, err
}

// fillList reads one page of deliveries: the newest first, pageSize at a time.
func (in *Inspector) fillList(v *indexView, e *delivery.Engine) {
	counts := e.Counts()
	total := 0
	for _, s := range delivery.States {
		total += counts[s]
	}
	v.Filters = append(v.Filters, filterLink{"All", total, listHref("", 1), v.Query.State == ""})
	for _, s := range delivery.States {
		v.Filters = append(v.Filters, filterLink{string(s), counts[s], listHref(string(s), 1), v.Query.State == string(s)})
	}
	skip := (v.Query.Page - 1) * in.pageSize
	// One more than the page holds tells whether an older page exists.
	list := e.List(delivery.Filter{State: delivery.State(v.Query.State), Limit: skip + in.pageSize + 1})
	if len(list) > skip {
		v.Rows = deliveryRows(list[skip:min(len(list), skip+in.pageSize)], v.Now)
	}
	if len(list) > skip+in.pageSize {
		v.Older = listHref(v.Query.State, v.Query.Page+1)
	}
	if v.Query.Page > 1 {
		v.Newer = listHref(v.Query.State, v.Query.Page-1)
	}
	if len(v.Rows) > 0 {
		v.Shown = fmt.Sprintf("%d–%d", skip+1, skip+len(v.Rows))
	}
}

func listHref(state string, page int) string {
	q := url.Values{}
	if state != "" {
		q.Set("state", state)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return Root
	}
	return Root + "?" + q.Encode()
}

func stateNames() []string {
	out := make([]string, len(delivery.States))
	for i, s := range delivery.States {
		out[i] = string(s)
	}
	return out
}

// deliveryView is the page of one delivery.
type deliveryView struct {
	ui.Frame
	D            delivery.Delivery
	Now          time.Time
	Hook         *Hook
	Payload      string
	Attempts     []attemptView
	Timeline     []step
	Success      string
	CanRedeliver bool
}

func (in *Inspector) handleDelivery(w http.ResponseWriter, r *http.Request) {
	d, ok := in.backend.Engine().Get(r.PathValue("id"))
	if !ok {
		ui.Redirect(w, r, Root, Root, ui.Flash{Kind: "error", Text: fmt.Sprintf(
			"There is no delivery %q (a reset clears them, and only the newest are kept).", clip(r.PathValue("id")))})
		return
	}
	if ui.IsLive(r) {
		in.live.Serve(w, r, Root, in.detail, func() any { return in.deliveryView(d, ui.Frame{Root: Root, Page: r.URL.RequestURI()}) })
		return
	}
	in.detail.Render(w, Root, http.StatusOK, in.deliveryView(d, in.frame(w, r, "delivery "+d.ID)))
}

func (in *Inspector) deliveryView(d delivery.Delivery, f ui.Frame) deliveryView {
	e := in.backend.Engine()
	if fresh, ok := e.Get(d.ID); ok {
		d = fresh // a shared rendering may run a moment after the request
	}
	p := e.Policy()
	v := deliveryView{
		Frame: f, D: d, Now: e.Now(), Payload: ui.Pretty(d.Payload),
		Timeline: timeline(d, p, e.Now()), Success: p.Success.String(),
		CanRedeliver: d.State != delivery.Pending,
	}
	for _, h := range in.backend.Hooks() {
		if h.Key == d.HookKey {
			v.Hook = &h
		}
	}
	for i, a := range d.Attempts {
		v.Attempts = append(v.Attempts, in.attemptView(d, i, a, p))
	}
	return v
}
