package spec

import (
	"bytes"
	"testing"

	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

// TestCatalogIsCurrent regenerates the catalog from fixtures/schema's documents and fails if
// the embedded one differs, so nobody edits it by hand or forgets `go generate ./mock/spec/`.
func TestCatalogIsCurrent(t *testing.T) {
	want, err := catalog.Generate()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(catalogJSON, want) {
		t.Fatalf("catalog.json is stale or hand-edited (%d bytes embedded, %d regenerated): run go generate ./mock/spec/",
			len(catalogJSON), len(want))
	}
}
