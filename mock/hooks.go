package mock

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/keap"
)

func (s *Server) handleEventKeys(w http.ResponseWriter, r *http.Request) {
	httpapi.WriteJSON(w, http.StatusOK, s.eventKeys.list())
}

func (s *Server) handleListHooks(w http.ResponseWriter, r *http.Request) {
	httpapi.WriteJSON(w, http.StatusOK, s.hooks.list())
}

// handleCreateHook stores the hook and performs the handshake during the call, as Keap does:
// the response already says Verified or Unverified.
func (s *Server) handleCreateHook(w http.ResponseWriter, r *http.Request) {
	req, err := s.readHookRequest(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, s.createHook(r.Context(), req))
}

// createHook stores a hook from a validated request and runs its handshake, for the API and
// the inspector alike. It returns the hook as it stands after, once that is on disk.
func (s *Server) createHook(ctx context.Context, req keap.RestHookRequest) keap.RestHook {
	gen := s.notes.generation()
	h := s.hooks.create(req)
	s.log.Info(fmt.Sprintf("hook %s created for %s -> %s; sending the handshake", h.Key, h.EventKey, keap.ShownURL(h.HookURL)))
	s.stageHook(h.Key) // verifyHook waits for its own save, which comes after this one
	return s.verifyHook(ctx, h.Key, gen)
}

func (s *Server) handleGetHook(w http.ResponseWriter, r *http.Request) {
	h, ok := s.hooks.get(r.PathValue("key"))
	if !ok {
		s.writeError(w, r, noHookError(r.PathValue("key")))
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, h)
}

