package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/keaphook/keaphook/mock/keap"
)

// apiError is a mistake the caller can fix; its message goes to the caller as Keap's
// {"message": "..."} body. Any other error is internal: logged, never shown.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

// writeError is the one place errors become responses.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	if errors.As(err, &ae) {
		writeJSON(w, ae.status, keap.Message{Message: ae.msg})
		return
	}
	s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	writeJSON(w, http.StatusInternalServerError, keap.Message{Message: "internal error in the mock; see its log"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// writeUnauthorized answers like Keap's API gateway does for a missing or rejected token.
func writeUnauthorized(w http.ResponseWriter) {
	writeJSON(w, http.StatusUnauthorized, keap.InvalidAccessToken())
}
