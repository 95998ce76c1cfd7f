// Package spec answers every operation of Keap's v1 and v2 documents that the mock has no
// handler of its own for, from the documents themselves (through a compact catalog
// generated from fixtures/schema). An operation on one object of a collection is stateful:
// create, get, list, update and delete round-trip through a store keyed by collection.
// Every other operation (models, settings, reports, custom methods) gets a body built from
// its response schema. Either way the answer validates against the document.
package spec

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/keaphook/keaphook/fixtures/schema/pathtemplate"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// DefaultMaxBodyBytes bounds request bodies when Config.MaxBodyBytes is zero.
const DefaultMaxBodyBytes = 1 << 20

// Config configures an Answerer. Every field may be left zero.
type Config struct {
	// Now stamps date-time fields; nil means time.Now.
	Now func() time.Time
	// MaxBodyBytes bounds request bodies (413 above it).
	MaxBodyBytes int64
	// Logger receives the fields a request sent that its operation does not take, each
	// named once, and internal errors; nil discards them.
	Logger *slog.Logger
}

// Answerer serves the operations. It is safe for concurrent use; build it with New.
type Answerer struct {
	opts    Config
	log     *slog.Logger
	cat     *catalog.Catalog
	store   *store
	creates map[string]bool // collection paths (as templates) that have a create
	// paths is every distinct path of the catalog, parsed once here: Routes sorts by them and
	// Shadowing, which runs once for each of the router's own routes, compares against them.
	paths map[string]pathtemplate.Template
}

// Route is one documented operation: Path is the full path as the mock serves it, in
// gorilla/mux template syntax, and the handler reads its variables with r.PathValue.
type Route struct {
	Method  string
	Path    string
	Handler http.HandlerFunc
}

// New builds an Answerer over the embedded catalog.
func New(opts Config) (*Answerer, error) {
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	a := &Answerer{opts: opts, log: opts.Logger, cat: cat, store: newStore(), creates: map[string]bool{},
		paths: map[string]pathtemplate.Template{}}
	for _, op := range cat.Ops {
		if op.Role == catalog.Create {
			a.creates[op.Path] = true
		}
		if _, ok := a.paths[op.Path]; !ok {
			a.paths[op.Path] = pathtemplate.Parse(op.Path)
		}
	}
	return a, nil
}

// Routes returns every operation of both documents, the most specific paths first
// (/v1/tasks/search before /v1/tasks/{taskId}), for the router to try after its own.
func (a *Answerer) Routes() []Route {
	ops := make([]*catalog.Op, len(a.cat.Ops))
	for i := range a.cat.Ops {
		ops[i] = &a.cat.Ops[i]
	}
	slices.SortStableFunc(ops, func(x, y *catalog.Op) int {
		return pathtemplate.Compare(x.Path, a.paths[x.Path], y.Path, a.paths[y.Path])
	})
	routes := make([]Route, len(ops))
	for i, op := range ops {
		routes[i] = Route{Method: op.Method, Path: op.Path, Handler: a.handler(op)}
	}
	return routes
}

// Reset forgets every object the store holds.
func (a *Answerer) Reset() { a.store.reset() }

func (a *Answerer) examples() examples {
	return examples{schemas: a.cat.Schemas, now: a.opts.Now()}
}

// Operation describes one documented operation and how the mock answers it when no handler
// of its own does: Role is "create", "list", "get", "update", "replace" or "delete" for a
// stateful one, "" for a canned one.
type Operation struct {
	Method, Path string // Path as the mock serves it: /crm/rest/v2/contacts/{contact_id}
	Version      int
	Role         string
	// IDField is the property an object's id is in, for stateful operations.
	IDField string
}

// Operations lists every operation of both documents, sorted by path, then method.
func Operations() ([]Operation, error) {
	cat, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	ops := make([]Operation, len(cat.Ops))
	for i, op := range cat.Ops {
		ops[i] = Operation{Method: op.Method, Path: op.Path, Version: op.Version, Role: op.Role, IDField: op.IDField}
	}
	return ops, nil
}

// ExampleRequest is a JSON body the operation's document accepts, built from its request
// schema like the answers are; ok is false when the operation takes no JSON body.
func ExampleRequest(method, path string) (body []byte, ok bool) {
	cat, err := loadCatalog()
	if err != nil {
		return nil, false
	}
	for _, op := range cat.Ops {
		if op.Method == method && op.Path == path && op.Request != 0 {
			ex := examples{schemas: cat.Schemas, now: time.Date(2024, 3, 14, 16, 21, 37, 0, time.UTC)}
			body, err := json.Marshal(ex.value(op.Request, "", 0))
			return body, err == nil
		}
	}
	return nil, false
}
