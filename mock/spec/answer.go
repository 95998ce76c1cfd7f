package spec

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// handler answers one operation according to its role.
func (a *Answerer) handler(op *catalog.Op) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := a.requestBody(w, r, op)
		if err != nil {
			a.fail(w, r, op, err)
			return
		}
		status, out, err := a.answer(r, op, body)
		if err != nil {
			a.fail(w, r, op, err)
			return
		}
		a.write(w, op, status, out)
	}
}

func (a *Answerer) answer(r *http.Request, op *catalog.Op, body any) (int, any, error) {
	switch op.Role {
	case catalog.Create:
		return a.create(r, op, body)
	case catalog.List:
		return a.list(r, op)
	case catalog.Get, catalog.Update, catalog.Replace, catalog.Delete:
		return a.item(r, op, body)
	}
	return op.Status, a.canned(op), nil
}

// canned is the body an operation without state answers: its schema's example.
func (a *Answerer) canned(op *catalog.Op) any {
	if op.Body == 0 {
		return nil
	}
	return a.examples().value(op.Body, "", 0)
}

// requestBody reads and checks the JSON body of an operation that takes one. Fields the
// schema does not list are ignored and logged, or refused when strict; a create or a
// replace must carry the required fields, a patch only what changes.
func (a *Answerer) requestBody(w http.ResponseWriter, r *http.Request, op *catalog.Op) (any, error) {
	if op.Request == 0 {
		return nil, nil
	}
	v, err := httpapi.ReadJSON(w, r, a.opts.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	if v == nil {
		v = emptyOf(a.cat.Schemas[op.Request].Type)
	}
	if httpapi.Lenient(r) {
		v = a.examples().coerceNumbers(op.Request, v)
	}
	rev := &review{}
	a.examples().check(op.Request, v, "", op.Role != catalog.Update, rev)
	if rev.problem != "" {
		return nil, httpapi.Errorf(http.StatusBadRequest, "%s: %s", httpapi.KeapMalformed, rev.problem)
	}
	if len(rev.unknown) > 0 {
		if !httpapi.Lenient(r) {
			return nil, httpapi.Errorf(http.StatusBadRequest, "%s: unknown field %q; field names are case-sensitive, check the spelling",
				httpapi.KeapMalformed, rev.unknown[0])
		}
		httpapi.Ignored(r, rev.unknown)
	}
	return v, nil
}

func emptyOf(typ string) any {
	if typ == "array" {
		return []any{}
	}
	return map[string]any{}
}

// write sends the answer: no body for a status without content, the document's content
// type otherwise.
func (a *Answerer) write(w http.ResponseWriter, op *catalog.Op, status int, out any) {
	if out == nil {
		w.WriteHeader(status)
		return
	}
	if op.ContentType != "" && !strings.Contains(op.ContentType, "json") {
		w.Header().Set("Content-Type", op.ContentType)
		w.WriteHeader(status)
		text, _ := out.(string)
		w.Write([]byte(text))
		return
	}
	raw, err := json.Marshal(out)
	if err != nil {
		a.log.Error("encoding an answer", "path", op.Path, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	httpapi.WriteJSON(w, status, json.RawMessage(raw))
}
