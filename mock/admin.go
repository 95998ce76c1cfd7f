package mock

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Limits of the mock's controls, so one request cannot make the mock hold unbounded work.
const (
	maxEmitIDs   = 10_000
	maxAdvance   = 366 * 24 * time.Hour
	maxListLimit = 10_000
	// firstGeneratedID is where ids invented for "count" start: above every id the resources
	// hand out, so an invented id never names a stored object.
	firstGeneratedID = 100_000
)

// emitRequest is the body of POST /_mock/events: explicit ids, or a count of new ones.
type emitRequest struct {
	EventKey string  `json:"eventKey"`
	IDs      []int64 `json:"ids"`
	Count    int     `json:"count"`
}

// emitResponse says what became of an event.
type emitResponse struct {
	EventKey string   `json:"eventKey"`
	IDs      []int64  `json:"ids"`
	Queued   []string `json:"queued"`
	Dropped  []string `json:"dropped"`
}

func (s *Server) handleEmitEvent(w http.ResponseWriter, r *http.Request) {
	var req emitRequest
	if err := httpapi.DecodeJSON(w, r, &req, s.cfg.maxBodyBytes, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	ids, err := s.emitIDs(req)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	em, err := s.Emit(req.EventKey, ids...)
	if err != nil {
		s.writeError(w, r, stoppedError(err))
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, emitResponse{EventKey: req.EventKey, IDs: ids,
		Queued: em.Queued, Dropped: em.Dropped})
}

func (s *Server) emitIDs(req emitRequest) ([]int64, error) {
	if err := s.checkEventKey(req.EventKey); err != nil {
		return nil, err
	}
	switch {
	case req.Count < 0:
		return nil, httpapi.Errorf(http.StatusBadRequest, "count must be positive, got %d", req.Count)
	case len(req.IDs) > 0 && req.Count > 0:
		return nil, httpapi.Errorf(http.StatusBadRequest, `give either "ids" or "count", not both`)
	case len(req.IDs) == 0 && req.Count == 0:
		return nil, httpapi.Errorf(http.StatusBadRequest, `give "ids" (e.g. [12, 13]) or "count" (how many changed objects to invent)`)
	case len(req.IDs) > maxEmitIDs || req.Count > maxEmitIDs:
		return nil, httpapi.Errorf(http.StatusBadRequest, "at most %d ids per call", maxEmitIDs)
	}
	for _, id := range req.IDs {
		if id <= 0 {
			return nil, httpapi.Errorf(http.StatusBadRequest, "ids must be positive integers, got %d", id)
		}
	}
	if req.Count == 0 {
		return req.IDs, nil
	}
	ids := make([]int64, req.Count)
	for i := range ids {
		ids[i] = s.generatedIDs.Add(1)
	}
	return ids, nil
}

func (s *Server) checkEventKey(key string) error {
	if key == "" {
		return httpapi.Errorf(http.StatusBadRequest, `eventKey is required, e.g. "contact.add"`)
	}
	if s.eventKeys.has(key) {
		return nil
	}
	msg := fmt.Sprintf("eventKey %q is not a Keap event key", key)
	if near := s.eventKeys.closest(key); len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "?"
	}
	return httpapi.Errorf(http.StatusBadRequest, "%s (GET /crm/rest/v1/hooks/event_keys lists them)", msg)
}

// deliveryList is the body of GET /_mock/deliveries.
type deliveryList struct {
	Deliveries []delivery.Delivery    `json:"deliveries"`
	Counts     map[delivery.State]int `json:"counts"`
}

func (s *Server) handleListDeliveries(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	list := s.Engine().List(f)
	if list == nil {
		list = []delivery.Delivery{}
	}
	httpapi.WriteJSON(w, http.StatusOK, deliveryList{Deliveries: list, Counts: s.Engine().Counts()})
}

func parseFilter(r *http.Request) (delivery.Filter, error) {
	q := r.URL.Query()
	f := delivery.Filter{HookKey: q.Get("hook"), EventKey: q.Get("eventKey")}
	if st := q.Get("state"); st != "" {
		state, err := delivery.ParseState(st)
		if err != nil {
			return f, httpapi.Errorf(http.StatusBadRequest, "state: %v", err)
		}
		f.State = state
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxListLimit {
			return f, httpapi.Errorf(http.StatusBadRequest, "limit must be a whole number from 1 to %d, got %q", maxListLimit, l)
		}
		f.Limit = n
	}
	return f, nil
}

