package resources

import (
	"net/http"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

func (s *Store) contactRoutes2() []Route {
	return []Route{
		{http.MethodGet, "/contacts", s.v2List(contactListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.contacts.all(), d.contact2), nil
		})},
		{http.MethodPost, "/contacts", s.createContact2},
		{http.MethodGet, "/contacts/{contact_id}", s.v2Get("contact_id", func(d *db) *table { return d.contacts }, (*db).contact2, contactFields2)},
		{http.MethodPatch, "/contacts/{contact_id}", s.updateContact2},
		{http.MethodDelete, "/contacts/{contact_id}", s.v2Delete("contact_id", func(d *db) *table { return d.contacts }, func(d *db, id int64) ([]event, error) {
			return d.deleteContact(id), nil
		})},
	}
}

func mapAll(list []object, f func(object) object) []object {
	out := make([]object, len(list))
	for i, o := range list {
		out[i] = f(o)
	}
	return out
}

// contactFields2 are the properties a contact's `fields` mask may name, as Keap lists them.
var contactFields2 = strings.Split("addresses,anniversary_date,birth_date,company,contact_type,create_time,"+
	"custom_fields,email_addresses,family_name,fax_numbers,given_name,id,job_title,leadsource_id,"+
	"links,middle_name,notes,origin,owner_id,phone_numbers,preferred_locale,preferred_name,prefix,"+
	"referral_code,score_value,social_accounts,source_type,spouse_name,suffix,tag_ids,time_zone,"+
	"update_time,utm_parameters,website,account_id,assistant_name,assistant_phone,"+
	"billing_information,created_by,groups,last_updated_by", ",")

var contactListing2 = &v2Listing{
	key:    "contacts",
	fields: contactFields2,
	filters: map[string]v2Filter{
		"email":             {fText, func(o object) []string { return subValues(o, "email_addresses", "email", "") }},
		"given_name":        {kind: fText},
		"family_name":       {kind: fText},
		"middle_name":       {kind: fText},
		"website":           {kind: fText},
		"company_id":        {fText, func(o object) []string { return valuesOf(o.sub("company")["id"]) }},
		"contact_ids":       {fSet, idValues},
		"ids":               {fSet, idValues},
		"contact_id":        {fNumber, idValues},
		"start_update_time": {fSince, func(o object) []string { return valuesOf(o["update_time"]) }},
		"end_update_time":   {fUntil, func(o object) []string { return valuesOf(o["update_time"]) }},
		"phone_number":      {fText, func(o object) []string { return subValues(o, "phone_numbers", "number", "") }},
		"phone_fields":      {fSet, func(o object) []string { return subValues(o, "phone_numbers", "field", "") }},
		"city":              {fText, func(o object) []string { return firstAddress(o, "locality") }},
		"state":             {fText, func(o object) []string { return firstAddress(o, "region") }},
	},
	orders: map[string]func(o object) string{
		"id": nil, "create_time": nil, "update_time": nil,
		"email": func(o object) string { return firstOf(subValues(o, "email_addresses", "email", "")) },
	},
}

func init() {
	for _, kind := range []string{"billing", "shipping", "other"} {
		for _, part := range []string{"line1", "locality", "region", "postal_code", "country_code"} {
			field := strings.ToUpper(kind)
			contactListing2.filters[kind+"_address_"+part] = v2Filter{fText, func(o object) []string {
				return subValues(o, "addresses", part, field)
			}}
		}
	}
}

