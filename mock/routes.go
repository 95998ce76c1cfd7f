package mock

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/keaphook/keaphook/mock/inspect"
	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/keap"
)

// routes is the whole URL space of the mock, in one place: Keap's API under /crm/rest/v1 and
// /crm/rest/v2, Keap's OAuth endpoints, and the mock's own controls under /_mock.
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(s.handleNotFound)
	r.MethodNotAllowedHandler = s.methodNotAllowed(r)

	// Keap's API routes are registered on the root router, not a subrouter: gorilla/mux
	// answers 404 instead of 405 for a wrong method on a subrouter's path.
	keapRoute := func(method, path string, h http.Handler) {
		r.Handle(path, s.keapHandler(method, path, h)).Methods(method)
	}
	api := func(method, path string, h http.HandlerFunc) { keapRoute(method, keapAPIPrefix+path, h) }
	api(http.MethodGet, "/hooks/event_keys", s.handleEventKeys)
	api(http.MethodGet, "/hooks", s.handleListHooks)
	api(http.MethodPost, "/hooks", s.handleCreateHook)
	api(http.MethodGet, "/hooks/{key}", s.handleGetHook)
	api(http.MethodPut, "/hooks/{key}", s.handleUpdateHook)
	api(http.MethodDelete, "/hooks/{key}", s.handleDeleteHook)
	api(http.MethodPost, "/hooks/{key}/verify", s.handleVerify)
	api(http.MethodPost, "/hooks/{key}/delayedVerify", s.handleDelayedVerify)
	for _, rt := range s.resources.Routes() {
		api(rt.Method, rt.Path, rt.Handler)
	}
	// Keap's REST v2: a second view of the same objects, same auth. Its routes are also on a
	// router of their own that v2 requests try first (see v2First).
	v2 := mux.NewRouter()
	for _, rt := range s.resources.RoutesV2() {
		path := keapAPIV2Prefix + rt.Path
		keapRoute(rt.Method, path, rt.Handler)
		v2.Handle(path, s.keapHandler(rt.Method, path, rt.Handler)).Methods(rt.Method)
	}

	// The mock's own controls: never confused with a Keap path, behind the same auth.
	ctl := func(method, path string, h http.HandlerFunc) {
		r.Handle("/_mock"+path, withPathValues(s.requireAuth(s.notifyingWrite(method, h)))).Methods(method)
	}
	ctl(http.MethodPost, "/events", s.handleEmitEvent)
	ctl(http.MethodGet, "/deliveries", s.handleListDeliveries)
	ctl(http.MethodGet, "/deliveries/{id}", s.handleGetDelivery)
	ctl(http.MethodPost, "/deliveries/{id}/redeliver", s.handleRedeliver)
	ctl(http.MethodGet, "/clock", s.handleClock)
	ctl(http.MethodPost, "/clock/advance", s.handleAdvance)
	ctl(http.MethodGet, "/chaos", s.handleGetChaos)
	ctl(http.MethodPut, "/chaos", s.handleSetChaos)
	ctl(http.MethodPost, "/reset", s.handleReset)
	r.HandleFunc(HealthPath, s.handleHealth).Methods(http.MethodGet, http.MethodHead) // no token: for probes

	// The web inspector: its own login (?token= for a cookie) in front of each page.
	r.Handle("/_mock/ui", http.RedirectHandler(inspect.Root, http.StatusMovedPermanently))
	for _, rt := range s.inspector.Routes() {
		r.Handle(strings.TrimSuffix(inspect.Root, "/")+rt.Path, withPathValues(rt.Handler)).Methods(rt.Method)
	}

	r.HandleFunc("/app/oauth/authorize", s.handleAuthorize).Methods(http.MethodGet)
	r.HandleFunc("/token", s.handleToken).Methods(http.MethodPost)

	// Every other operation of Keap's v1 and v2 documents, after the routes above so theirs
	// win; and a route above leaves a request to a more specific documented path
	// (/v1/tasks/{taskId} does not take /v1/tasks/search).
	s.yieldToDocumentedPaths(r)
	s.yieldToDocumentedPaths(v2)
	for _, rt := range s.spec.Routes() {
		keapRoute(rt.Method, rt.Path, rt.Handler)
	}
	return s.recoverPanics(v2First(v2, r))
}

