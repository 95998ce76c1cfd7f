package spec

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/keaphook/keaphook/mock/spec/internal/catalog"
)

//go:generate go run ./internal/catalogen catalog.json

// catalogJSON is generated from fixtures/schema's documents; never edit it by hand.
//
//go:embed catalog.json
var catalogJSON []byte

// loadCatalog decodes the catalog once per process: every mock shares it, read-only.
var loadCatalog = sync.OnceValues(func() (*catalog.Catalog, error) {
	var c catalog.Catalog
	if err := json.Unmarshal(catalogJSON, &c); err != nil {
		return nil, fmt.Errorf("spec: decoding the embedded catalog: %w", err)
	}
	if len(c.Schemas) == 0 || len(c.Ops) == 0 {
		return nil, fmt.Errorf("spec: the embedded catalog is empty")
	}
	return &c, nil
})
