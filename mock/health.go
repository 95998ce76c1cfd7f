package mock

import (
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// HealthPath answers GET with 200 and a Health body while the mock serves. It needs no token,
// so a container's HEALTHCHECK and a CI service's readiness probe can use it, and it does not
// teach the mock its own address (see learnBaseURL): a probe from inside a container reaches it
// by an address no client outside could use.
const HealthPath = "/_mock/health"

// Health is the body of GET /_mock/health.
type Health struct {
	Status string `json:"status"` // always "ok": a mock that cannot serve does not answer
	// BaseURL is the root the mock puts in apiUrl fields: the one it was given, or the one its
	// first client reached it by, or "" before any client has called.
	BaseURL string `json:"baseUrl"`
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	httpapi.WriteJSON(w, http.StatusOK, Health{Status: "ok", BaseURL: s.baseURL()})
}