// keapHandler is the chain every Keap operation runs through.
func (s *Server) keapHandler(method, template string, h http.Handler) http.Handler {
	return withPathValues(s.requireAuth(s.rateLimited(s.withFieldPolicy(template, s.notifyingWrite(method, h)))))
}

// v2First sends requests under /crm/rest/v2 to the router of v2's store routes alone, and
// any it does not match (a 404 or 405 there) on to the whole router, which holds them too,
// then the rest of Keap's v2 document, and says the right 404 or 405. gorilla/mux tries
// routes in order, so without this a v2 request would first run every v1 route's pattern.
func v2First(v2, all *mux.Router) http.Handler {
	v2.NotFoundHandler, v2.MethodNotAllowedHandler = all, all
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, keapAPIV2Prefix+"/") {
			v2.ServeHTTP(w, r)
			return
		}
		all.ServeHTTP(w, r)
	})
}

// yieldToDocumentedPaths makes each Keap route registered so far skip the requests a more
// specific path of Keap's documents describes.
func (s *Server) yieldToDocumentedPaths(r *mux.Router) {
	r.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		template, err := route.GetPathTemplate()
		if err != nil || !strings.HasPrefix(template, keap.BasePath+"/") {
			return nil
		}
		if shadowed := s.spec.Shadowing(template); shadowed != nil {
			route.MatcherFunc(func(req *http.Request, _ *mux.RouteMatch) bool { return !shadowed(req.URL.Path) })
		}
		return nil
	})
}

// withFieldPolicy gives a Keap request the mock's rule for JSON fields its operation does
// not take (ignored and logged once, or refused with --strict-fields).
func (s *Server) withFieldPolicy(template string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, httpapi.WithFieldPolicy(r, s.fields, template))
	})
}

// keapAPIPrefix is where Keap's v1 API lives on the mock, as on api.infusionsoft.com.
const keapAPIPrefix = "/crm/rest/v1"

// keapAPIV2Prefix is where Keap's REST v2 lives on the mock, as on api.keap.com.
const keapAPIV2Prefix = "/crm/rest/v2"

// withPathValues copies the route's variables ({key}, {id}) into the request's PathValue, so
// handlers read them with the standard library and only this file knows gorilla/mux.
func withPathValues(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range mux.Vars(r) {
			r.SetPathValue(k, v)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	msg := fmt.Sprintf("no such path: %s %s", r.Method, r.URL.Path)
	if !strings.HasPrefix(r.URL.Path, "/crm/rest/") && !strings.HasPrefix(r.URL.Path, "/_mock/") {
		msg += "; Keap's API lives under /crm/rest/v1 and /crm/rest/v2 (e.g. /crm/rest/v1/hooks) and the mock's controls under /_mock"
	}
	s.writeError(w, r, httpapi.Errorf(http.StatusNotFound, "%s", msg))
}

// methodNotAllowed answers 405 with the methods router has for the path, in Allow and in words.
func (s *Server) methodNotAllowed(router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allowed := allowedMethods(router, r)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		s.writeError(w, r, httpapi.Errorf(http.StatusMethodNotAllowed, "%s is not allowed on %s; use %s",
			r.Method, r.URL.Path, strings.Join(allowed, " or ")))
	})
}

// allowedMethods asks the router which methods would have matched the request's path.
func allowedMethods(router *mux.Router, r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		var match mux.RouteMatch
		if router.Match(probe, &match) && match.MatchErr == nil {
			out = append(out, m)
		}
	}
	return out
}

// recoverPanics turns a panic in a handler into a logged 500 rather than a dropped connection.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
