package resources

import (
	"net/http"
	"strings"
)

// Users through v2: list, get and update. An update emits user.edit, the key Keap has for
// it (v1 cannot update a user).

func (s *Store) userRoutes2() []Route {
	return []Route{
		{http.MethodGet, "/users", s.v2List(userListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.users.all(), user2), nil
		})},
		{http.MethodGet, "/users/{user_id}", s.v2Get("user_id", func(d *db) *table { return d.users }, func(_ *db, u object) object { return user2(u) }, nil)},
		{http.MethodPatch, "/users/{user_id}", s.updateUser2},
	}
}

// user2 is a stored user as v2's User.
func user2(u object) object {
	out := object{"id": idString(u["id"]), "partner": u.boolean("partner"), "admin": u.boolean("admin"),
		"status": strings.ToUpper(cmpOr(u.str("status"), "Active"))}
	for _, k := range []string{"given_name", "family_name", "middle_name", "company_name", "website", "address",
		"phone_numbers", "fax_numbers"} {
		copyAs(u, out, k, k)
	}
	copyAs(u, out, "job_title", "title")
	copyAs(u, out, "preferred_name", "nickname")
	copyAs(u, out, "date_created", "create_time")
	copyAs(u, out, "last_updated", "update_time")
	copyAs(u, out, "infusionsoft_id", "keap_id")
	setID(out, "global_user_id", u["global_user_id"])
	if e := u.str("email_address"); e != "" {
		out["email_addresses"] = []any{object{"email": e, "field": "EMAIL1"}}
	}
	return out
}

var userListing2 = &v2Listing{
	key: "users",
	filters: map[string]v2Filter{
		"email":      {fText, func(o object) []string { return subValues(o, "email_addresses", "email", "") }},
		"given_name": {kind: fText},
		"user_ids":   {fSet, idValues},
		// include_inactive==false leaves inactive users out, include_partners==false partners;
		// true (or no such term) keeps them.
		"include_inactive": {fBool, func(o object) []string { return inclusion(o.str("status") == "INACTIVE") }},
		"include_partners": {fBool, func(o object) []string { return inclusion(o.boolean("partner")) }},
	},
	orders: map[string]func(o object) string{
		"create_time": nil,
		"email":       func(o object) string { return firstOf(subValues(o, "email_addresses", "email", "")) },
		"name":        func(o object) string { return o.str("family_name") },
	},
}

// inclusion is the values an include_* filter sees: an object that is of the kind matches
// only true, any other matches both.
func inclusion(ofTheKind bool) []string {
	if ofTheKind {
		return []string{"true"}
	}
	return []string{"true", "false"}
}

// userBody2 is v2's UpdateUserRequest.
type userBody2 struct {
	Address      *address2      `json:"address,omitempty"`
	CompanyName  *string        `json:"company_name,omitempty"`
	EmailAddress *emailAddress2 `json:"email_address,omitempty"`
	FamilyName   *string        `json:"family_name,omitempty"`
	FaxNumbers   *[]faxNumber   `json:"fax_numbers,omitempty"`
	GivenName    *string        `json:"given_name,omitempty"`
	JobTitle     *string        `json:"job_title,omitempty"`
	PhoneNumbers *[]phoneNumber `json:"phone_numbers,omitempty"`
	TimeZone     *string        `json:"time_zone,omitempty"`
	Title        *string        `json:"title,omitempty"`
	Website      *string        `json:"website,omitempty"`
}

var userMask2 = []string{"address", "company_name", "email_address", "family_name", "fax_numbers", "given_name",
	"job_title", "phone_numbers", "time_zone", "website"}

// fields is what the body sets on a stored user, in v1's names, only the masked ones when
// mask is not nil.
func (b *userBody2) fields(c *check, mask []string) object {
	if b.EmailAddress != nil {
		c.email("email_address.email", b.EmailAddress.Email)
	}
	c.phones(b.PhoneNumbers)
	c.faxes(b.FaxNumbers)
	f := fieldsOf(struct {
		*userBody2
		Address      *address2      `json:"address,omitempty"`
		EmailAddress *emailAddress2 `json:"email_address,omitempty"`
		Title        *string        `json:"title,omitempty"`
	}{userBody2: b})
	if b.Title != nil && b.JobTitle == nil {
		f["job_title"] = *b.Title
	}
	if b.EmailAddress != nil && b.EmailAddress.Email != nil {
		f["email_address"] = *b.EmailAddress.Email
	}
	if b.Address != nil {
		f["address"] = fieldsOf((*addressesToV1(&[]address2{*b.Address}))[0])
		delete(f.sub("address"), "field")
	}
	keepMasked(f, mask)
	return f
}

func (s *Store) updateUser2(w http.ResponseWriter, r *http.Request) {
	id, err := v2ID(r, "user_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	mask, err := parseMask("update_mask", r.URL.Query()["update_mask"], userMask2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var b userBody2
	if err := s.decode(w, r, &b); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	f := b.fields(&c, mask)
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		u, err := d.users.find(id)
		if err != nil {
			return reply{}, err
		}
		u.merge(f)
		u["last_updated"] = d.stamp()
		return reply{http.StatusOK, user2(u), emitted("user.edit", id)}, nil
	})
}
