// Package inspect is the relay's web inspector (keaphook listen, 127.0.0.1:4040 by default):
// each request the relay received, the handshake it answered or the delivery with its event
// key, ids and signature verdict, the forward to the app and the app's answer, the body
// pretty-printed, and a button to replay it through the relay. It shares its templates,
// guard and live updates with the mock's inspector (mock/inspect/ui).
package inspect

import (
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/inspect/ui"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// DefaultAddr is where `keaphook listen` serves the inspector, as ngrok's does.
const DefaultAddr = "127.0.0.1:4040"

// DefaultKeep is how many requests the inspector keeps; the oldest go first.
const DefaultKeep = 500

const root = "/"

// Options configure an Inspector.
type Options struct {
	// RelayURL is the relay's own root (http://127.0.0.1:4000): replays are sent there, to
	// the path they were received at, so they go through the relay like any request.
	RelayURL string
	// Replayer sends replays (its To is set per request); its Sign re-signs deliveries.
	Replayer receiver.Replayer
	// Signing names the scheme the relay checks ("hmac-hex", "standard"), "" for none.
	Signing string
	// Keep is how many requests are kept; 0 means DefaultKeep.
	Keep int
	// MinGap is the least time between two live updates of one page; 0 means ui.DefaultMinGap.
	MinGap time.Duration
	// Random feeds sessions and CSRF tokens; nil means crypto/rand.
	Random io.Reader
	// AnyHost serves requests whatever their Host header says, for an inspector deliberately
	// listening beyond loopback; by default only 127.0.0.1, ::1 and localhost are answered.
	AnyHost bool
}

// Inspector is the relay's inspector: an http.Handler, and an observer of the receiver.
type Inspector struct {
	opts  Options
	guard *ui.Guard
	hub   *ui.Hub
	live  *ui.Live
	mux   *http.ServeMux
	list  ui.Page
	one   ui.Page

	mu       sync.Mutex
	requests []entry // oldest first
	last     int
}

// entry is one request as the inspector keeps it, numbered by the inspector: requests the
// relay refused are not recorded and so have no sequence number of their own.
type entry struct {
	N int
	receiver.Exchange
}

var _ http.Handler = (*Inspector)(nil)

// New builds the inspector.
func New(o Options) *Inspector {
	if o.Keep <= 0 {
		o.Keep = DefaultKeep
	}
	in := &Inspector{
		opts:  o,
		guard: &ui.Guard{Path: root, Random: o.Random},
		hub:   &ui.Hub{MinGap: o.MinGap},
		list:  ui.ParsePage("relay_index.html"),
		one:   ui.ParsePage("relay_request.html"),
	}
	in.live = &ui.Live{Hub: in.hub}
	in.routes()
	return in
}

func (in *Inspector) routes() {
	m := http.NewServeMux()
	g := in.guard.Wrap
	m.Handle("GET /{$}", g(http.HandlerFunc(in.handleIndex)))
	m.Handle("GET /requests/{n}", g(http.HandlerFunc(in.handleRequest)))
	m.Handle("POST /requests/{n}/replay", g(http.HandlerFunc(in.handleReplay)))
	m.Handle("GET /events", g(in.hub))
	m.Handle("GET /static/", ui.Static("/static/"))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ui.WriteMessage(w, root, http.StatusNotFound, "There is no such page here; the inspector's pages start at /.")
	})
	in.mux = m
}

// ServeHTTP serves the inspector's pages. Requests naming another host are refused: a web
// page elsewhere must not reach the inspector through a DNS name pointed at 127.0.0.1.
func (in *Inspector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !in.opts.AnyHost && !localHost(r.Host) {
		ui.WriteMessage(w, root, http.StatusMisdirectedRequest, "The inspector answers only at 127.0.0.1, ::1 or localhost.")
		return
	}
	in.mux.ServeHTTP(w, r)
}

// localHost reports whether a Host header names this machine.
func localHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Observe takes one request the relay answered; give it to receiver.Config.Observe.
func (in *Inspector) Observe(ev receiver.Exchange) {
	if ev.Kind == receiver.KindStatus {
		return // GET /, asking whether the relay is up: not a request from Keap
	}
	in.mu.Lock()
	if len(in.requests) >= in.opts.Keep {
		in.requests = append(in.requests[:0], in.requests[1:]...)
	}
	in.last++
	in.requests = append(in.requests, entry{N: in.last, Exchange: ev})
	in.mu.Unlock()
	in.hub.Notify()
}

// Close ends the open event streams.
func (in *Inspector) Close() { in.hub.Close() }

// Streams reports how many live pages are open.
func (in *Inspector) Streams() int { return in.hub.Streams() }
