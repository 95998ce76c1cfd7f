package mock

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/keaphook/keaphook/fixtures"
	"github.com/keaphook/keaphook/mock/delivery"
)

// Reset returns the mock to how it started: no hooks, no deliveries, the resources empty (or
// the seed account again with WithSeedData), chaos as configured, a virtual clock back at
// the real time. Tokens stay valid. Requests that arrive while it runs may see either state.
func (s *Server) Reset() error {
	s.resetMu.Lock()
	defer s.resetMu.Unlock()
	if s.closed {
		return errors.New("reset: the mock is closed")
	}
	if err := s.running.halt(); err != nil {
		return err
	}
	if err := s.clearStore(); err != nil {
		return fmt.Errorf("reset: clearing the data directory: %w", err)
	}
	s.hooks.restore(nil, 0)
	s.notes.clear()
	if err := s.resetResources(); err != nil {
		return err
	}
	engine, err := s.newEngine()
	if err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	s.engine.Store(engine)
	s.running = startEngine(engine)
	s.log.Info("mock reset: no hooks, no deliveries, resources as at start")
	return nil
}

func (s *Server) resetResources() error {
	s.resources.Reset()
	s.spec.Reset()
	if !s.cfg.seedData {
		return nil
	}
	seed, err := fixtures.Seed()
	if err != nil {
		return fmt.Errorf("reset: seed data: %w", err)
	}
	return s.resources.LoadSeed(seed)
}

// clearStore empties the buckets the mock and its engine keep in the data directory,
// the saved virtual clock with them: a reset mock starts at the real time.
func (s *Server) clearStore() error {
	if s.store == nil {
		return nil
	}
	return s.store.Clear(bucketHooks, bucketMeta, delivery.StoreBucket)
}

func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	if err := s.Reset(); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
