package resources

import (
	"net/http"
	"strings"
)

// Lead sources exist only in v2 (v1 has no lead source resource). Creating, updating and
// deleting one emit leadsource.add, .edit and .delete; their deliveries carry no apiUrl,
// since v1 has no URL for a lead source (fixtures.Lookup).

// leadSourceBody2 is v2's CreateLeadSourceRequest (create and update). It is its own
// input: no v1 shape stands between it and the store.
type leadSourceBody2 struct {
	Description          *string `json:"description,omitempty"`
	EndTime              *string `json:"end_time,omitempty"`
	LeadSourceCategoryID *string `json:"lead_source_category_id,omitempty"`
	Medium               *string `json:"medium,omitempty"`
	Message              *string `json:"message,omitempty"`
	Name                 *string `json:"name,omitempty"`
	StartTime            *string `json:"start_time,omitempty"`
	Status               *string `json:"status,omitempty"`
	Vendor               *string `json:"vendor,omitempty"`
}

func (b *leadSourceBody2) toV1(*check) input { return b }

func (b *leadSourceBody2) check(c *check, m mode) {
	if m.full() || b.Name != nil {
		c.requiredString("name", b.Name)
	}
	c.enum("status", b.Status, "ACTIVE", "INACTIVE")
	c.dateTime("start_time", b.StartTime)
	c.dateTime("end_time", b.EndTime)
	c.idField("lead_source_category_id", b.LeadSourceCategoryID)
}

func (s *Store) leadSourceKind() *kind {
	return &kind{
		event: "leadsource", createdStatus: http.StatusCreated,
		table:    func(d *db) *table { return d.leadSources },
		newInput: func() input { return &leadSourceBody2{} },
		apply:    applyLeadSource,
	}
}

func applyLeadSource(d *db, old object, raw input, _ mode) (object, error) {
	b := raw.(*leadSourceBody2)
	now := d.stamp()
	o := object{"status": "ACTIVE", "create_time": now}
	if old != nil {
		o = old
	}
	f := fieldsOf(b)
	for _, k := range []string{"start_time", "end_time"} {
		if v := f.str(k); v != "" {
			f[k] = stampOf(v)
		}
	}
	if v := f.str("name"); v != "" {
		f["name"] = strings.TrimSpace(v)
	}
	o.merge(f)
	o["update_time"] = now
	return o, nil
}

func (s *Store) leadSourceRoutes2() []Route {
	k := &v2Kind{kind: s.leadSourceKind(), idVar2: "lead_source_id", render2: func(_ *db, o object) object { return leadSource2(o) },
		newBody: func() v2Body { return &leadSourceBody2{} },
		masks:   []string{"name", "description", "vendor", "medium", "message", "start_time", "end_time", "status", "lead_source_category_id"}}
	return []Route{
		{http.MethodGet, "/leadSources", s.v2List(leadSourceListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.leadSources.all(), leadSource2), nil
		})},
		{http.MethodPost, "/leadSources", s.v2Create(k)},
		{http.MethodGet, "/leadSources/{lead_source_id}", s.v2Get2(k, nil)},
		{http.MethodPatch, "/leadSources/{lead_source_id}", s.v2Update(k)},
		{http.MethodDelete, "/leadSources/{lead_source_id}", s.v2Remove(k)},
	}
}

// leadSource2 is a stored lead source as v2's LeadSource.
func leadSource2(o object) object {
	out := object{"id": idString(o["id"])}
	for _, k := range []string{"name", "description", "vendor", "medium", "message", "status", "lead_source_category_id",
		"start_time", "end_time", "create_time", "update_time"} {
		copyAs(o, out, k, k)
	}
	return out
}

var leadSourceListing2 = &v2Listing{
	key: "lead_sources",
	filters: map[string]v2Filter{
		"id": {fNumber, idValues}, "name": {kind: fText}, "status": {fSet, nil}, "lead_source_category_id": {fSet, nil},
		"vendor": {kind: fText}, "medium": {kind: fText}, "message": {kind: fText}, "description": {kind: fText},
		"start_time": {fSince, nil}, "end_time": {fUntil, nil},
	},
	orders: orderBy("name", "status", "vendor", "medium", "start_time", "end_time", "create_time", "update_time"),
}
