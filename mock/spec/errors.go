package spec

import (
	"errors"
	"net/http"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/resources"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// fail answers err in the shape of the operation's document: v1's {"message"} through the
// mock's one error writer, v2's Error as the store's v2 views write it otherwise.
func (a *Answerer) fail(w http.ResponseWriter, r *http.Request, op *catalog.Op, err error) {
	var ae *httpapi.Error
	if op.Version == 1 || !errors.As(err, &ae) {
		httpapi.WriteError(w, r, a.log, err)
		return
	}
	httpapi.WriteJSON(w, ae.Status, resources.V2Error(ae.Status, ae.Message))
}
