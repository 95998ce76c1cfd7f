package resources

import (
	"net/http"
	"strings"
)

// companyInput is Keap's CreateOrPatchCompany body (POST, PATCH).
type companyInput struct {
	Address      *address       `json:"address,omitempty"`
	CompanyName  *string        `json:"company_name,omitempty"`
	CustomFields *[]customField `json:"custom_fields,omitempty"`
	EmailAddress *string        `json:"email_address,omitempty"`
	FaxNumber    *companyPhone  `json:"fax_number,omitempty"`
	Notes        *string        `json:"notes,omitempty"`
	OptInReason  *string        `json:"opt_in_reason,omitempty"`
	PhoneNumber  *companyPhone  `json:"phone_number,omitempty"`
	Website      *string        `json:"website,omitempty"`
}

// companyPhone is CompanyPhoneNumber and CompanyFaxNumber (a fax has no extension).
type companyPhone struct {
	Extension *string `json:"extension,omitempty"`
	Number    *string `json:"number,omitempty"`
	Type      *string `json:"type,omitempty"`
}

func (in *companyInput) check(c *check, m mode) {
	if m.full() || in.CompanyName != nil {
		c.requiredString("company_name", in.CompanyName)
	}
	c.email("email_address", in.EmailAddress)
	c.customFields(in.CustomFields)
	if in.FaxNumber != nil && in.FaxNumber.Extension != nil {
		c.bad("fax_number has no extension")
	}
	if in.Address != nil {
		c.regionNeedsCountry("address", in.Address.Region, in.Address.CountryCode)
	}
}

func (s *Store) companyKind() *kind {
	return &kind{
		event: "company", idVar: "companyId", createdStatus: http.StatusCreated,
		table:    func(d *db) *table { return d.companies },
		newInput: func() input { return &companyInput{} },
		apply:    applyCompany,
	}
}

func applyCompany(d *db, old object, raw input, m mode) (object, error) {
	in := *raw.(*companyInput)
	optIn := in.OptInReason != nil && *in.OptInReason != ""
	in.OptInReason = nil
	o := object{"custom_fields": []any{}}
	if old != nil {
		o = old
	}
	o.merge(fieldsOf(&in))
	setOptIn(o, o.str("email_address") != "", optIn)
	return o, nil
}

func (s *Store) companyRoutes() []Route {
	k := s.companyKind()
	return []Route{
		{http.MethodGet, "/companies", s.listCompanies},
		{http.MethodPost, "/companies", s.create(k)},
		{http.MethodGet, "/companies/{companyId}", s.get(k)},
		{http.MethodPatch, "/companies/{companyId}", s.update(k, patching)},
	}
}

// listCompanies is GET /companies: company_name filters (any case), order and
// order_direction sort. Ids grow with time, so date_created order is id order.
func (s *Store) listCompanies(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	name := q.str("company_name")
	order := q.oneOf("order", "id", "date_created", "name", "email")
	desc := q.oneOf("order_direction", "ASCENDING", "DESCENDING") == "DESCENDING"
	s.listed(w, r, q, "companies", func(d *db) ([]object, error) {
		var items []object
		for _, c := range d.companies.all() {
			if name == "" || strings.EqualFold(c.str("company_name"), name) {
				items = append(items, c.clone())
			}
		}
		var key func(object) string
		switch order {
		case "name":
			key = func(o object) string { return strings.ToLower(o.str("company_name")) }
		case "email":
			key = func(o object) string { return strings.ToLower(o.str("email_address")) }
		}
		sortObjects(items, key, desc)
		return items, nil
	})
}
