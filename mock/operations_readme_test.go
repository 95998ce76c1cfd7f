package mock_test

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keaphook/keaphook/mock/resources"
	"github.com/keaphook/keaphook/mock/spec"
)

const (
	readmePath  = "../README.md"
	opsBegin    = "<!-- operations:begin -->\n"
	opsEnd      = "<!-- operations:end -->\n"
	updateHowTo = "UPDATE_README=1 go test -run TestREADMEListsEveryOperation ./mock/"
)

// TestREADMEListsEveryOperation keeps the README's list of how each documented operation is
// answered (by Keap's objects, statefully by the spec answerer, or canned) equal to what the
// code does. UPDATE_README=1 rewrites the list.
func TestREADMEListsEveryOperation(t *testing.T) {
	want := operationsMarkdown(t)
	raw, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start, end := strings.Index(readme, opsBegin), strings.Index(readme, opsEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no %q ... %q section", opsBegin, opsEnd)
	}
	got := readme[start+len(opsBegin) : end]
	if got == want {
		return
	}
	if os.Getenv("UPDATE_README") == "1" {
		updated := readme[:start+len(opsBegin)] + want + readme[end:]
		if err := os.WriteFile(readmePath, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's list of operations is out of date: run %s", updateHowTo)
}

var variableName = regexp.MustCompile(`\{[^}]*\}`)

func shape(method, path string) string {
	return method + " " + variableName.ReplaceAllString(path, "{}")
}

// operationsMarkdown renders the list: which operations Keap's objects (mock/resources and
// the hooks API) serve, which the spec answerer keeps state for, which it answers canned.
func operationsMarkdown(t *testing.T) string {
	t.Helper()
	ops, err := spec.Operations()
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	store := resources.New(resources.Config{})
	for _, rt := range store.Routes() {
		own[shape(rt.Method, "/crm/rest/v1"+rt.Path)] = true
	}
	for _, rt := range store.RoutesV2() {
		own[shape(rt.Method, "/crm/rest/v2"+rt.Path)] = true
	}
	for _, h := range []string{"GET /hooks", "POST /hooks", "GET /hooks/event_keys", "GET /hooks/{}", "PUT /hooks/{}",
		"DELETE /hooks/{}", "POST /hooks/{}/verify", "POST /hooks/{}/delayedVerify"} {
		m, p, _ := strings.Cut(h, " ")
		own[shape(m, "/crm/rest/v1"+p)] = true
	}
	var objects, canned []string
	stateful := map[string][]string{} // collection → its operations
	for _, op := range ops {
		short := strings.TrimPrefix(strings.TrimPrefix(op.Path, "/crm/rest"), "/crm")
		switch {
		case own[shape(op.Method, op.Path)]:
			objects = append(objects, "`"+op.Method+" "+short+"`")
		case op.Role != "":
			coll := short
			if op.Role != "create" && op.Role != "list" {
				coll = short[:strings.LastIndexByte(short, '/')]
			}
			stateful[coll] = append(stateful[coll], op.Role)
		default:
			canned = append(canned, "`"+op.Method+" "+short+"`")
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "<details><summary>How each of the %d operations is answered (generated: <code>%s</code>)</summary>\n\n", len(ops), updateHowTo)
	fmt.Fprintf(&b, "**Keap's objects** (`mock/resources` and the hooks API, one store behind both versions; %d): %s.\n\n", len(objects), strings.Join(objects, ", "))
	fmt.Fprintf(&b, "**Stateful** (%d collections; an object made by `create` comes back from `get`, `list`, `update`, `replace` and `delete`):\n\n", len(stateful))
	for _, coll := range slices.Sorted(maps.Keys(stateful)) {
		roles := slices.Compact(slices.Sorted(slices.Values(stateful[coll])))
		fmt.Fprintf(&b, "- `%s`: %s\n", coll, strings.Join(roles, ", "))
	}
	fmt.Fprintf(&b, "\n**Canned** (%d; the schema's example, dates on the mock's clock): %s.\n\n</details>\n", len(canned), strings.Join(canned, ", "))
	return b.String()
}
