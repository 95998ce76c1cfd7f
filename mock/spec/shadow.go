package spec

import "strings"

// Shadowing answers a router's question about one of its own routes, template (gorilla/mux
// syntax, full path): which requests it must leave to a more specific documented operation.
// A router tries routes in order, so /crm/rest/v1/tasks/{taskId} registered first would
// take GET /crm/rest/v1/tasks/search with taskId "search". The returned func reports
// whether a path belongs to such an operation; it is nil when none could (most routes), so
// the router adds no work to them.
func (a *Answerer) Shadowing(template string) func(path string) bool {
	own := strings.Split(strings.Trim(template, "/"), "/")
	var more [][]string
	seen := map[string]bool{}
	for _, op := range a.cat.Ops {
		if seen[op.Path] {
			continue
		}
		seen[op.Path] = true
		segs := strings.Split(strings.Trim(op.Path, "/"), "/")
		if moreSpecific(segs, own) {
			more = append(more, segs)
		}
	}
	if len(more) == 0 {
		return nil
	}
	return func(path string) bool {
		got := strings.Split(strings.Trim(path, "/"), "/")
		for _, segs := range more {
			if matches(segs, got) {
				return true
			}
		}
		return false
	}
}

// moreSpecific reports whether the documented template doc has own's literals and a
// literal of its own where own has a bare variable.
func moreSpecific(doc, own []string) bool {
	if len(doc) != len(own) {
		return false
	}
	extra := false
	for i := range doc {
		_, ownSuffix, ownVar := variable(own[i])
		_, docSuffix, docVar := variable(doc[i])
		switch {
		case !ownVar && doc[i] != own[i]:
			return false
		case ownVar && ownSuffix == "" && (!docVar || docSuffix != ""):
			extra = true
		case ownVar && ownSuffix != "" && (!docVar || docSuffix != ownSuffix):
			return false
		}
	}
	return extra
}

// matches reports whether path segments got fit the template segments.
func matches(template, got []string) bool {
	if len(template) != len(got) {
		return false
	}
	for i, want := range template {
		_, suffix, isVar := variable(want)
		switch {
		case !isVar && want != got[i]:
			return false
		case isVar && (len(got[i]) <= len(suffix) || !strings.HasSuffix(got[i], suffix)):
			return false
		}
	}
	return true
}
