package inspect

import (
	"io"
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/inspect/ui"
)

// Root is where the mock serves its inspector.
const Root = "/_mock/ui/"

// DefaultPageSize is how many deliveries a page of the list shows.
const DefaultPageSize = 50

// Options configure an Inspector. Backend is required.
type Options struct {
	Backend Backend
	// Accept reports whether a token passed as ?token= is one the mock accepts.
	Accept func(token string) bool
	// Authorized reports whether a request carries an accepted token in a header.
	Authorized func(r *http.Request) bool
	// Wire keeps attempts' headers; nil keeps none (the pages say so).
	Wire *Wire
	// PageSize is how many deliveries a page lists; 0 means DefaultPageSize.
	PageSize int
	// MinGap is the least time between two live updates of one page; 0 means ui.DefaultMinGap.
	MinGap time.Duration
	// Random feeds sessions and CSRF tokens; nil means crypto/rand.
	Random io.Reader
}

// Inspector serves the pages under Root. Build it with New.
type Inspector struct {
	backend  Backend
	wire     *Wire
	guard    *ui.Guard
	hub      *ui.Hub
	live     *ui.Live
	pageSize int
	index    ui.Page
	detail   ui.Page
}

// New builds the inspector.
func New(o Options) *Inspector {
	if o.PageSize <= 0 {
		o.PageSize = DefaultPageSize
	}
	hub := &ui.Hub{MinGap: o.MinGap}
	return &Inspector{
		backend: o.Backend, wire: o.Wire, pageSize: o.PageSize,
		guard: &ui.Guard{Accept: o.Accept, Authorized: o.Authorized, Path: Root, Random: o.Random},
		hub:   hub, live: &ui.Live{Hub: hub},
		index: ui.ParsePage("mock_index.html"), detail: ui.ParsePage("mock_delivery.html"),
	}
}

// Notify tells open pages that hooks, deliveries or the clock changed. It never blocks.
func (in *Inspector) Notify() { in.hub.Notify() }

// Streams reports how many live pages are open.
func (in *Inspector) Streams() int { return in.hub.Streams() }

// Close ends the open event streams, so that a server shutting down is not held by them.
func (in *Inspector) Close() { in.hub.Close() }

// Route is one page or action, its path relative to Root's parent ("/" is Root itself).
type Route struct {
	Method  string
	Path    string
	Handler http.Handler
}

// Routes lists every page and action, each behind the guard except the static assets.
func (in *Inspector) Routes() []Route {
	g := in.guard.Wrap
	return []Route{
		{http.MethodGet, "/", g(http.HandlerFunc(in.handleIndex))},
		{http.MethodGet, "/deliveries/{id}", g(http.HandlerFunc(in.handleDelivery))},
		{http.MethodGet, "/events", g(in.hub)},
		{http.MethodGet, "/static/{file}", ui.Static(Root + "static/")},
		{http.MethodPost, "/hooks", g(http.HandlerFunc(in.handleCreateHook))},
		{http.MethodPost, "/hooks/{key}/verify", g(http.HandlerFunc(in.handleVerify))},
		{http.MethodPost, "/deliveries/{id}/redeliver", g(http.HandlerFunc(in.handleRedeliver))},
		{http.MethodPost, "/emit", g(http.HandlerFunc(in.handleEmit))},
		{http.MethodPost, "/clock/advance", g(http.HandlerFunc(in.handleAdvance))},
		{http.MethodPost, "/chaos", g(http.HandlerFunc(in.handleChaos))},
		{http.MethodPost, "/reset", g(http.HandlerFunc(in.handleReset))},
	}
}

// frame fills the layout's part of a page's data.
func (in *Inspector) frame(w http.ResponseWriter, r *http.Request, title string) ui.Frame {
	return ui.Frame{Product: "mock", Title: title, Root: Root, Page: r.URL.RequestURI(),
		CSRF: ui.CSRF(r), Flash: ui.TakeFlash(w, r, Root)}
}
