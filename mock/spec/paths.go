package spec

import "strings"

// lastSegment splits a path at its last slash.
func lastSegment(path string) (parent, last string) {
	i := strings.LastIndexByte(path, '/')
	return path[:i], path[i+1:]
}