func (s *Server) handleGetDelivery(w http.ResponseWriter, r *http.Request) {
	d, ok := s.Engine().Get(r.PathValue("id"))
	if !ok {
		s.writeError(w, r, noDeliveryError(r.PathValue("id")))
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, d)
}

func (s *Server) handleRedeliver(w http.ResponseWriter, r *http.Request) {
	d, err := s.Engine().Redeliver(r.PathValue("id"))
	switch {
	case errors.Is(err, delivery.ErrNotFound):
		s.writeError(w, r, noDeliveryError(r.PathValue("id")))
	case errors.Is(err, delivery.ErrStopped):
		s.writeError(w, r, stoppedError(err))
	case err != nil:
		s.writeError(w, r, httpapi.Errorf(http.StatusConflict, "%v", err))
	default:
		httpapi.WriteJSON(w, http.StatusOK, d)
	}
}

// stoppedError says, for a call that raced a reset or the mock's close, that it was not kept
// and may be sent again; other errors pass unchanged.
func stoppedError(err error) error {
	if errors.Is(err, delivery.ErrStopped) {
		return httpapi.Errorf(http.StatusServiceUnavailable, "the mock was reset or is closing while this call ran, so nothing it made was kept; send it again")
	}
	return err
}

func noDeliveryError(id string) error {
	return httpapi.Errorf(http.StatusNotFound, "no delivery %q; GET /_mock/deliveries lists them", id)
}

// clockState is the body of the clock endpoints.
type clockState struct {
	Now    time.Time       `json:"now"`
	Timing delivery.Timing `json:"timing"`
}

func (s *Server) handleClock(w http.ResponseWriter, r *http.Request) {
	httpapi.WriteJSON(w, http.StatusOK, clockState{Now: s.Engine().Now(), Timing: s.Engine().Timing()})
}

// handleAdvance moves the virtual clock and answers once every attempt that fell due has been
// made, so a script can check the outcome right after.
func (s *Server) handleAdvance(w http.ResponseWriter, r *http.Request) {
	var req struct {
		By string `json:"by"`
	}
	if err := httpapi.DecodeJSON(w, r, &req, s.cfg.maxBodyBytes, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := time.ParseDuration(req.By)
	switch {
	case req.By == "":
		err = httpapi.Errorf(http.StatusBadRequest, `"by" is required, a duration such as "30s", "5m" or "1h30m"`)
	case err != nil:
		err = httpapi.Errorf(http.StatusBadRequest, `"by": %q is not a duration; use e.g. "30s", "5m" or "1h30m"`, req.By)
	case d <= 0 || d > maxAdvance:
		err = httpapi.Errorf(http.StatusBadRequest, `"by" must be positive and at most %s, got %s`, maxAdvance, d)
	case s.Engine().Timing() != delivery.TimingVirtual:
		err = httpapi.Errorf(http.StatusConflict, "the clock moves by hand only under virtual timing; this mock runs with %s timing", s.Engine().Timing())
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	// The target is saved first: attempts made during the advance are not saved until their
	// outcome, and a mock restarted after a crash mid-advance must see them as already due,
	// never as Pending deliveries that may still take changes (see delivery.Store).
	s.saveVirtualClock(s.Engine().Now().Add(d))
	now, err := s.Engine().Advance(r.Context(), d)
	if err != nil {
		s.writeError(w, r, httpapi.Errorf(http.StatusServiceUnavailable, "advance stopped early: %v", err))
		return
	}
	s.saveVirtualClock(now)
	httpapi.WriteJSON(w, http.StatusOK, clockState{Now: now, Timing: s.Engine().Timing()})
}

func (s *Server) handleGetChaos(w http.ResponseWriter, r *http.Request) {
	httpapi.WriteJSON(w, http.StatusOK, s.Engine().Chaos())
}

func (s *Server) handleSetChaos(w http.ResponseWriter, r *http.Request) {
	var c delivery.Chaos
	if err := httpapi.DecodeJSON(w, r, &c, s.cfg.maxBodyBytes, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Engine().SetChaos(c); err != nil {
		s.writeError(w, r, httpapi.Errorf(http.StatusBadRequest, "%v", err))
		return
	}
	s.log.Info(fmt.Sprintf("chaos set: duplicate %.2f, reorder %.2f, delay %s, drop first %.2f", c.Duplicate, c.Reorder, c.Delay, c.DropFirst))
	httpapi.WriteJSON(w, http.StatusOK, s.Engine().Chaos())
}
