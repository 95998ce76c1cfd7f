package resources

import (
	"fmt"
	"time"

	"github.com/keaphook/keaphook/fixtures"
)

// loadSeed adds the seed account. It checks everything before changing anything, so a bad
// seed or an id already taken leaves the store as it was.
func (d *db) loadSeed(s fixtures.SeedData) error {
	sets := []struct {
		t       *table
		records []fixtures.Record
	}{
		{d.users, s.Users}, {d.tags, s.Tags}, {d.companies, s.Companies},
		{d.contacts, s.Contacts}, {d.products, s.Products}, {d.opportunities, s.Opportunities},
		{d.affiliates, s.Affiliates}, {d.leadSources, s.LeadSources},
	}
	decoded := make([][]object, len(sets))
	for i, set := range sets {
		objs, err := decodeRecords(set.t, set.records)
		if err != nil {
			return err
		}
		decoded[i] = objs
	}
	var stages []object
	if len(s.Pipeline) > 0 {
		var err error
		if stages, err = parseStages(s.Pipeline); err != nil {
			return fmt.Errorf("resources: seed pipeline: %w", err)
		}
	}
	for i, set := range sets {
		for _, o := range decoded[i] {
			set.t.put(o.id(), o)
		}
	}
	if stages != nil {
		d.stages = stages
	}
	d.learnFromSeed()
	return nil
}

func decodeRecords(t *table, records []fixtures.Record) ([]object, error) {
	out := make([]object, 0, len(records))
	for _, rec := range records {
		o, err := decodeObject(rec.Body)
		if err != nil {
			return nil, fmt.Errorf("resources: seed %s %d: %w", t.noun, rec.ID, err)
		}
		if o.id() != rec.ID || rec.ID <= 0 || rec.ID >= idCeiling {
			return nil, fmt.Errorf("resources: seed %s %d: the body's id is %v", t.noun, rec.ID, o["id"])
		}
		if _, taken := t.get(rec.ID); taken {
			return nil, fmt.Errorf("resources: seed %s %d: the store already holds a %s with that id", t.noun, rec.ID, t.noun)
		}
		out = append(out, o)
	}
	return out, nil
}

// learnFromSeed moves what seeded objects say about other things where the store keeps it:
// a contact's tag_ids become tag applications (applied when the contact was created), tags
// give their categories, opportunities the details of their stages.
func (d *db) learnFromSeed() {
	for _, c := range d.contacts.all() {
		at, err := time.Parse(time.RFC3339Nano, c.str("date_created"))
		if err != nil {
			at = d.now()
		}
		for _, v := range asList(c["tag_ids"]) {
			if tag, ok := asInt(v); ok {
				d.applied.add(c.id(), tag, at)
			}
		}
		delete(c, "tag_ids")
	}
	for _, t := range d.tags.all() {
		if cat := t.sub("category"); cat != nil {
			d.categories[cat.id()] = cat.clone()
		}
	}
	for _, o := range d.opportunities.all() {
		st := o.sub("stage")
		if details := st.sub("details"); details != nil {
			d.stageDetails[st.id()] = details.clone()
		}
	}
}
