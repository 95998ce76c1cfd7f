// Package httpapi is the one place the mock turns errors into Keap-shaped responses and reads
// request bodies, shared by the hooks API, the resources and the mock's own controls.
package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/keaphook/keaphook/mock/keap"
)

// Error is a mistake the caller can fix; its message goes to the caller as Keap's
// {"message": "..."} body. Any other error is internal: logged, never shown.
type Error struct {
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an Error with a formatted message.
func Errorf(status int, format string, args ...any) error {
	return &Error{Status: status, Message: fmt.Sprintf(format, args...)}
}

// WriteError is the one place errors become responses.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var ae *Error
	if errors.As(err, &ae) {
		WriteJSON(w, ae.Status, keap.Message{Message: ae.Message})
		return
	}
	log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	WriteJSON(w, http.StatusInternalServerError, keap.Message{Message: "internal error in the mock; see its log"})
}

// WriteJSON writes v as the JSON body of a response with the given status. A
// json.RawMessage goes out as it is (the caller encoded it), not compacted a second time.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header()["Content-Type"] = jsonContentType
	w.WriteHeader(status)
	if raw, ok := v.(json.RawMessage); ok {
		w.Write(raw)
		w.Write(newline)
		return
	}
	json.NewEncoder(w).Encode(v)
}

var newline = []byte{'\n'}

// jsonContentType is shared by every answer; net/http only reads it (a Set or Add by a
// later handler replaces or reallocates the slice, never writes into it).
var jsonContentType = []string{"application/json;charset=UTF-8"}

// WriteUnauthorized answers like Keap's API gateway does for a missing or rejected token.
func WriteUnauthorized(w http.ResponseWriter) {
	WriteJSON(w, http.StatusUnauthorized, keap.InvalidAccessToken())
}
