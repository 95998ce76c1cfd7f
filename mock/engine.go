package mock

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/signature"
	"github.com/keaphook/keaphook/mock/store"
)

// newEngine builds the delivery engine over the mock's hooks.
func (s *Server) newEngine() (*delivery.Engine, error) {
	opts := delivery.Config{
		Hooks:       engineHooks{s},
		Timing:      s.cfg.timing,
		Policy:      s.cfg.policy,
		Chaos:       s.cfg.chaos,
		APIURL:      s.apiURL,
		EmptyAPIURL: s.cfg.emptyAPIURL,
		Observe:     s.observeDelivery,
		Sender:      s.cfg.sender,
		Retain:      s.cfg.retain,
	}
	if s.cfg.randSeeded {
		opts.Rand = rand.New(rand.NewPCG(s.cfg.randSeed, s.cfg.randSeed^0x9e3779b97f4a7c15))
	}
	if s.cfg.signing.Scheme != "" && s.cfg.signing.Scheme != signature.None {
		if err := s.cfg.signing.Validate(); err != nil {
			return nil, fmt.Errorf("signing: %w", err)
		}
		opts.Signer = s.cfg.signing
		if s.cfg.timing == delivery.TimingVirtual {
			opts.Signer = wallClockSigner{s.cfg.signing}
		}
	}
	// The inspector shows each attempt's headers as sent and answered.
	opts.Signer = s.wire.Signer(opts.Signer)
	if opts.Sender == nil {
		opts.Sender = delivery.NewHTTPClientTrusting(delivery.DefaultWorkers, s.cfg.roots) // nil roots: the system's
	}
	opts.Sender = s.wire.Sender(opts.Sender)
	if s.store != nil {
		opts.Store = s.store
		if s.cfg.timing == delivery.TimingVirtual {
			opts.Clock = delivery.NewVirtualClock(s.resumeVirtualClock())
		}
	}
	return delivery.New(opts)
}

// wallClockSigner stamps signatures with the time they are really sent. Under virtual timing
// the engine's clock may stand hours ahead of the receiver's, and a Standard Webhooks receiver
// rightly rejects a timestamp more than five minutes off.
type wallClockSigner struct{ cfg signature.Config }

func (w wallClockSigner) Sign(h http.Header, msgID string, _ time.Time, body []byte) error {
	return w.cfg.Sign(h, msgID, time.Now(), body)
}

// apiURL is the resource URL a delivery's object key points at on this mock, or "" for event
// keys whose objects Keap's v1 API cannot fetch (leadsource.*, user.*, subscription.*).
func (s *Server) apiURL(eventKey string, id int64) string {
	info, ok := fixtures.Lookup(eventKey)
	if !ok {
		return ""
	}
	return info.APIURL(s.baseURL()+keap.BasePath, id)
}

func (s *Server) baseURL() string { return s.base.Load().(string) }

// learnBaseURL remembers the mock's own root from the first request with a Host when
// WithBaseURL was not given; later requests never change it.
func (s *Server) learnBaseURL(r *http.Request) {
	if r.Host == "" {
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	s.base.CompareAndSwap("", (&url.URL{Scheme: scheme, Host: r.Host}).String())
}

// observeDelivery turns the engine's reports into log lines: one per attempt, and one plain
// sentence when a hook goes Inactive.
func (s *Server) observeDelivery(r delivery.Notice) {
	level := slog.LevelInfo
	switch r.Kind {
	case delivery.NoticeDeactivated, delivery.NoticeStoreError:
		level = slog.LevelError
	case delivery.NoticeAttempt, delivery.NoticeDuplicate:
		if r.Attempt != nil && !r.Attempt.Succeeded {
			level = slog.LevelWarn
		}
	case delivery.NoticeDropped:
		level = slog.LevelWarn
	}
	attrs := []any{"kind", string(r.Kind)}
	if r.DeliveryID != "" {
		attrs = append(attrs, "delivery", r.DeliveryID, "hook", r.HookKey, "eventKey", r.EventKey, "state", string(r.State))
	}
	s.log.Log(context.Background(), level, r.Message, attrs...)
	s.changed()
}

// engineHooks is the engine's view of the mock's hooks.
type engineHooks struct{ s *Server }

func (h engineHooks) Subscribers(eventKey string) []keap.RestHook {
	return h.s.hooks.forEvent(eventKey)
}
func (h engineHooks) Hook(key string) (keap.RestHook, bool) { return h.s.hooks.get(key) }

// Deactivate marks the hook Inactive and hands the engine the ops that save it, to commit
// with the delivery that ended the hook; the engine reports the reason, which the observer logs.
func (h engineHooks) Deactivate(key, reason string, save func(...store.Op)) {
	h.s.note(h.s.notes.generation(), key, reason) // the engine halts before a reset clears the notes
	h.s.hooks.deactivate(key, save)               // without a data directory the engine has no Store and saves nothing
}

// Emit records that objects changed, as a write in Keap would, and hands the change to the
// delivery engine. It is what the resources and POST /_mock/events call.
func (s *Server) Emit(eventKey string, ids ...int64) (delivery.Emitted, error) {
	changes := make([]delivery.Change, len(ids))
	for i, id := range ids {
		changes[i] = delivery.Change{ID: id}
	}
	em, err := s.Engine().Emit(eventKey, changes...)
	s.changed()
	if err == nil && len(em.Queued)+len(em.Dropped) == 0 {
		s.noSubscriber(eventKey, ids)
	}
	return em, err
}

// noSubscriber says, once per event key, that its events go nowhere: a line on every
// write cost a busy mock a fifth of its speed and told nothing new after the first.
func (s *Server) noSubscriber(eventKey string, ids []int64) {
	if _, said := s.unsubscribed.LoadOrStore(eventKey, true); said {
		return
	}
	s.log.Info(fmt.Sprintf("%s for %s: no hook is subscribed to it, nothing to deliver (said once per event key)", eventKey, idList(ids)))
}

func idList(ids []int64) string {
	parts := make([]string, 0, min(len(ids), 5))
	for i, id := range ids {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("… (%d in all)", len(ids)))
			break
		}
		parts = append(parts, fmt.Sprint(id))
	}
	return "id " + strings.Join(parts, ", ")
}