func firstOf(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

func idValues(o object) []string { return valuesOf(o["id"]) }

// subValues collects key from each item of the array property list, only from items whose
// field is onlyField when that is not "".
func subValues(o object, list, key, onlyField string) []string {
	var out []string
	for _, it := range o.list(list) {
		if onlyField == "" || it.str("field") == onlyField {
			out = append(out, valuesOf(it[key])...)
		}
	}
	return out
}

// firstAddress is a property of the contact's primary address: billing, else the first.
func firstAddress(o object, key string) []string {
	if v := subValues(o, "addresses", key, "BILLING"); len(v) > 0 {
		return v
	}
	for _, a := range o.list("addresses") {
		return valuesOf(a[key])
	}
	return nil
}

// createContact2 is POST /contacts. With duplicate_option it updates the contact that
// matches (200), else it creates one (201), as Keap documents.
func (s *Store) createContact2(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	dup := q.Get("duplicate_option")
	if dup != "" && !slices.Contains([]string{"Email", "EmailAndName", "EmailAndNameAndCompany"}, dup) {
		s.fail(w, r, httpapi.Errorf(http.StatusBadRequest, "duplicate_option must be Email, EmailAndName or EmailAndNameAndCompany, got %q", clip(dup)))
		return
	}
	mask, err := parseMask("fields", q["fields"], contactFields2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.readContact2(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		c, created, events, err := d.upsertContact(d.duplicateOf2(in, dup), in, contactOnCreate2)
		if err != nil {
			return reply{}, err
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		return reply{status, masked(d.contact2(c), mask), events}, nil
	})
}

// readContact2 decodes a v2 contact body into v1's input and checks it.
func (s *Store) readContact2(w http.ResponseWriter, r *http.Request) (*contactInput, error) {
	var body contactBody2
	if err := s.decode(w, r, &body); err != nil {
		return nil, err
	}
	var c check
	in := body.v1(&c)
	if err := c.err(); err != nil {
		return nil, err
	}
	return in, in.validate(false)
}

// contactOnCreate2 is v2's rule for a new contact: an email address, a phone number or an
// address (v1 does not take an address alone).
func contactOnCreate2(in *contactInput) error {
	if in.EmailAddresses != nil && len(*in.EmailAddresses) > 0 || in.PhoneNumbers != nil && len(*in.PhoneNumbers) > 0 ||
		in.Addresses != nil && len(*in.Addresses) > 0 {
		return nil
	}
	return httpapi.Errorf(http.StatusBadRequest, "a new contact needs at least one item in email_addresses, phone_numbers or addresses")
}

// duplicateOf2 finds the contact a POST with duplicate_option updates; none without one.
func (d *db) duplicateOf2(in *contactInput, option string) object {
	if option == "" {
		return nil
	}
	return d.duplicateBy(in, option)
}

// updateContact2 is PATCH /contacts/{contact_id}. Unlike v1, v2 replaces the arrays it is
// sent (Keap: "any item not listed here will be removed").
func (s *Store) updateContact2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "contact_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	mask2, err := parseMask("update_mask", q["update_mask"], contactMask2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fields, err := parseMask("fields", q["fields"], contactFields2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.readContact2(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mask := contactMaskV1(mask2)
	in.fields = in.ownFields() // before the lock, as createContact does; the arrays are read from it
	arrays := sentArrays(in.fields, mask)
	s.exec(w, r, func(d *db) (reply, error) {
		c, err := d.contacts.find(id)
		if err != nil {
			return reply{}, err
		}
		events, err := d.editContact(c, in, mask)
		if err != nil {
			return reply{}, err
		}
		c.merge(arrays)
		return reply{http.StatusOK, masked(d.contact2(c), fields), events}, nil
	})
}

// contactMaskV1 turns v2's update_mask into the v1 property names updateContact takes.
func contactMaskV1(mask2 []string) map[string]bool {
	if mask2 == nil {
		return nil
	}
	mask := map[string]bool{}
	for _, name := range mask2 {
		if v1, ok := contactV1Names[name]; ok {
			name = v1
		}
		mask[name] = true
	}
	return mask
}

// sentArrays are the arrays a v2 PATCH sent (only those in mask when it is not nil), which
// it sets on the contact exactly as sent; f is the body's own fields.
func sentArrays(f object, mask map[string]bool) object {
	arrays := object{}
	for _, name := range []string{"email_addresses", "phone_numbers", "fax_numbers", "addresses", "custom_fields", "social_accounts"} {
		if v, ok := f[name]; ok && (mask == nil || mask[name]) {
			arrays[name] = v
		}
	}
	return arrays
}
