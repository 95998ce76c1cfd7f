package spec

import "strings"

// weight ranks a path template by how specific it is: 2 per literal segment, 1 per
// variable followed by a literal ({id}:verb), 0 per bare variable.
func weight(template string) int {
	w := 0
	for _, seg := range strings.Split(strings.Trim(template, "/"), "/") {
		_, suffix, ok := variable(seg)
		switch {
		case !ok:
			w += 2
		case suffix != "":
			w++
		}
	}
	return w
}

// variable splits a template segment "{name}" or "{name}:verb"; ok is false for a literal.
func variable(segment string) (name, suffix string, ok bool) {
	end := strings.IndexByte(segment, '}')
	if len(segment) < 3 || segment[0] != '{' || end < 2 {
		return "", "", false
	}
	return segment[1:end], segment[end+1:], true
}

// lastSegment splits a path at its last slash.
func lastSegment(path string) (parent, last string) {
	i := strings.LastIndexByte(path, '/')
	return path[:i], path[i+1:]
}
