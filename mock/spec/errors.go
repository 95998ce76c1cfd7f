package spec

import (
	"errors"
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// v2Error is v2's Error schema: the status as a number and as gRPC's name, and a message.
type v2Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
}

// v2Status names a status the way v2's Error does.
var v2Status = map[int]string{
	http.StatusBadRequest:            "INVALID_ARGUMENT",
	http.StatusUnauthorized:          "UNAUTHENTICATED",
	http.StatusForbidden:             "PERMISSION_DENIED",
	http.StatusNotFound:              "NOT_FOUND",
	http.StatusMethodNotAllowed:      "METHOD_NOT_ALLOWED",
	http.StatusConflict:              "ALREADY_EXISTS",
	http.StatusRequestEntityTooLarge: "INVALID_ARGUMENT",
	http.StatusUnsupportedMediaType:  "INVALID_ARGUMENT",
	http.StatusInternalServerError:   "INTERNAL",
}

// fail answers err in the shape of the operation's document: v1's {"message"} through the
// mock's one error writer, v2's Error otherwise.
func (a *Answerer) fail(w http.ResponseWriter, r *http.Request, op *catalog.Op, err error) {
	var ae *httpapi.Error
	if op.Version == 1 || !errors.As(err, &ae) {
		httpapi.WriteError(w, r, a.log, err)
		return
	}
	httpapi.WriteJSON(w, ae.Status, v2Error{Code: ae.Status, Message: ae.Message, Status: v2Status[ae.Status]})
}
