package inspect

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/inspect/ui"
)

// done answers an action by returning to the page its form came from with the outcome:
// err's sentence as an error, or ok as a confirmation.
func (in *Inspector) done(w http.ResponseWriter, r *http.Request, ok string, err error) {
	f := ui.Flash{Kind: "ok", Text: ok}
	if err != nil {
		f = ui.Flash{Kind: "error", Text: message(err)}
	}
	in.hub.Notify()
	ui.Redirect(w, r, Root, r.PostFormValue("back"), f)
}

// message is what the page says about err: the sentence the mock wrote for people.
func message(err error) string {
	var fe formError
	if errors.As(err, &fe) {
		return string(fe)
	}
	msg := err.Error()
	if msg == "" {
		return "That did not work."
	}
	return strings.ToUpper(msg[:1]) + msg[1:]
}

// The guard has read each action's form (ui.ParseForm) before its handler runs: r.PostForm
// holds it, and a form it could not read never reaches a handler.

func (in *Inspector) handleCreateHook(w http.ResponseWriter, r *http.Request) {
	f, err := parseHookForm(r.PostForm)
	var h Hook
	if err == nil {
		h, err = in.backend.CreateHook(r.Context(), f.EventKey, f.HookURL)
	}
	in.done(w, r, fmt.Sprintf("Hook %s created for %s: %s. %s", h.Key, h.EventKey, h.Status, h.Note), err)
}

func (in *Inspector) handleVerify(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	h, err := in.backend.Verify(r.Context(), key)
	in.done(w, r, fmt.Sprintf("Hook %s verified again: %s. %s", key, h.Status, h.Note), err)
}

func (in *Inspector) handleRedeliver(w http.ResponseWriter, r *http.Request) {
	d, err := in.backend.Engine().Redeliver(r.PathValue("id"))
	if errors.Is(err, delivery.ErrNotFound) {
		err = formErrorf("There is no delivery %q.", clip(r.PathValue("id")))
	}
	in.done(w, r, fmt.Sprintf("Redelivery %s of %s is due now.", d.ID, d.RedeliveryOf), err)
}

func (in *Inspector) handleEmit(w http.ResponseWriter, r *http.Request) {
	f, err := parseEmitForm(r.PostForm)
	var em Emitted
	if err == nil {
		em, err = in.backend.Emit(f.EventKey, f.IDs, f.Count)
	}
	in.done(w, r, fmt.Sprintf("%s for %d object(s): %d delivery(ies) queued, %d dropped (hook not Verified).",
		f.EventKey, len(em.IDs), len(em.Queued), len(em.Dropped)), err)
}

func (in *Inspector) handleAdvance(w http.ResponseWriter, r *http.Request) {
	d, err := parseAdvance(r.PostForm)
	var now time.Time
	if err == nil {
		now, err = in.backend.Advance(r.Context(), d)
	}
	in.done(w, r, fmt.Sprintf("Moved the clock by %s: it reads %s.", d, ui.Clock(now)), err)
}

func (in *Inspector) handleChaos(w http.ResponseWriter, r *http.Request) {
	on, err := parseChaos(r.PostForm)
	var c delivery.Chaos
	if err == nil {
		c, err = in.backend.SetChaos(on)
	}
	text := "Chaos is off."
	if on {
		text = fmt.Sprintf("Chaos is on: duplicate %.2f, reorder %.2f, drop first %.2f, delay %s.", c.Duplicate, c.Reorder, c.DropFirst, c.Delay)
	}
	in.done(w, r, text, err)
}

func (in *Inspector) handleReset(w http.ResponseWriter, r *http.Request) {
	err := in.backend.Reset()
	if err == nil {
		// Pages of deliveries that no longer exist would only show an error.
		r.PostForm.Set("back", Root)
	}
	in.done(w, r, "The mock is reset: no hooks, no deliveries, the clock at the real time.", err)
}
