package resources

import "github.com/keaphook/keaphook/fixtures"

// db is the state behind the Store's lock.
type db struct{}

func newDB() *db { return &db{} }

func (d *db) loadSeed(fixtures.SeedData) error { return nil }
