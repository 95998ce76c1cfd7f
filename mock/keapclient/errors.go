package keapclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/keaphook/keaphook/mock/keap"
)

// APIError is an answer from Keap outside 2xx. Message is Keap's own explanation, taken from
// a {"message"} body or an API gateway {"fault":{"faultstring"}} body, or the status text.
type APIError struct {
	Status  int
	Message string
	Body    []byte
	// Method and Path say which call failed, e.g. "POST" and "/v1/hooks".
	Method string
	Path   string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("keap: %s %s: %d %s: %s", e.Method, e.Path, e.Status, http.StatusText(e.Status), e.Message)
}

func newAPIError(method, path string, resp *http.Response, body []byte) *APIError {
	return &APIError{
		Status: resp.StatusCode, Message: errorMessage(resp.StatusCode, body),
		Body: body, Method: method, Path: path,
	}
}

// errorMessage reads the two error bodies Keap sends. Unknown bodies give the status text and,
// if short and printable, the body itself, since a proxy's HTML or text error is still a clue.
func errorMessage(status int, body []byte) string {
	var msg keap.Message
	if json.Unmarshal(body, &msg) == nil && msg.Message != "" {
		return msg.Message
	}
	var fault keap.Fault
	if json.Unmarshal(body, &fault) == nil && fault.Fault.FaultString != "" {
		if code := fault.Fault.Detail.ErrorCode; code != "" {
			return fault.Fault.FaultString + " (" + code + ")"
		}
		return fault.Fault.FaultString
	}
	text := strings.TrimSpace(string(body))
	if text != "" && len(text) <= 200 && !strings.ContainsAny(text, "<\x00") {
		return text
	}
	if st := http.StatusText(status); st != "" {
		return strings.ToLower(st)
	}
	return fmt.Sprintf("HTTP status %d", status)
}

// IsNotFound reports whether err is Keap's 404 (no such hook).
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsUnauthorized reports whether err is Keap's 401 (missing, wrong or expired token).
func IsUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}
