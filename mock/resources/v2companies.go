package resources

import (
	"net/http"
	"strings"
)

// Companies through v2: company.add, .edit and .delete (v1 cannot delete a company; v2 can,
// and its event key is Keap's company.delete).

func (s *Store) companyRoutes2() []Route {
	k := &v2Kind{kind: s.companyKind(), idVar2: "company_id", render2: company2, masks: companyMask2,
		newBody: func() v2Body { return &companyBody2{} }}
	return []Route{
		{http.MethodGet, "/companies", s.v2List(companyListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.companies.all(), func(o object) object { return company2(d, o) }), nil
		})},
		{http.MethodPost, "/companies", s.v2Create(k)},
		{http.MethodGet, "/companies/{company_id}", s.v2Get2(k, companyFields2)},
		{http.MethodPatch, "/companies/{company_id}", s.v2Update(k)},
		{http.MethodDelete, "/companies/{company_id}", s.v2Remove(k)},
	}
}

var (
	companyFields2 = []string{"address", "custom_fields", "email_address", "fax_number", "phone_number", "website", "notes"}
	companyMask2   = strings.Split("id,company_name,address,phone_number,fax_number,email_address,notes,website,"+
		"custom_fields,create_time,update_time,anniversary_date,assistant_name,assistant_phone,billing_information,"+
		"birth_date,contact_type,first_name,job_title,last_name,middle_name,preferred_name,owner_id,referral_code,"+
		"spouse_name,suffix,title,account_id,created_by,groups,last_updated_by", ",")
)

// company2 is a stored company as v2's Company.
func company2(_ *db, o object) object {
	out := object{"id": idString(o["id"]), "company_name": o.str("company_name"), "custom_fields": customFields2(o.list("custom_fields"))}
	for _, k := range []string{"website", "notes", "address"} {
		copyAs(o, out, k, k)
	}
	copyAs(o, out, "date_created", "create_time")
	copyAs(o, out, "last_updated", "update_time")
	if e := o.str("email_address"); e != "" {
		out["email_address"] = object{"email": e, "field": "EMAIL1"}
	}
	if p := o.sub("phone_number"); p != nil {
		out["phone_number"] = p.only("number", "extension", "type")
	}
	if f := o.sub("fax_number"); f != nil {
		out["fax_number"] = f.only("number", "type")
	}
	return out
}

var companyListing2 = &v2Listing{
	key:    "companies",
	fields: companyFields2,
	filters: map[string]v2Filter{
		"company_name": {fSet, func(o object) []string { return valuesOf(o["company_name"]) }},
		"name":         {fText, func(o object) []string { return valuesOf(o["company_name"]) }},
		"email":        {fSet, func(o object) []string { return valuesOf(o.sub("email_address")["email"]) }},
		"city":         {fText, func(o object) []string { return valuesOf(o.sub("address")["locality"]) }},
		"state":        {fText, func(o object) []string { return valuesOf(o.sub("address")["region"]) }},
		"since_time":   {fSince, func(o object) []string { return valuesOf(o["update_time"]) }},
		"until_time":   {fUntil, func(o object) []string { return valuesOf(o["update_time"]) }},
		"company_id":   {fNumber, idValues},
	},
	orders: map[string]func(o object) string{
		"id": nil, "create_time": nil,
		"name":  func(o object) string { return o.str("company_name") },
		"email": func(o object) string { return o.sub("email_address").str("email") },
	},
}

// companyBody2 is v2's CreateCompanyRequest and UpdateCompanyRequest. The person-like
// properties (first_name, birth_date...) have no place in the store: accepted, not kept.
type companyBody2 struct {
	Address            *address2       `json:"address,omitempty"`
	CompanyName        *string         `json:"company_name,omitempty"`
	CustomFields       *[]customField2 `json:"custom_fields,omitempty"`
	EmailAddress       *emailAddress2  `json:"email_address,omitempty"`
	FaxNumber          *faxNumber      `json:"fax_number,omitempty"`
	Notes              *string         `json:"notes,omitempty"`
	PhoneNumber        *phoneNumber    `json:"phone_number,omitempty"`
	Website            *string         `json:"website,omitempty"`
	AnniversaryDate    *string         `json:"anniversary_date,omitempty"`
	AssistantName      *string         `json:"assistant_name,omitempty"`
	AssistantPhone     *string         `json:"assistant_phone,omitempty"`
	BillingInformation *string         `json:"billing_information,omitempty"`
	BirthDate          *string         `json:"birth_date,omitempty"`
	ContactType        *string         `json:"contact_type,omitempty"`
	FirstName          *string         `json:"first_name,omitempty"`
	JobTitle           *string         `json:"job_title,omitempty"`
	LastName           *string         `json:"last_name,omitempty"`
	MiddleName         *string         `json:"middle_name,omitempty"`
	OwnerID            *string         `json:"owner_id,omitempty"`
	PreferredName      *string         `json:"preferred_name,omitempty"`
	ReferralCode       *string         `json:"referral_code,omitempty"`
	SpouseName         *string         `json:"spouse_name,omitempty"`
	Suffix             *string         `json:"suffix,omitempty"`
	Title              *string         `json:"title,omitempty"`
}

func (b *companyBody2) toV1(c *check) input {
	in := &companyInput{CompanyName: b.CompanyName, Notes: b.Notes, Website: b.Website}
	in.CustomFields = customFieldsToV1(c, b.CustomFields)
	if b.Address != nil {
		a := (*addressesToV1(&[]address2{*b.Address}))[0]
		in.Address = &address{CountryCode: a.CountryCode, Line1: a.Line1, Line2: a.Line2, Locality: a.Locality,
			Region: a.Region, ZipCode: firstSet(a.ZipCode, a.PostalCode), ZipFour: a.ZipFour}
	}
	if b.EmailAddress != nil {
		in.EmailAddress = b.EmailAddress.Email
		in.OptInReason = b.EmailAddress.OptInReason
	}
	if b.PhoneNumber != nil {
		in.PhoneNumber = &companyPhone{Extension: b.PhoneNumber.Extension, Number: b.PhoneNumber.Number, Type: b.PhoneNumber.Type}
	}
	if b.FaxNumber != nil {
		in.FaxNumber = &companyPhone{Number: b.FaxNumber.Number, Type: b.FaxNumber.Type}
	}
	return in
}

// firstSet is the first pointer that is not nil.
func firstSet[T any](ps ...*T) *T {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}
