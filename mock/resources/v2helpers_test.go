package resources

import (
	"encoding/json"
	"fmt"
	"github.com/keaphook/keaphook/fixtures/schema"
	"net/http"
	"net/http/httptest"
	"strings"
)

// checkV2Answer is checkAnswer for v2: an error is v2's Error with its code, status and a
// message; a 204 has no body; any other answer is a JSON object whose ids are strings.
func (h *harness) checkV2Answer(method, path string, rec *httptest.ResponseRecorder) {
	h.t.Helper()
	h.validateV2(method, path, rec)
	status, body := rec.Code, rec.Body.Bytes()
	if status >= 400 {
		var e v2Error
		if err := json.Unmarshal(body, &e); err != nil || e.Code != status || e.Message == "" || e.Status == "" {
			h.t.Errorf("%s %s: %d with a body that is not v2's Error: %s", method, path, status, body)
		}
		return
	}
	if status == http.StatusNoContent {
		if len(body) > 0 {
			h.t.Errorf("%s %s: 204 with a body: %s", method, path, body)
		}
		return
	}
	if len(body) == 0 && strings.Contains(path, ":") {
		return // a custom method Keap documents with no body (:deactivate)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		h.t.Errorf("%s %s: %d with a body that is not JSON: %s", method, path, status, body)
		return
	}
	if bad := numericIDs(v, ""); bad != "" {
		h.t.Errorf("%s %s: %s is a number; v2 ids are strings: %s", method, path, bad, body)
	}
}

// validateV2 checks any v2 answer against Keap's v2 document.
func (h *harness) validateV2(method, path string, rec *httptest.ResponseRecorder) {
	h.t.Helper()
	v, err := schema.LoadV2()
	if err != nil {
		h.t.Fatal(err)
	}
	p := "/crm/rest" + strings.SplitN(path, "?", 2)[0]
	if err := v.ValidateResponse(method, p, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()); err != nil {
		h.t.Errorf("%s %s: the answer does not match Keap's v2 document: %v\nbody: %s", method, path, err, rec.Body.Bytes())
	}
}

// numericIDs finds an "id" or "*_id" property holding a JSON number, and returns its path.
func numericIDs(v any, at string) string {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if _, isNum := x.(float64); isNum && (k == "id" || strings.HasSuffix(k, "_id")) {
				return at + "/" + k
			}
			if bad := numericIDs(x, at+"/"+k); bad != "" {
				return bad
			}
		}
	case []any:
		for i, x := range t {
			if bad := numericIDs(x, fmt.Sprintf("%s/%d", at, i)); bad != "" {
				return bad
			}
		}
	}
	return ""
}

// v2id is a v2 body's id as a number.
func v2id(o object) int64 {
	id, _ := asInt(json.Number(o.str("id")))
	return id
}

// newTag creates a tag through v1 and returns its id.
func (h *harness) newTag(name string) int64 {
	h.t.Helper()
	return h.must("POST", "/v1/tags", map[string]any{"name": name}, http.StatusOK).id()
}

// firstMatch routes like the mock's router does: the first route whose method and path
// template match, a template segment being a literal, {name} or {name}:suffix.
func firstMatch(prefix string, routes []Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.Split(strings.TrimPrefix(r.URL.Path, prefix), "/")
		for _, rt := range routes {
			if rt.Method == r.Method && matchTemplate(strings.Split(rt.Path, "/"), path, r) {
				rt.Handler(w, r)
				return
			}
		}
		http.NotFound(w, r)
	})
}

func matchTemplate(template, path []string, r *http.Request) bool {
	if len(template) != len(path) {
		return false
	}
	vars := map[string]string{}
	for i, seg := range template {
		name, isVar := strings.CutPrefix(seg, "{")
		if !isVar {
			if seg != path[i] {
				return false
			}
			continue
		}
		name, suffix, _ := strings.Cut(name, "}")
		value, ok := strings.CutSuffix(path[i], suffix)
		if !ok || value == "" {
			return false
		}
		vars[name] = value
	}
	for k, v := range vars {
		r.SetPathValue(k, v)
	}
	return true
}
