package mock

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/keaphook/keaphook/mock/delivery"
	"github.com/keaphook/keaphook/mock/inspect"
	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/keap"
)

// defaultChaos is what the inspector's "chaos on" switches to when the mock was started
// without chaos: a little of every kind of misbehaviour.
var defaultChaos = delivery.Chaos{Duplicate: 0.2, Reorder: 0.2, DropFirst: 0.2}

// newInspector builds the web inspector over s, with the Wire that the engine's Signer and
// Sender report to.
func (s *Server) newInspector() *inspect.Inspector {
	return inspect.New(inspect.Options{
		Backend:    inspectorBackend{s},
		Accept:     s.tokenAccepted,
		Authorized: func(r *http.Request) bool { return s.tokenAccepted(requestToken(r)) },
		Wire:       s.wire,
		Random:     s.cfg.random,
	})
}

// changed tells the inspector's open pages that something they show changed.
func (s *Server) changed() {
	if s.inspector != nil {
		s.inspector.Notify()
	}
}

// notifyingWrite wraps a handler of method so that, when it may change state (any method
// but GET), open inspector pages refresh after it.
func (s *Server) notifyingWrite(method string, next http.Handler) http.Handler {
	if method == http.MethodGet {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		s.changed()
	})
}

// hookNotes keeps, per hook, the last handshake's outcome or why it went Inactive, in words.
// A reset clears them and starts a new generation: work that began before it (a handshake
// still running) leaves no note on the hooks made after it, which reuse the same keys.
type hookNotes struct {
	mu    sync.Mutex
	notes map[string]string
	gen   uint64
}

// generation is the notes' generation now, for work to give back with its note.
func (n *hookNotes) generation() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.gen
}

// set records note for key if no reset came since generation gen.
func (n *hookNotes) set(gen uint64, key, note string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if gen != n.gen {
		return
	}
	if n.notes == nil {
		n.notes = map[string]string{}
	}
	n.notes[key] = note
}

// forget drops a deleted hook's note: a note kept would only grow the map with every hook
// created and deleted.
func (n *hookNotes) forget(key string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.notes, key)
}

// note records a hook's note from work that began at generation gen of the notes, unless the
// mock was reset since or the hook is gone: a handshake or an attempt can end while its hook
// is being deleted. The delete removes the hook before it forgets the note, so looking again
// after setting it never keeps a note the delete has already forgotten.
func (s *Server) note(gen uint64, key, note string) {
	s.notes.set(gen, key, note)
	if _, ok := s.hooks.get(key); !ok {
		s.notes.forget(key)
	}
}

func (n *hookNotes) get(key string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.notes[key]
}

// inspectorBackend is the mock as its inspector drives it: the same rules and words as the API.
type inspectorBackend struct{ s *Server }

func (b inspectorBackend) Engine() *delivery.Engine { return b.s.Engine() }
func (b inspectorBackend) EventKeys() []string      { return b.s.eventKeys.list() }

func (b inspectorBackend) Hooks() []inspect.Hook {
	hooks := b.s.hooks.list()
	out := make([]inspect.Hook, len(hooks))
	for i, h := range hooks {
		out[i] = b.hook(h)
	}
	return out
}

func (b inspectorBackend) hook(h keap.RestHook) inspect.Hook {
	return inspect.Hook{RestHook: h, Note: b.s.notes.get(h.Key)}
}

func (b inspectorBackend) CreateHook(ctx context.Context, eventKey, hookURL string) (inspect.Hook, error) {
	req := keap.RestHookRequest{EventKey: eventKey, HookURL: hookURL}
	if err := b.s.validateHookRequest(req); err != nil {
		return inspect.Hook{}, err
	}
	return b.hook(b.s.createHook(ctx, req)), nil
}

func (b inspectorBackend) Verify(ctx context.Context, key string) (inspect.Hook, error) {
	gen := b.s.notes.generation()
	if _, ok := b.s.hooks.get(key); !ok {
		return inspect.Hook{}, fmt.Errorf("there is no hook %q", key)
	}
	return b.hook(b.s.verifyHook(ctx, key, gen)), nil
}

func (b inspectorBackend) Emit(eventKey string, ids []int64, count int) (inspect.Emitted, error) {
	ids, err := b.s.emitIDs(emitRequest{EventKey: eventKey, IDs: ids, Count: count})
	if err != nil {
		return inspect.Emitted{}, err
	}
	em, err := b.s.Emit(eventKey, ids...)
	return inspect.Emitted{IDs: ids, Emitted: em}, err
}

func (b inspectorBackend) Advance(ctx context.Context, d time.Duration) (time.Time, error) {
	e := b.s.Engine()
	if e.Timing() != delivery.TimingVirtual {
		return e.Now(), httpapi.Errorf(http.StatusConflict, "the clock moves by hand only with --timing virtual; this mock runs with %s timing", e.Timing())
	}
	now, err := e.Advance(ctx, d)
	if err != nil {
		return now, fmt.Errorf("the advance stopped early: %w", err)
	}
	b.s.saveVirtualClock(now)
	return now, nil
}

func (b inspectorBackend) SetChaos(on bool) (delivery.Chaos, error) {
	var c delivery.Chaos
	if on {
		c = b.s.cfg.chaos
		if c == (delivery.Chaos{}) {
			c = defaultChaos
		}
	}
	return c, b.s.Engine().SetChaos(c)
}

func (b inspectorBackend) Reset() error { return b.s.Reset() }

func (n *hookNotes) clear() {
	n.mu.Lock()
	defer n.mu.Unlock()
	clear(n.notes)
	n.gen++
}
