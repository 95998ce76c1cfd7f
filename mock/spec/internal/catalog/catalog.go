// Package catalog is the compact form of Keap's two OpenAPI documents that the mock's
// spec-driven answerer runs on: every operation with its success status, request and
// response schemas, and its role (create, get, list, update, replace, delete, or canned).
// Schemas keep only what shapes a value (type, format, enum, properties, required, items,
// bounds), each stored once and referred to by index, so the answerer never parses an
// OpenAPI document at run time. Build makes it from fixtures/schema's trimmed documents.
package catalog

// Catalog is what Build returns and the answerer embeds.
type Catalog struct {
	// Schemas are referred to by index; index 0 is the empty schema, which allows anything
	// and stands for "none" where a reference is optional.
	Schemas []Schema `json:"schemas"`
	Ops     []Op     `json:"ops"`
}

// Schema is the part of a JSON Schema that decides what a value may be.
type Schema struct {
	Type       string         `json:"t,omitempty"` // object, array, string, integer, number, boolean; "" is anything
	Format     string         `json:"f,omitempty"`
	Enum       []any          `json:"e,omitempty"`
	Props      map[string]int `json:"p,omitempty"`
	Required   []string       `json:"r,omitempty"`
	Items      int            `json:"i,omitempty"`
	Additional int            `json:"a,omitempty"` // values of a map (additionalProperties)
	Min        *float64       `json:"min,omitempty"`
	Max        *float64       `json:"max,omitempty"`
	MinLength  int            `json:"minl,omitempty"`
	MaxLength  int            `json:"maxl,omitempty"`
	Unique     bool           `json:"u,omitempty"`
	Title      string         `json:"n,omitempty"` // the schema's name in Keap's document, for messages
}

// Roles of an operation. An operation on a path whose last segment is a variable is about
// one object of a collection; the path without that segment is the collection.
const (
	Canned  = ""        // answered from its schema alone
	Create  = "create"  // POST on a collection
	List    = "list"    // GET on a collection
	Get     = "get"     // GET of one object
	Update  = "update"  // PATCH of one object
	Replace = "replace" // PUT of one object
	Delete  = "delete"  // DELETE of one object
)

// Op is one operation of one document.
type Op struct {
	Method string `json:"m"`
	// Path is as the mock serves it, variables as the document names them:
	// /crm/rest/v1/contacts/{id}, /crm/rest/v2/subscriptions/{subscription_id}:deactivate.
	Path        string `json:"p"`
	Version     int    `json:"v"`           // 1 or 2
	Status      int    `json:"s"`           // the lowest success status the document lists
	Body        int    `json:"b,omitempty"` // schema of the success body; 0 for none
	ContentType string `json:"c,omitempty"` // of the success body, when not application/json
	Request     int    `json:"q,omitempty"` // schema of the JSON request body; 0 for none
	Role        string `json:"k,omitempty"`
	// Item is, for a collection's create and list, the schema of one object as its GET
	// returns it (0 when the document has no GET of one).
	Item int `json:"o,omitempty"`
	// IDField is the property of an object that holds its id ("id" mostly).
	IDField string `json:"id,omitempty"`
}
