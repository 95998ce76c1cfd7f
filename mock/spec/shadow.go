package spec

import (
	"github.com/keaphook/keaphook/fixtures/schema/pathtemplate"
)

// Shadowing answers a router's question about one of its own routes, template (gorilla/mux
// syntax, full path): which requests it must leave to a more specific documented operation.
// A router tries routes in order, so /crm/rest/v1/tasks/{taskId} registered first would
// take GET /crm/rest/v1/tasks/search with taskId "search". The returned func reports
// whether a path belongs to such an operation; it is nil when none could (most routes), so
// the router adds no work to them.
func (a *Answerer) Shadowing(template string) func(path string) bool {
	own := pathtemplate.Parse(template)
	var more []pathtemplate.Template
	for _, doc := range a.paths {
		if moreSpecific(doc, own) {
			more = append(more, doc)
		}
	}
	if len(more) == 0 {
		return nil
	}
	return func(path string) bool {
		got := pathtemplate.Split(path)
		for _, doc := range more {
			if doc.Match(got, nil) {
				return true
			}
		}
		return false
	}
}

// moreSpecific reports whether the documented template doc has own's literals and a
// literal of its own where own has a bare variable.
func moreSpecific(doc, own pathtemplate.Template) bool {
	if len(doc) != len(own) {
		return false
	}
	extra := false
	for i := range doc {
		switch {
		case !own[i].IsVar() && doc[i] != own[i]:
			return false
		case own[i].IsVar() && own[i].Suffix == "" && (!doc[i].IsVar() || doc[i].Suffix != ""):
			extra = true
		case own[i].IsVar() && own[i].Suffix != "" && (!doc[i].IsVar() || doc[i].Suffix != own[i].Suffix):
			return false
		}
	}
	return extra
}
