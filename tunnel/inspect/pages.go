package inspect

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/keaphook/keaphook/mock/inspect/ui"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// row is one request as the list and its page show it.
type row struct {
	entry
	What      string // "handshake answered", "delivery", ...
	Signature string // the signature verdict, for deliveries
	IDs       string
	Forward   string
}

type listView struct {
	ui.Frame
	Rows  []row
	Total int
}

type requestView struct {
	ui.Frame
	R          row
	Request    []ui.Header
	Body       string
	Answer     []ui.Header
	AnswerBody string
	CanReplay  bool
}

func (in *Inspector) frame(w http.ResponseWriter, r *http.Request, title string) ui.Frame {
	return ui.Frame{Product: "relay", Title: title, Root: root, Page: r.URL.RequestURI(),
		CSRF: ui.CSRF(r), Flash: ui.TakeFlash(w, r, root)}
}

func (in *Inspector) handleIndex(w http.ResponseWriter, r *http.Request) {
	if ui.IsLive(r) {
		in.live.Serve(w, r, root, in.list, func() any { return in.listView(ui.Frame{Root: root, Page: r.URL.RequestURI()}) })
		return
	}
	in.list.Render(w, root, http.StatusOK, in.listView(in.frame(w, r, "requests received")))
}

func (in *Inspector) listView(f ui.Frame) listView {
	in.mu.Lock()
	entries := slices.Clone(in.requests)
	in.mu.Unlock()
	v := listView{Frame: f, Total: len(entries)}
	for i := len(entries) - 1; i >= 0; i-- {
		v.Rows = append(v.Rows, in.row(entries[i]))
	}
	return v
}

func (in *Inspector) handleRequest(w http.ResponseWriter, r *http.Request) {
	e, ok := in.find(r.PathValue("n"))
	if !ok {
		ui.Redirect(w, r, root, root, ui.Flash{Kind: "error", Text: "That request is no longer kept (only the latest are)."})
		return
	}
	if ui.IsLive(r) {
		in.live.Serve(w, r, root, in.one, func() any { return in.requestView(e, ui.Frame{Root: root, Page: r.URL.RequestURI()}) })
		return
	}
	in.one.Render(w, root, http.StatusOK, in.requestView(e, in.frame(w, r, fmt.Sprintf("request %d", e.N))))
}

func (in *Inspector) requestView(e entry, f ui.Frame) requestView {
	return requestView{
		Frame: f, R: in.row(e),
		Request: ui.ShownHeaders(e.Header), Body: ui.Pretty(e.Body),
		Answer: ui.ShownHeaders(e.Answer.Header), AnswerBody: ui.Pretty(e.Answer.Body),
		CanReplay: in.opts.RelayURL != "" && e.Body != nil,
	}
}

func (in *Inspector) find(n string) (entry, bool) {
	num, err := strconv.Atoi(n)
	if err != nil {
		return entry{}, false
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, e := range in.requests {
		if e.N == num {
			return e, true
		}
	}
	return entry{}, false
}

// row describes a request in words: what it was, its signature verdict, the forward.
func (in *Inspector) row(e entry) row {
	r := row{entry: e}
	switch e.Kind {
	case receiver.KindHandshake:
		r.What = "handshake answered with the echo"
		if e.Delayed {
			r.What = "handshake answered for delayed confirmation"
		}
	case receiver.KindDelivery:
		r.What, r.Signature = "delivery", "not checked (the relay checks no signature)"
		if in.opts.Signing != "" {
			r.Signature = "valid (" + in.opts.Signing + ")"
		}
	case receiver.KindRejected:
		r.What, r.Signature = "delivery rejected", "invalid: "+strings.TrimPrefix(e.Reason, "rejected: ")
	default:
		r.What = "refused: " + e.Reason
	}
	if len(e.IDs) > 0 {
		ids := make([]string, len(e.IDs))
		for i, id := range e.IDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		r.IDs = strings.Join(ids, ", ")
		if e.Objects > len(e.IDs) {
			r.IDs += fmt.Sprintf(" … (%d in all)", e.Objects)
		}
	}
	r.Forward = forwardText(e.Exchange)
	return r
}

func forwardText(ev receiver.Exchange) string {
	f := ev.Forward
	switch {
	case ev.Kind == receiver.KindHandshake:
		return "answered by the relay, not forwarded"
	case f == nil && ev.Kind == receiver.KindDelivery:
		return "not forwarded (no --forward-to): the relay answered 200"
	case f == nil:
		return "not forwarded"
	case f.Err != "":
		return fmt.Sprintf("to %s failed after %s: %s", ui.ShownURL(f.URL), ui.Duration(f.Duration), f.Err)
	}
	return fmt.Sprintf("to %s: the app answered %d %s in %s", ui.ShownURL(f.URL), f.Status, http.StatusText(f.Status), ui.Duration(f.Duration))
}

// handleReplay sends the request again through the relay, where it shows up as a new one.
func (in *Inspector) handleReplay(w http.ResponseWriter, r *http.Request) {
	back := r.PostFormValue("back")
	e, ok := in.find(r.PathValue("n"))
	if !ok || in.opts.RelayURL == "" || e.Body == nil {
		ui.Redirect(w, r, root, back, ui.Flash{Kind: "error", Text: "That request cannot be replayed: it is no longer kept, or it had no body."})
		return
	}
	p := in.opts.Replayer
	p.To = strings.TrimSuffix(in.opts.RelayURL, "/") + e.Path
	rec := receiver.Record{Seq: e.Seq, Time: e.Time, Kind: e.Kind, Method: e.Method, Path: e.Path, Header: e.Header}
	rec.SetBody(e.Body)
	ctx, cancel := context.WithTimeout(r.Context(), receiver.DefaultReplayTimeout)
	defer cancel()
	res := p.Send(ctx, rec)
	if res.Err != nil {
		ui.Redirect(w, r, root, back, ui.Flash{Kind: "error", Text: "The replay could not be sent: " + res.Err.Error()})
		return
	}
	ui.Redirect(w, r, root, back, ui.Flash{Kind: "ok", Text: fmt.Sprintf(
		"Replayed request %d through the relay: it answered %d %s in %s.", e.N, res.Status, http.StatusText(res.Status), ui.Duration(res.Duration))})
}