func (s *Server) handleUpdateHook(w http.ResponseWriter, r *http.Request) {
	key, gen := r.PathValue("key"), s.notes.generation()
	if _, ok := s.hooks.get(key); !ok {
		s.writeError(w, r, noHookError(key))
		return
	}
	req, err := s.readHookRequest(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h, urlChanged, err := s.hooks.update(key, req)
	if err != nil {
		s.writeError(w, r, noHookError(key))
		return
	}
	if !urlChanged {
		s.persistHook(key)
	} else {
		s.stageHook(key) // verifyHook waits for its own save, which comes after this one
		s.log.Info(fmt.Sprintf("hook %s now points at %s; it is Unverified until the new URL answers the handshake", key, keap.ShownURL(h.HookURL)))
		h = s.verifyHook(r.Context(), key, gen)
	}
	httpapi.WriteJSON(w, http.StatusOK, h)
}

func (s *Server) handleDeleteHook(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if !s.hooks.delete(key) {
		s.writeError(w, r, noHookError(key))
		return
	}
	s.notes.forget(key)
	s.persistHook(key)
	s.log.Info(fmt.Sprintf("hook %s deleted", key))
	w.WriteHeader(http.StatusNoContent)
}

// handleVerify runs the immediate handshake again; it verifies an Unverified hook and
// reactivates an Inactive one.
func (s *Server) handleVerify(w http.ResponseWriter, r *http.Request) {
	key, gen := r.PathValue("key"), s.notes.generation()
	if _, ok := s.hooks.get(key); !ok {
		s.writeError(w, r, noHookError(key))
		return
	}
	httpapi.WriteJSON(w, http.StatusOK, s.verifyHook(r.Context(), key, gen))
}

// handleDelayedVerify is the delayed confirmation: the receiver answered the handshake without
// the echo and now hands the secret back out of band.
func (s *Server) handleDelayedVerify(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	secret := r.Header.Get(keap.HeaderHookSecret)
	if _, ok := s.hooks.get(key); !ok {
		s.writeError(w, r, noHookError(key))
		return
	}
	if secret == "" {
		s.writeError(w, r, httpapi.Errorf(http.StatusBadRequest,
			"delayedVerify needs the X-Hook-Secret request header, holding the secret your hookUrl received in the handshake POST"))
		return
	}
	h, err := s.hooks.confirmDelayed(key, secret)
	switch {
	case errors.Is(err, errNoHook):
		s.writeError(w, r, noHookError(key))
	case errors.Is(err, errNoSecret):
		s.writeError(w, r, httpapi.Errorf(http.StatusBadRequest,
			"hook %s has not been sent a handshake yet; call POST /v1/hooks/%s/verify first, then send back the secret it delivers", key, key))
	case errors.Is(err, errWrongSecret):
		s.log.Warn(fmt.Sprintf("hook %s: delayedVerify with a wrong or stale secret; status stays %s", key, h.Status))
		s.writeError(w, r, httpapi.Errorf(http.StatusForbidden,
			"X-Hook-Secret is not the latest secret sent to hook %s's hookUrl; each handshake issues a new one and only the most recent is accepted", key))
	default:
		s.persistHook(key)
		s.log.Info(fmt.Sprintf("hook %s (%s) is Verified by delayed confirmation", key, h.EventKey))
		httpapi.WriteJSON(w, http.StatusOK, h)
	}
}

// verifyHook issues a fresh secret, runs the handshake against the hook's URL, records the
// outcome and logs it with the reason on failure. It returns the hook as it stands after,
// once that is on disk. gen is the notes' generation when the caller first looked at the
// hook: a reset since then makes the handshake's note stale (see hookNotes).
func (s *Server) verifyHook(ctx context.Context, key string, gen uint64) keap.RestHook {
	secret := randomHex(s.cfg.random, 32)
	h, err := s.hooks.issueSecret(key, secret)
	if err != nil {
		return h
	}
	saving := s.stageHook(key)
	res := s.handshake(ctx, h.HookURL, secret)
	if !res.ok {
		s.note(gen, key, "last handshake failed: "+res.reason)
		s.awaitHook(key, saving)
		s.log.Warn(fmt.Sprintf("hook %s (%s) handshake failed, status stays %s: %s", key, h.EventKey, h.Status, res.reason),
			"hookUrl", keap.ShownURL(h.HookURL), "status", res.status, "elapsed", res.elapsed.Round(1e6).String())
		return h
	}
	settled, err := s.hooks.settle(key, secret, h.HookURL)
	if err != nil {
		s.awaitHook(key, saving)
		return settled
	}
	s.note(gen, key, fmt.Sprintf("last handshake succeeded: %s echoed X-Hook-Secret in %s", keap.ShownURL(h.HookURL), res.elapsed.Round(10*time.Microsecond)))
	s.persistHook(key)
	s.log.Info(fmt.Sprintf("hook %s (%s) is Verified: %s echoed X-Hook-Secret", key, h.EventKey, keap.ShownURL(h.HookURL)),
		"elapsed", res.elapsed.Round(1e6).String())
	return settled
}

func (s *Server) readHookRequest(w http.ResponseWriter, r *http.Request) (keap.RestHookRequest, error) {
	var req keap.RestHookRequest
	if err := httpapi.DecodeJSON(w, r, &req, s.cfg.maxBodyBytes, true); err != nil {
		return req, err
	}
	return req, s.validateHookRequest(req)
}

func (s *Server) validateHookRequest(req keap.RestHookRequest) error {
	if err := s.checkEventKey(req.EventKey); err != nil {
		return err
	}
	if err := validateHookURL(req.HookURL); err != nil {
		return err
	}
	if s.cfg.httpsOnly && !strings.HasPrefix(strings.ToLower(req.HookURL), "https://") {
		return httpapi.Errorf(http.StatusBadRequest,
			"hookUrl %q uses http, and this sender requires HTTPS for every webhook URL: register an https:// URL whose certificate the sender trusts", keap.ShownURL(req.HookURL))
	}
	return nil
}

func validateHookURL(raw string) error {
	if raw == "" {
		return httpapi.Errorf(http.StatusBadRequest, "hookUrl is required: the absolute http(s) URL Keap will POST events to")
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return httpapi.Errorf(http.StatusBadRequest, "hookUrl %q is not an absolute URL; use e.g. https://example.com/keap/hooks", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return httpapi.Errorf(http.StatusBadRequest, "hookUrl %q must use http or https, not %q", raw, u.Scheme)
	}
	return nil
}

func noHookError(key string) error {
	return httpapi.Errorf(http.StatusNotFound, "no hook with key %q; GET /v1/hooks lists the hooks that exist", key)
}
