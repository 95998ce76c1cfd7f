// Command catalogen writes mock/spec/catalog.json from fixtures/schema's trimmed copies of
// Keap's documents. It runs through `go generate ./mock/spec/`; see package catalog.
package main

import (
	"fmt"
	"os"

	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: catalogen OUT.json")
		os.Exit(2)
	}
	out, err := catalog.Generate()
	if err == nil {
		err = os.WriteFile(os.Args[1], out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "catalogen:", err)
		os.Exit(1)
	}
}
