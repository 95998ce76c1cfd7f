package catalog

import (
	"net/http"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/fixtures/schema/pathtemplate"
)

// assignRoles decides which operations are about objects of a collection. A path whose
// last segment is a bare variable names one object, and the path without it names the
// collection: GET, PATCH, PUT and DELETE there get, update, replace and delete it, and a
// POST and GET on the collection create and list. A collection whose objects have no id
// field (a relation such as a sequence's contacts) is not one: its operations are canned,
// like everything else.
func assignRoles(ops []Op, schemas []Schema) {
	items := map[string][]*Op{} // collection path → the operations on one of its objects
	for i := range ops {
		if c, ok := collectionOf(ops[i].Path); ok {
			items[c] = append(items[c], &ops[i])
		}
	}
	for i := range ops {
		op := &ops[i]
		if c, ok := collectionOf(op.Path); ok {
			op.Role = itemRole[op.Method]
			op.Item, op.IDField = itemSchema(items[c], c, lastVariable(op.Path), schemas)
			continue
		}
		if siblings, ok := items[op.Path]; ok {
			op.Role = collectionRole[op.Method]
			op.Item, op.IDField = itemSchema(siblings, op.Path, lastVariable(siblings[0].Path), schemas)
		} else if create := listAndCreate(ops, op.Path, schemas); create != nil {
			// A collection with no path for one object (a contact's credit cards): what a
			// POST makes, the GET lists.
			op.Role = collectionRole[op.Method]
			op.Item, op.IDField = create.Body, idField(schemas, create.Body, op.Path, "")
		}
		if op.IDField == "" {
			op.Role, op.Item = Canned, 0
		}
	}
}

// listAndCreate returns the POST of path when path also has a GET whose answer holds a
// list, and the POST answers an object with an id.
func listAndCreate(ops []Op, path string, schemas []Schema) *Op {
	var get, post *Op
	for i := range ops {
		if ops[i].Path != path {
			continue
		}
		switch ops[i].Method {
		case http.MethodGet:
			get = &ops[i]
		case http.MethodPost:
			post = &ops[i]
		}
	}
	if get == nil || post == nil || get.Body == 0 || post.Body == 0 || !holdsList(schemas, get.Body) {
		return nil
	}
	if _, ok := schemas[post.Body].Props["id"]; !ok {
		return nil
	}
	return post
}

func holdsList(schemas []Schema, body int) bool {
	s := schemas[body]
	if s.Type == "array" {
		return true
	}
	for _, child := range s.Props {
		if schemas[child].Type == "array" {
			return true
		}
	}
	return false
}

var itemRole = map[string]string{
	http.MethodGet: Get, http.MethodPatch: Update, http.MethodPut: Replace, http.MethodDelete: Delete,
}

var collectionRole = map[string]string{http.MethodGet: List, http.MethodPost: Create}

// collectionOf returns path without its last segment when that segment is a bare variable.
func collectionOf(path string) (string, bool) {
	i := strings.LastIndexByte(path, '/')
	if last := pathtemplate.ParseSegment(path[i+1:]); !last.IsVar() || last.Suffix != "" {
		return "", false
	}
	return path[:i], true
}

// lastVariable is the name of the variable a path ends with.
func lastVariable(path string) string {
	return pathtemplate.ParseSegment(path[strings.LastIndexByte(path, '/')+1:]).Name
}

// itemSchema is what the GET of one object answers, and the property holding its id: the
// one named like the path variable, else "id".
func itemSchema(ops []*Op, collection, variable string, schemas []Schema) (int, string) {
	i := slices.IndexFunc(ops, func(o *Op) bool { return o.Method == http.MethodGet && o.Body != 0 })
	if i < 0 {
		// No GET of one object: what an update answers is the best picture of it.
		i = slices.IndexFunc(ops, func(o *Op) bool { return o.Body != 0 && o.Method != http.MethodDelete })
	}
	if i < 0 {
		return 0, ""
	}
	item := ops[i].Body
	return item, idField(schemas, item, collection, variable)
}

// idField finds the property that holds an object's id: named like the path variable, else
// "id", else the "id" of an object property named after the collection
// ("file_descriptor.id" in v1's files, but not a task's "contact.id").
func idField(schemas []Schema, item int, collection, variable string) string {
	props := schemas[item].Props
	for _, name := range []string{variable, "id"} {
		if _, ok := props[name]; ok {
			return name
		}
	}
	noun := strings.TrimSuffix(collection[strings.LastIndexByte(collection, '/')+1:], "s")
	for _, name := range sortedKeys(props) {
		if _, ok := schemas[props[name]].Props["id"]; ok && strings.HasPrefix(name, noun) {
			return name + ".id"
		}
	}
	return ""
}
