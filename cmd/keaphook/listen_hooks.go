package main

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
	"github.com/keaphook/keaphook/tunnel/receiver"
)

// hookManager registers this run's hooks, confirms them through delayedVerify when the relay
// answers handshakes without the echo, and deletes at exit the hooks it created.
//
// Each hook lives at its own path, <public URL>/hooks/<event key>, so a handshake's path
// says which hook it is for. Keap handshakes during the create call, before the key is
// known; the secret is kept until the create returns with the key.
type hookManager struct {
	kc      *keapclient.Client
	out     *listenUI
	public  string
	delayed bool

	mu      sync.Mutex
	keys    map[string]string // path -> hook key, for hooks this run manages
	busy    map[string]bool   // paths being created or verified: that call confirms them
	pending map[string]string // path -> latest secret not yet handed back
	created []keap.RestHook   // deleted at exit
	async   sync.WaitGroup    // confirmations of handshakes outside registration
	closing bool              // cleanup began: no new confirmations
	ctx     context.Context
}

func newHookManager(kc *keapclient.Client, out *listenUI, public string, delayed bool) *hookManager {
	return &hookManager{
		kc: kc, out: out, public: public, delayed: delayed,
		keys: map[string]string{}, busy: map[string]bool{}, pending: map[string]string{},
	}
}

func (m *hookManager) hookURL(eventKey string) string { return m.public + "/hooks/" + eventKey }

func hookPath(eventKey string) string { return "/hooks/" + eventKey }

// register creates (or reuses) a hook per event key and reports each one's status. It stops
// at the first key Keap refuses; hooks created before it are still deleted at exit.
func (m *hookManager) register(ctx context.Context, eventKeys []string) error {
	m.mu.Lock()
	m.ctx = ctx
	m.mu.Unlock()
	if len(eventKeys) == 0 {
		return nil
	}
	existing, err := m.kc.ListHooks(ctx)
	if err != nil {
		return fmt.Errorf("listing the hooks on %s: %w", keap.ShownURL(m.kc.BaseURL()), err)
	}
	seen := map[string]bool{}
	for _, key := range eventKeys {
		if seen[key] {
			continue
		}
		seen[key] = true
		h, reused, err := m.ensure(ctx, key, existing)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		how := "created"
		if reused {
			how = "reused (it already pointed here)"
		}
		m.out.hookStatus(h, how, m.delayed)
	}
	return nil
}

// ensure reuses a hook that already points at our URL for key, verifying it again when it is
// not Verified, or creates one.
func (m *hookManager) ensure(ctx context.Context, key string, existing []keap.RestHook) (keap.RestHook, bool, error) {
	path, url := hookPath(key), m.hookURL(key)
	m.begin(path)
	for _, h := range existing {
		if h.EventKey != key || h.HookURL != url {
			continue
		}
		if h.Status != keap.StatusVerified {
			v, err := m.kc.VerifyHook(ctx, h.Key)
			if err != nil {
				return h, true, err
			}
			h = v
		}
		h, err := m.finish(ctx, path, h)
		return h, true, err
	}
	h, err := m.kc.CreateHook(ctx, key, url)
	if err != nil {
		m.finish(ctx, path, keap.RestHook{})
		return h, false, err
	}
	m.mu.Lock()
	m.created = append(m.created, h)
	m.mu.Unlock()
	h, err = m.finish(ctx, path, h)
	return h, false, err
}

func (m *hookManager) begin(path string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.busy[path] = true
	delete(m.pending, path)
}

// finish ends a create or verify call: with --delayed, the secret the handshake brought is
// handed back through delayedVerify, and the hook as Keap then reports it is returned.
func (m *hookManager) finish(ctx context.Context, path string, h keap.RestHook) (keap.RestHook, error) {
	m.mu.Lock()
	delete(m.busy, path)
	if h.Key != "" {
		m.keys[path] = h.Key
	}
	secret, ok := m.pending[path]
	delete(m.pending, path)
	m.mu.Unlock()
	if !m.delayed || !ok || h.Key == "" || h.Status == keap.StatusVerified {
		return h, nil
	}
	m.out.delayedConfirm(h)
	return m.kc.DelayedVerifyHook(ctx, h.Key, secret)
}

// onHandshake receives each handshake's secret (with --delayed). During registration the
// registering call confirms it; later (a manual /verify) it is confirmed here. A handshake
// on any other path is for no hook of this run and is not kept: through a tunnel anyone
// can post one.
func (m *hookManager) onHandshake(hs receiver.Handshake) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closing {
		return
	}
	if m.busy[hs.Path] {
		m.pending[hs.Path] = hs.Secret
		return
	}
	key, known := m.keys[hs.Path]
	if !known {
		return
	}
	ctx := m.ctx
	m.async.Go(func() {
		h, err := m.kc.DelayedVerifyHook(ctx, key, hs.Secret)
		if err != nil {
			m.out.warn("hook %s: delayedVerify failed: %v", key, err)
			return
		}
		m.out.hookStatus(h, "confirmed again through delayedVerify", true)
	})
}

// cleanup deletes the hooks this run created; hooks it reused were there before and stay.
func (m *hookManager) cleanup(ctx context.Context, timeout time.Duration) {
	m.mu.Lock()
	m.closing = true
	m.mu.Unlock()
	m.async.Wait()
	m.mu.Lock()
	created := append([]keap.RestHook(nil), m.created...)
	m.created = nil
	m.mu.Unlock()
	if len(created) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var failed []string
	for _, h := range created {
		if err := m.kc.DeleteHook(ctx, h.Key); err != nil && !keapclient.IsNotFound(err) {
			m.out.warn("could not delete hook %s (%s): %v", h.Key, h.EventKey, err)
			failed = append(failed, h.Key)
			continue
		}
		m.out.hookDeleted(h)
	}
	if len(failed) > 0 {
		m.out.warn("delete them yourself: DELETE %s/v1/hooks/{%s}", keap.ShownURL(m.kc.BaseURL()), strings.Join(failed, ","))
	}
}
