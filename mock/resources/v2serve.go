package resources

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Keap's REST v2 is a second view of the same objects: the v2 handlers read and write the
// tables the v1 handlers use, through the same apply functions, so a write through either
// version emits the same event keys and shows in both. What differs is only the wire shape:
// string ids, create_time/update_time, page_token paging, filter and order_by strings, and
// v2's Error body.

// v2Error is Keap's v2 Error body. Keap documents code, message and status; status is the
// canonical name of the code (INVALID_ARGUMENT, NOT_FOUND...), as Google-style APIs give it.
type v2Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Status  string `json:"status"`
}

// v2Statuses names the HTTP statuses the v2 view answers with.
var v2Statuses = map[int]string{
	http.StatusBadRequest:            "INVALID_ARGUMENT",
	http.StatusUnauthorized:          "UNAUTHENTICATED",
	http.StatusForbidden:             "PERMISSION_DENIED",
	http.StatusNotFound:              "NOT_FOUND",
	http.StatusMethodNotAllowed:      "METHOD_NOT_ALLOWED",
	http.StatusConflict:              "FAILED_PRECONDITION",
	http.StatusRequestEntityTooLarge: "INVALID_ARGUMENT",
	http.StatusUnsupportedMediaType:  "INVALID_ARGUMENT",
	http.StatusTooManyRequests:       "RESOURCE_EXHAUSTED",
	http.StatusInternalServerError:   "INTERNAL",
}

// V2Error is the body of a v2 answer with the given status and message, for the parts of the
// mock outside the store (the router's 404 and 405 under /crm/rest/v2).
func V2Error(status int, message string) any {
	name := v2Statuses[status]
	if name == "" {
		name = "UNKNOWN"
	}
	return v2Error{Code: status, Message: message, Status: name}
}

// writeV2Error is fail for v2 routes: the caller's mistakes as v2's Error, anything else
// logged and answered as a plain 500.
func (s *Store) writeV2Error(w http.ResponseWriter, r *http.Request, err error) {
	var ae *httpapi.Error
	if errors.As(err, &ae) {
		httpapi.WriteJSON(w, ae.Status, V2Error(ae.Status, ae.Message))
		return
	}
	s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	httpapi.WriteJSON(w, http.StatusInternalServerError, V2Error(http.StatusInternalServerError, "internal error in the mock; see its log"))
}

type v2Marker struct{}

// v2Route marks a request as one of v2's, so the shared handlers answer errors in v2's shape.
func v2Route(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h(w, r.WithContext(context.WithValue(r.Context(), v2Marker{}, true)))
	}
}

func isV2(r *http.Request) bool {
	v, _ := r.Context().Value(v2Marker{}).(bool)
	return v
}

// v2ID reads an id from a v2 path. v2 spells ids as strings, but every id the store gives
// out is a positive whole number.
func v2ID(r *http.Request, name string) (int64, error) {
	raw := r.PathValue(name)
	id, ok := parseID(raw)
	if !ok {
		return 0, httpapi.Errorf(http.StatusBadRequest, "%s %q in the path is not an id: ids are positive whole numbers in a string, such as \"2001\"", name, raw)
	}
	return id, nil
}

// idString is a stored id as v2 writes it: a JSON string.
func idString(v any) string {
	if id, ok := asInt(v); ok {
		return strconv.FormatInt(id, 10)
	}
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// setID sets a v2 id field from a stored id, leaving it out when there is none.
func setID(o object, key string, v any) {
	if s := idString(v); s != "" && s != "0" {
		o[key] = s
	}
}

// idField reads an id a v2 body gives as a string; nil passes.
func (c *check) idField(field string, v *string) *int64 {
	if v == nil {
		return nil
	}
	id, ok := parseID(*v)
	if !ok {
		c.bad("%s must be an id: a positive whole number in a string, such as \"2001\"; got %q", field, *v)
		return nil
	}
	return &id
}
