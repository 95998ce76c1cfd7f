// Package register creates the relay's hooks on Keap (or the mock) when it starts, confirms
// them through delayedVerify when the relay answers handshakes without the echo, and deletes
// at exit the hooks it created. It prints nothing: each thing it does is a Notice.
//
// Each hook lives at its own path, <public URL>/hooks/<event key>, so a handshake's path
// says which hook it is for. Keap handshakes during the create call, before the key is
// known; the secret is kept until the create returns with the key.
package register

import (
	"context"
	"fmt"
	"sync"

	"github.com/keaphook/keaphook/mock/keap"
	"github.com/keaphook/keaphook/mock/keapclient"
)

// Config says where the hooks point and how they are confirmed.
type Config struct {
	// Client calls Keap's hooks API.
	Client *keapclient.Client
	// PublicURL is the relay's public URL; each hook is PublicURL + HookPath(eventKey).
	PublicURL string
	// Delayed confirms each handshake through delayedVerify instead of the echo.
	Delayed bool
	// Observe, when set, receives a Notice for each thing the registrar does.
	Observe func(Notice)
}

// NoticeKind says what a Notice is about.
type NoticeKind int

// The kinds of Notice.
const (
	// HookReady: a hook was created, reused or confirmed again; Hook.Status says whether it
	// is Verified.
	HookReady NoticeKind = iota
	// Confirming: the handshake was answered without the echo; the secret goes back
	// through delayedVerify now.
	Confirming
	// HookDeleted: a hook this run created was deleted at exit.
	HookDeleted
	// Trouble: something failed that does not stop the relay (Err says what).
	Trouble
)

// Notice is one thing the registrar did.
type Notice struct {
	Kind NoticeKind
	Hook keap.RestHook
	// How says how a HookReady hook came to be: "created", "reused (it already pointed
	// here)", "confirmed again through delayedVerify".
	How string
	Err error
}

// Registrar holds this run's hooks. It keeps no context: every call that reaches Keap takes
// its own.
type Registrar struct {
	cfg Config

	mu      sync.Mutex
	keys    map[string]string // path -> hook key, for hooks this run manages
	busy    map[string]bool   // paths being created or verified: that call confirms them
	pending map[string]string // path -> latest secret not yet handed back
	created []keap.RestHook   // deleted at exit
	async   sync.WaitGroup    // confirmations of handshakes outside registration
	closing bool              // cleanup began: no new confirmations
}

// New returns a Registrar; nothing is sent until Register.
func New(cfg Config) *Registrar {
	if cfg.Observe == nil {
		cfg.Observe = func(Notice) {}
	}
	return &Registrar{cfg: cfg, keys: map[string]string{}, busy: map[string]bool{}, pending: map[string]string{}}
}

// HookPath is the relay path a hook for eventKey points at.
func HookPath(eventKey string) string { return "/hooks/" + eventKey }

func (r *Registrar) hookURL(eventKey string) string { return r.cfg.PublicURL + HookPath(eventKey) }

// Register creates (or reuses) a hook per event key. It stops at the first key Keap
// refuses; hooks created before it are still deleted by Cleanup.
func (r *Registrar) Register(ctx context.Context, eventKeys []string) error {
	if len(eventKeys) == 0 {
		return nil
	}
	existing, err := r.cfg.Client.ListHooks(ctx)
	if err != nil {
		return fmt.Errorf("listing the hooks on %s: %w", keap.ShownURL(r.cfg.Client.BaseURL()), err)
	}
	seen := map[string]bool{}
	for _, key := range eventKeys {
		if seen[key] {
			continue
		}
		seen[key] = true
		h, reused, err := r.ensure(ctx, key, existing)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		how := "created"
		if reused {
			how = "reused (it already pointed here)"
		}
		r.cfg.Observe(Notice{Kind: HookReady, Hook: h, How: how})
	}
	return nil
}

// ensure reuses a hook that already points at our URL for key, verifying it again when it is
// not Verified, or creates one.
func (r *Registrar) ensure(ctx context.Context, key string, existing []keap.RestHook) (keap.RestHook, bool, error) {
	path := HookPath(key)
	r.begin(path)
	h, reused, err := r.reuseOrCreate(ctx, key, existing)
	if err != nil {
		// A failed call keeps nothing it reserved: the path is no longer awaited, so a
		// handshake that comes later is not held for a call that has ended, and a retry of
		// the registration starts clean.
		r.release(path)
		return h, reused, err
	}
	h, err = r.finish(ctx, path, h)
	return h, reused, err
}

