package resources

import (
	"net/http"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// Affiliates: v1's list, create and get, and v2's list, create, get, update and delete, over
// one table. Keap has no hook event for affiliates, so their writes emit nothing. The
// password an affiliate is created with is kept and never shown.

// affiliateInput is v1's CreateAffiliate body.
type affiliateInput struct {
	Code          *string `json:"code,omitempty"`
	ContactID     *int64  `json:"contact_id,omitempty"`
	Name          *string `json:"name,omitempty"`
	NotifyOnLead  *bool   `json:"notify_on_lead,omitempty"`
	NotifyOnSale  *bool   `json:"notify_on_sale,omitempty"`
	ParentID      *int64  `json:"parent_id,omitempty"`
	Password      *string `json:"password,omitempty"`
	Status        *string `json:"status,omitempty"`
	TrackLeadsFor *int32  `json:"track_leads_for,omitempty"`
}

func (in *affiliateInput) check(c *check, m mode) {
	if m.full() {
		c.requiredString("code", in.Code)
		c.required("contact_id", in.ContactID != nil)
		c.requiredString("password", in.Password) // v1 requires one; v2 does not (checkAffiliate2)
	}
	c.positive("contact_id", in.ContactID)
	c.positive("parent_id", in.ParentID)
	c.enum("status", in.Status, "active", "inactive")
	if in.TrackLeadsFor != nil && *in.TrackLeadsFor < 0 {
		c.bad("track_leads_for must not be negative, got %d", *in.TrackLeadsFor)
	}
}

func (s *Store) affiliateKind() *kind {
	return &kind{
		idVar: "id", createdStatus: http.StatusCreated, // Keap has no affiliate events
		table:    func(d *db) *table { return d.affiliates },
		newInput: func() input { return &affiliateInput{} },
		apply:    applyAffiliate,
		render:   func(_ *db, o object) object { return affiliate1(o) },
	}
}

// applyAffiliate stores an affiliate; its contact and parent must exist, its code be unique.
func applyAffiliate(d *db, old object, raw input, _ mode) (object, error) {
	in := raw.(*affiliateInput)
	if err := firstErr(ref("contact_id", d.contacts, in.ContactID), ref("parent_id", d.affiliates, in.ParentID)); err != nil {
		return nil, err
	}
	if in.Code != nil {
		for _, a := range d.affiliates.all() {
			if strings.EqualFold(a.str("code"), *in.Code) && (old == nil || a.id() != old.id()) {
				return nil, httpapi.Errorf(http.StatusBadRequest, "code %q is affiliate %d's; an affiliate code is unique", *in.Code, a.id())
			}
		}
	}
	o := object{"status": "active", "notify_on_lead": false, "notify_on_sale": false, "track_leads_for": num(0), "date_created": d.stamp()}
	if old != nil {
		o = old
	}
	o.merge(fieldsOf(in))
	return o, nil
}

// affiliate1 is v1's Affiliate: everything but the password and the creation date.
func affiliate1(o object) object {
	return o.only("id", "code", "contact_id", "name", "notify_on_lead", "notify_on_sale", "parent_id", "status", "track_leads_for")
}

func (s *Store) affiliateRoutes() []Route {
	k := s.affiliateKind()
	return []Route{
		{http.MethodGet, "/affiliates", s.listAffiliates},
		{http.MethodPost, "/affiliates", s.create(k)},
		{http.MethodGet, "/affiliates/{id}", s.get(k)},
	}
}

// listAffiliates is v1's GET /affiliates: filters code, contact_id, name, parent_id, status.
func (s *Store) listAffiliates(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	code, name, status := q.str("code"), q.str("name"), q.str("status")
	contact, byContact := q.int("contact_id")
	parent, byParent := q.int("parent_id")
	s.listed(w, r, q, "affiliates", func(d *db) ([]object, error) {
		var items []object
		for _, a := range d.affiliates.all() {
			if (code == "" || strings.EqualFold(a.str("code"), code)) && (name == "" || strings.EqualFold(a.str("name"), name)) &&
				(status == "" || strings.EqualFold(a.str("status"), status)) &&
				intFilter(a, "contact_id", contact, byContact) && intFilter(a, "parent_id", parent, byParent) {
				items = append(items, affiliate1(a))
			}
		}
		return items, nil
	})
}

// affiliateBody2 is v2's CreateAffiliateRequest and UpdateAffiliateRequest; custom_fields
// is accepted, not kept.
type affiliateBody2 struct {
	Code              *string         `json:"code,omitempty"`
	ContactID         *string         `json:"contact_id,omitempty"`
	CustomFields      *[]customField2 `json:"custom_fields,omitempty"`
	Name              *string         `json:"name,omitempty"`
	NotifyOnLead      *bool           `json:"notify_on_lead,omitempty"`
	NotifyOnSale      *bool           `json:"notify_on_sale,omitempty"`
	ParentAffiliateID *string         `json:"parent_affiliate_id,omitempty"`
	Password          *string         `json:"password,omitempty"`
	Status            *string         `json:"status,omitempty"`
	TrackLeadsDays    *int32          `json:"track_leads_days,omitempty"`
}

func (b *affiliateBody2) toV1(c *check) input {
	in := &affiliateInput{Code: b.Code, Name: b.Name, NotifyOnLead: b.NotifyOnLead, NotifyOnSale: b.NotifyOnSale,
		Password: b.Password, TrackLeadsFor: b.TrackLeadsDays,
		ContactID: c.idField("contact_id", b.ContactID), ParentID: c.idField("parent_affiliate_id", b.ParentAffiliateID)}
	if b.Status != nil {
		c.enum("status", b.Status, "ACTIVE", "INACTIVE")
		v := strings.ToLower(*b.Status)
		in.Status = &v
	}
	return in
}

// checkAffiliate2 is v2's rule: code and contact_id are required, a password is not.
func checkAffiliate2(raw input, c *check, m mode) {
	in := raw.(*affiliateInput)
	if m == creating {
		c.requiredString("code", in.Code)
		c.required("contact_id", in.ContactID != nil)
	}
	in.check(c, patching)
}

func (s *Store) affiliateRoutes2() []Route {
	k := &v2Kind{kind: s.affiliateKind(), idVar2: "id", render2: func(_ *db, o object) object { return affiliate2(o) },
		newBody: func() v2Body { return &affiliateBody2{} }, check2: checkAffiliate2,
		masks: []string{"contact_id", "code", "name", "status", "parent_affiliate_id", "notify_on_sale", "notify_on_lead",
			"track_leads_days", "password", "custom_fields"}}
	return []Route{
		{http.MethodGet, "/affiliates", s.v2List(affiliateListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.affiliates.all(), affiliate2), nil
		})},
		{http.MethodPost, "/affiliates", s.v2Create(k)},
		{http.MethodGet, "/affiliates/{id}", s.v2Get2(k, nil)},
		{http.MethodPatch, "/affiliates/{id}", s.v2Update(k)},
		{http.MethodDelete, "/affiliates/{id}", s.v2Remove(k)},
	}
}

// affiliate2 is a stored affiliate as v2's RestAffiliate.
func affiliate2(o object) object {
	out := object{"id": idString(o["id"]), "code": o.str("code"), "status": strings.ToUpper(o.str("status")),
		"notify_on_lead": o.boolean("notify_on_lead"), "notify_on_sale": o.boolean("notify_on_sale"), "custom_fields": []any{}}
	setIf(out, "name", o.str("name"))
	setID(out, "contact_id", o["contact_id"])
	setID(out, "parent_affiliate_id", o["parent_id"])
	copyAs(o, out, "track_leads_for", "track_leads_days")
	copyAs(o, out, "date_created", "date_created")
	return out
}

var affiliateListing2 = &v2Listing{
	key: "affiliates",
	filters: map[string]v2Filter{
		"id": {fNumber, idValues}, "name": {kind: fText}, "contact_id": {fSet, nil}, "status": {fSet, nil}, "code": {fSet, nil},
	},
	orders: orderBy("id", "date_created", "name", "status", "code"),
}
