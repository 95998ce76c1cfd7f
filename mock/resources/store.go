// Package resources is the mock's stateful copy of the Keap objects that REST Hooks talk
// about: contacts, tags, companies, notes, tasks, opportunities, orders with their payments
// and transactions, products, subscriptions, appointments and users. It serves them at
// Keap's v1 paths, so a receiver's follow-up GET of a delivery's apiUrl works offline, and
// reports every write through Config.Emit, so writes become deliveries.
package resources

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/keaphook/keaphook/fixtures"
)

// DefaultMaxBodyBytes is the largest request body read when Config.MaxBodyBytes is zero.
const DefaultMaxBodyBytes = 1 << 20

// Config configures a Store. Every field may be left zero.
type Config struct {
	// Emit is called after every successful write, with the event key and the ids the write
	// changed (the ids fixtures.Lookup documents for that key). It is called without the
	// store's lock held, so it may take its time; nil drops events.
	Emit func(eventKey string, ids ...int64)
	// Now stamps date_created, last_updated and the like; nil means time.Now.
	Now func() time.Time
	// MaxBodyBytes bounds request bodies (413 above it); zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Logger receives internal errors; nil discards them.
	Logger *slog.Logger
}

// Route is one operation the Store serves. Path is relative to /crm/rest/v1 and uses the
// gorilla/mux template syntax ("/contacts/{id}"); handlers read the variables with
// r.PathValue, so the router must copy them into the request.
type Route struct {
	Method  string
	Path    string
	Handler http.HandlerFunc
}

// Store holds the objects. It is safe for concurrent use; build it with New.
type Store struct {
	opts Config
	log  *slog.Logger

	mu sync.Mutex
	db *db
}

// New returns an empty store: no objects, only the default sales pipeline every Keap
// account starts with (so opportunities can be created without --seed).
func New(opts Config) *Store {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Store{opts: opts, log: opts.Logger, db: newDB(opts.Now)}
}

// LoadSeed adds the seed account (fixtures.Seed) to the store. It emits no events: the
// objects were there before any hook.
func (s *Store) LoadSeed(d fixtures.SeedData) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.db.loadSeed(d)
}

// Reset empties the store, back to how New left it.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.db = newDB(s.opts.Now)
}