// reuseOrCreate is the call to Keap behind ensure: verify again a hook that points here but is
// not Verified, or create one.
func (r *Registrar) reuseOrCreate(ctx context.Context, key string, existing []keap.RestHook) (keap.RestHook, bool, error) {
	url := r.hookURL(key)
	for _, h := range existing {
		if h.EventKey != key || h.HookURL != url {
			continue
		}
		if h.Status == keap.StatusVerified {
			return h, true, nil
		}
		v, err := r.cfg.Client.VerifyHook(ctx, h.Key)
		return v, true, err
	}
	h, err := r.cfg.Client.CreateHook(ctx, key, url)
	if err != nil {
		return h, false, err
	}
	r.mu.Lock()
	r.created = append(r.created, h)
	r.mu.Unlock()
	return h, false, nil
}

// begin marks path as awaited by the call about to create or verify its hook: a handshake on
// it now is for that call.
func (r *Registrar) begin(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.busy[path] = true
	delete(r.pending, path)
}

// release undoes begin for a call that failed, dropping any secret its handshake brought.
func (r *Registrar) release(path string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.busy, path)
	delete(r.pending, path)
}

// finish ends a create or verify call: when Delayed, the secret the handshake brought is
// handed back through delayedVerify, and the hook as Keap then reports it is returned.
func (r *Registrar) finish(ctx context.Context, path string, h keap.RestHook) (keap.RestHook, error) {
	r.mu.Lock()
	delete(r.busy, path)
	if h.Key != "" {
		r.keys[path] = h.Key
	}
	secret, ok := r.pending[path]
	delete(r.pending, path)
	r.mu.Unlock()
	if !r.cfg.Delayed || !ok || h.Key == "" || h.Status == keap.StatusVerified {
		return h, nil
	}
	r.cfg.Observe(Notice{Kind: Confirming, Hook: h})
	return r.cfg.Client.DelayedVerifyHook(ctx, h.Key, secret)
}

// OnHandshake takes a handshake's secret (when Delayed). During registration the
// registering call confirms it; later (a manual /verify) it is confirmed here, in the
// background, with ctx. A handshake on any other path is for no hook of this run and is not
// kept: through a tunnel anyone can post one.
func (r *Registrar) OnHandshake(ctx context.Context, path, secret string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closing {
		return
	}
	if r.busy[path] {
		r.pending[path] = secret
		return
	}
	key, known := r.keys[path]
	if !known {
		return
	}
	r.async.Go(func() {
		h, err := r.cfg.Client.DelayedVerifyHook(ctx, key, secret)
		if err != nil {
			r.cfg.Observe(Notice{Kind: Trouble, Hook: keap.RestHook{Key: key}, Err: fmt.Errorf("hook %s: delayedVerify failed: %w", key, err)})
			return
		}
		r.cfg.Observe(Notice{Kind: HookReady, Hook: h, How: "confirmed again through delayedVerify"})
	})
}

// Cleanup waits for background confirmations, then deletes the hooks this run created;
// hooks it reused were there before and stay. It returns the keys it could not delete.
func (r *Registrar) Cleanup(ctx context.Context) []string {
	r.mu.Lock()
	r.closing = true
	r.mu.Unlock()
	r.async.Wait()
	r.mu.Lock()
	created := append([]keap.RestHook(nil), r.created...)
	r.created = nil
	r.mu.Unlock()
	var failed []string
	for _, h := range created {
		if err := r.cfg.Client.DeleteHook(ctx, h.Key); err != nil && !keapclient.IsNotFound(err) {
			r.cfg.Observe(Notice{Kind: Trouble, Hook: h, Err: fmt.Errorf("could not delete hook %s (%s): %w", h.Key, h.EventKey, err)})
			failed = append(failed, h.Key)
			continue
		}
		r.cfg.Observe(Notice{Kind: HookDeleted, Hook: h})
	}
	return failed
}
