package resources

import (
	"time"
)

// db is the state behind the Store's lock: one table per kind of object, plus what links
// them (which tags a contact has, since when) and the account's configuration (tag
// categories, pipeline stages).
type db struct {
	now func() time.Time

	contacts      *table
	tags          *table
	companies     *table
	notes         *table
	tasks         *table
	opportunities *table
	orders        *table
	payments      *table // InvoicePayment records, listed per order
	transactions  *table
	products      *table
	subscriptions *table
	appointments  *table
	users         *table
	stageMoves    *table // an opportunity's moves between stages, for v2's stageMoves
	leadSources   *table
	affiliates    *table

	// applied records when a tag was applied to a contact; a contact's tag_ids field is
	// derived from it when the contact is read.
	applied tagLinks
	// categories are the tag categories, by id (Keap's TagCategory).
	categories map[int64]object
	// stages is the sales pipeline, in stage order (Keap's SalesPipeline items), and
	// stageDetails what the seed's opportunities say about each stage (probability...).
	stages       []object
	stageDetails map[int64]object
	// itemID is the last order item id given out.
	itemID int64
	// account is the configuration behind the /model endpoints (account.go).
	account accountData
}

// First ids of each kind. They echo the ranges of the fixtures, so an id tells a reader
// what it names, and they stay clear of the seed's ids (which push them higher anyway).
func newDB(now func() time.Time) *db {
	return &db{
		now:           now,
		contacts:      newTable("contact", 2101),
		tags:          newTable("tag", 201),
		companies:     newTable("company", 3101),
		notes:         newTable("note", 7701),
		tasks:         newTable("task", 6601),
		opportunities: newTable("opportunity", 401),
		orders:        newTable("order", 8801),
		payments:      newTable("payment", 9901),
		transactions:  newTable("transaction", 12001),
		products:      newTable("product", 21),
		subscriptions: newTable("subscription", 4401),
		appointments:  newTable("appointment", 5301),
		users:         newTable("user", 11),
		stageMoves:    newTable("stage move", 16001),
		leadSources:   newTable("lead source", 31),
		affiliates:    newTable("affiliate", 51),
		applied:       newTagLinks(),
		categories:    map[int64]object{},
		stages:        defaultStages(),
		stageDetails:  map[int64]object{},
		itemID:        19100,
		account:       newAccountData(),
	}
}

// stamp is the current time as Keap writes it.
func (d *db) stamp() string { return stamp(d.now()) }
