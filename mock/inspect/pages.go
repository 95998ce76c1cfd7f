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
	Hooks     []Hook
	EventKeys []string
	Filters   []filterLink
	Rows      []delivery.Delivery
	Query     listQuery
	Newer     string
	Older     string
	Shown     string
}

// filterLink is one state in the list's filter, with its count.
type filterLink struct {
	Label   string
	Count   int
	Href    string
	Current bool
}

func (in *Inspector) handleIndex(w http.ResponseWriter, r *http.Request) {
	e := in.backend.Engine()
	v := indexView{
		Frame: in.frame(w, r, "hooks and deliveries"), Now: e.Now(), Timing: e.Timing(),
		Virtual: e.Timing() == delivery.TimingVirtual, ChaosOn: e.Chaos() != (delivery.Chaos{}),
		Hooks: in.backend.Hooks(), EventKeys: in.backend.EventKeys(),
	}
	status := http.StatusOK
	q, err := parseListQuery(r.URL.Query(), stateNames())
	if err != nil {
		status, v.Flash = http.StatusBadRequest, &ui.Flash{Kind: "error", Text: err.Error()}
	}
	v.Query = q
	in.fillList(&v, e)
	in.render(w, r, in.index, status, v)
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
		v.Rows = list[skip:min(len(list), skip+in.pageSize)]
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
	e := in.backend.Engine()
	d, ok := e.Get(r.PathValue("id"))
	if !ok {
		ui.Redirect(w, r, Root, Root, ui.Flash{Kind: "error", Text: fmt.Sprintf(
			"There is no delivery %q (a reset clears them, and only the newest are kept).", clip(r.PathValue("id")))})
		return
	}
	p := e.Policy()
	v := deliveryView{
		Frame: in.frame(w, r, "delivery "+d.ID), D: d, Now: e.Now(), Payload: ui.Pretty(d.Payload),
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
	in.render(w, r, in.detail, http.StatusOK, v)
}

// render writes a page; a template that fails to run is a bug, answered with a sentence.
func (in *Inspector) render(w http.ResponseWriter, r *http.Request, p ui.Page, status int, data any) {
	if err := p.Render(w, r, status, data); err != nil {
		ui.WriteMessage(w, Root, http.StatusInternalServerError, "The inspector could not draw this page: "+err.Error())
	}
}
