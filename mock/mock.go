// Package mock is a fake Keap REST API that behaves like Keap where it matters for REST Hooks:
// the hooks resource, the X-Hook-Secret handshake (immediate and delayed), batched deliveries
// on Keap's retry schedule with Inactive states, Keap's auth and OAuth endpoints, and the
// mock's own controls under /_mock. A Server is an http.Handler built by New.
package mock

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/inspect"
	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/resources"
	"github.com/keaphook/keaphook/mock/spec"
	"github.com/keaphook/keaphook/mock/store"
)

// Server is the mock Keap. Its zero value is not usable; build one with New and Close it.
type Server struct {
	cfg             config
	log             *slog.Logger
	eventKeys       eventKeySet
	hooks           *hookStore
	oauth           *oauthStore
	store           *store.Store // nil without a data directory
	resources       *resources.Store
	spec            *spec.Answerer // every documented operation resources does not serve
	fields          *httpapi.FieldPolicy
	limiter         *rateLimiter                    // nil unless WithRateLimits
	engine          atomic.Pointer[delivery.Engine] // replaced whole by Reset
	handshakeClient *http.Client
	handler         http.Handler
	base            atomic.Value // string: the mock's own root, for apiUrl
	generatedIDs    atomic.Int64 // the last id invented for POST /_mock/events "count"
	inspector       *inspect.Inspector
	wire            *inspect.Wire // the headers of recent attempts, for the inspector
	notes           hookNotes     // each hook's last handshake in words
	unsubscribed    sync.Map      // event keys already logged as having no hook

	resetMu   sync.Mutex // one Reset or Close at a time
	running   runningEngine
	closed    bool // under resetMu
	closeOnce sync.Once
}

var _ http.Handler = (*Server)(nil)

// New builds a mock Keap with the given options and starts its delivery engine.
func New(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	keys := cfg.eventKeys
	if keys == nil {
		keys = fixtures.EventKeys()
	}
	s := &Server{
		cfg: cfg, log: cfg.logger, eventKeys: newEventKeySet(keys), hooks: newHookStore(),
		handshakeClient: newHandshakeClient(cfg.handshakeTransport()),
	}
	s.base.Store(cfg.baseURL)
	s.generatedIDs.Store(firstGeneratedID)
	s.wire = inspect.NewWire(0)
	s.inspector = s.newInspector()
	if err := s.openStore(); err != nil {
		return nil, err
	}
	engine, err := s.newEngine()
	if err != nil {
		s.closeStore()
		return nil, err
	}
	s.engine.Store(engine)
	now := cfg.now
	if now == nil {
		now = s.now
	}
	s.oauth = newOAuthStore(now, cfg.random)
	if cfg.rateLimits {
		s.limiter = newRateLimiter(s.now)
	}
	if err := s.newResources(); err != nil {
		s.closeStore()
		return nil, err
	}
	if s.spec, err = spec.New(spec.Config{Now: s.now, MaxBodyBytes: cfg.maxBodyBytes, Logger: s.log}); err != nil {
		s.closeStore()
		return nil, err
	}
	s.fields = &httpapi.FieldPolicy{Strict: cfg.strictFields, Logger: s.log}
	s.handler = s.routes()
	s.running = startEngine(engine)
	return s, nil
}

func (s *Server) openStore() error {
	if s.cfg.dataDir == "" {
		return nil
	}
	var opts []store.Option
	if s.cfg.dataSync != nil {
		opts = append(opts, store.SyncEvery(*s.cfg.dataSync))
	}
	st, err := store.Open(s.cfg.dataDir, opts...)
	if err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	if err := loadHooks(st, s.hooks); err != nil {
		st.Close()
		return fmt.Errorf("data directory %s: %w", s.cfg.dataDir, err)
	}
	s.store = st
	return nil
}

// newResources builds the Keap objects behind apiUrl; every write becomes an event.
func (s *Server) newResources() error {
	s.resources = resources.New(resources.Config{
		Emit:         func(eventKey string, ids ...int64) { s.Emit(eventKey, ids...) },
		Now:          s.now,
		MaxBodyBytes: s.cfg.maxBodyBytes,
		Logger:       s.log,
	})
	if !s.cfg.seedData {
		return nil
	}
	seed, err := fixtures.Seed()
	if err != nil {
		return fmt.Errorf("seed data: %w", err)
	}
	return s.resources.LoadSeed(seed)
}

// runningEngine is a delivery engine's Run in its goroutine, and how to stop it.
type runningEngine struct {
	stop context.CancelFunc
	done chan error
}

// startEngine runs e until the returned runningEngine is stopped.
func startEngine(e *delivery.Engine) runningEngine {
	ctx, cancel := context.WithCancel(context.Background())
	r := runningEngine{stop: cancel, done: make(chan error, 1)}
	go func() { r.done <- e.Run(ctx) }()
	return r
}

// halt stops the engine and waits for its Run to return.
func (r runningEngine) halt() error {
	r.stop()
	if err := <-r.done; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// now is the mock's clock: the delivery engine's, virtual under --timing virtual.
func (s *Server) now() time.Time { return s.Engine().Now() }

// ServeHTTP serves Keap's API, its OAuth endpoints and the mock's controls.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.baseURL() == "" && r.URL.Path != HealthPath {
		s.learnBaseURL(r)
	}
	s.handler.ServeHTTP(w, r)
}

// Engine is the delivery engine, for inspection from Go (mocktest uses it).
func (s *Server) Engine() *delivery.Engine { return s.engine.Load() }

// CloseStreams ends the inspector's open event streams, which would otherwise hold a
// graceful shutdown of the server the mock is served by; give it to RegisterOnShutdown.
func (s *Server) CloseStreams() { s.inspector.Close() }

// Tokens returns the tokens given with WithTokens.
func (s *Server) Tokens() []string { return append([]string(nil), s.cfg.tokens...) }

// Close stops the delivery engine (attempts in flight are cut short and, with a data
// directory, made again at the next start) and closes the data directory. It is safe to call
// more than once.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.resetMu.Lock()
		defer s.resetMu.Unlock()
		s.closed = true
		s.inspector.Close()
		err = errors.Join(s.running.halt(), s.closeStore())
	})
	return err
}

func (s *Server) closeStore() error {
	if s.store == nil {
		return nil
	}
	return s.store.Close()
}

// writeError answers with err through the one error writer, logging internal errors. Under
// /crm/rest/v2 a caller's mistake is v2's Error body.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *httpapi.Error
	if strings.HasPrefix(r.URL.Path, keapAPIV2Prefix+"/") && errors.As(err, &ae) {
		httpapi.WriteJSON(w, ae.Status, resources.V2Error(ae.Status, ae.Message))
		return
	}
	httpapi.WriteError(w, r, s.log, err)
}
