package resources

import (
	"encoding/json"
	"strings"
)

// contactBody2 is v2's CreateUpdateContactRequest. It becomes v1's contactInput, so a
// contact written through v2 is checked and stored exactly as one written through v1.
// referral_code, utm_parameters, assistant_name, assistant_phone and billing_information
// have no v1 counterpart: they are accepted and not kept.
type contactBody2 struct {
	Addresses          *[]address2      `json:"addresses,omitempty"`
	AnniversaryDate    *string          `json:"anniversary_date,omitempty"`
	AssistantName      *string          `json:"assistant_name,omitempty"`
	AssistantPhone     *string          `json:"assistant_phone,omitempty"`
	BillingInformation *string          `json:"billing_information,omitempty"`
	BirthDate          *string          `json:"birth_date,omitempty"`
	Company            *companyRef2     `json:"company,omitempty"`
	ContactType        *string          `json:"contact_type,omitempty"`
	CustomFields       *[]customField2  `json:"custom_fields,omitempty"`
	EmailAddresses     *[]emailAddress2 `json:"email_addresses,omitempty"`
	FamilyName         *string          `json:"family_name,omitempty"`
	FaxNumbers         *[]faxNumber     `json:"fax_numbers,omitempty"`
	GivenName          *string          `json:"given_name,omitempty"`
	JobTitle           *string          `json:"job_title,omitempty"`
	LeadsourceID       *string          `json:"leadsource_id,omitempty"`
	MiddleName         *string          `json:"middle_name,omitempty"`
	Origin             *contactOrigin   `json:"origin,omitempty"`
	OwnerID            *string          `json:"owner_id,omitempty"`
	PhoneNumbers       *[]phoneNumber   `json:"phone_numbers,omitempty"`
	PreferredLocale    *string          `json:"preferred_locale,omitempty"`
	PreferredName      *string          `json:"preferred_name,omitempty"`
	Prefix             *string          `json:"prefix,omitempty"`
	ReferralCode       *string          `json:"referral_code,omitempty"`
	SocialAccounts     *[]socialAccount `json:"social_accounts,omitempty"`
	SourceType         *string          `json:"source_type,omitempty"`
	SpouseName         *string          `json:"spouse_name,omitempty"`
	Suffix             *string          `json:"suffix,omitempty"`
	TimeZone           *string          `json:"time_zone,omitempty"`
	UtmParameters      *json.RawMessage `json:"utm_parameters,omitempty"`
	Website            *string          `json:"website,omitempty"`
}

// address2 is v2's Address: v1's fields plus country and region_code.
type address2 struct {
	Country     *string `json:"country,omitempty"`
	CountryCode *string `json:"country_code,omitempty"`
	Field       *string `json:"field,omitempty"`
	Line1       *string `json:"line1,omitempty"`
	Line2       *string `json:"line2,omitempty"`
	Locality    *string `json:"locality,omitempty"`
	PostalCode  *string `json:"postal_code,omitempty"`
	Region      *string `json:"region,omitempty"`
	RegionCode  *string `json:"region_code,omitempty"`
	ZipCode     *string `json:"zip_code,omitempty"`
	ZipFour     *string `json:"zip_four,omitempty"`
}

type emailAddress2 struct {
	Email       *string `json:"email,omitempty"`
	Field       *string `json:"field,omitempty"`
	OptInReason *string `json:"opt_in_reason,omitempty"`
}

type companyRef2 struct {
	CompanyName *string `json:"company_name,omitempty"`
	ID          *string `json:"id,omitempty"`
}

// customField2 is v2's CustomFieldValue: a string id and content of any JSON type.
type customField2 struct {
	Content any     `json:"content,omitempty"`
	ID      *string `json:"id,omitempty"`
}

// v2's spellings of v1 enum values, v1 first.
var (
	sourceTypes2 = map[string]string{"FORMAPIHOSTED": "FORM_API_HOSTED", "FORMAPIINTERNAL": "FORM_API_INTERNAL",
		"INTERNALFORM": "INTERNAL_FORM", "LANDINGPAGE": "LANDING_PAGE"}
	socialTypes2 = map[string]string{"Facebook": "FACEBOOK", "Twitter": "TWITTER", "LinkedIn": "LINKED_IN",
		"Instagram": "INSTAGRAM", "Snapchat": "SNAPCHAT", "YouTube": "YOUTUBE", "Pinterest": "PINTEREST"}
)

// v2Spelling is v1's value as v2 spells it (unchanged where both agree).
func v2Spelling(m map[string]string, v1 string) string {
	if v, ok := m[v1]; ok {
		return v
	}
	return v1
}

// v1Spelling is the inverse of v2Spelling.
func v1Spelling(m map[string]string, v2 string) string {
	for k, v := range m {
		if v == v2 {
			return k
		}
	}
	return v2
}

func (b *contactBody2) v1(c *check) *contactInput {
	in := &contactInput{
		ContactType: b.ContactType, FamilyName: b.FamilyName, GivenName: b.GivenName, JobTitle: b.JobTitle,
		MiddleName: b.MiddleName, Origin: b.Origin, PhoneNumbers: b.PhoneNumbers, FaxNumbers: b.FaxNumbers,
		PreferredLocale: b.PreferredLocale, PreferredName: b.PreferredName, Prefix: b.Prefix,
		SpouseName: b.SpouseName, Suffix: b.Suffix, TimeZone: b.TimeZone, Website: b.Website,
		Anniversary: b.AnniversaryDate,
	}
	in.LeadSourceID = c.idField("leadsource_id", b.LeadsourceID)
	in.OwnerID = c.idField("owner_id", b.OwnerID)
	if b.Company != nil {
		c.required("company.id", b.Company.ID != nil)
		in.Company = &idRef{ID: c.idField("company.id", b.Company.ID)}
	}
	if b.BirthDate != nil {
		c.date("birth_date", b.BirthDate)
		at := *b.BirthDate + "T00:00:00.000Z"
		in.Birthday = &at
	}
	if b.SourceType != nil {
		v := v1Spelling(sourceTypes2, *b.SourceType)
		in.SourceType = &v
	}
	in.EmailAddresses, in.OptInReason = emailsToV1(b.EmailAddresses)
	in.Addresses = addressesToV1(b.Addresses)
	in.CustomFields = customFieldsToV1(c, b.CustomFields)
	if b.SocialAccounts != nil {
		accounts := make([]socialAccount, len(*b.SocialAccounts))
		for i, a := range *b.SocialAccounts {
			accounts[i] = a
			if a.Type != nil {
				v := v1Spelling(socialTypes2, *a.Type)
				accounts[i].Type = &v
			}
		}
		in.SocialAccounts = &accounts
	}
	return in
}

// emailsToV1 converts v2's email addresses; v2 gives an opt-in reason per address, v1 one
// for the contact: the first given is used.
func emailsToV1(list *[]emailAddress2) (*[]emailAddress, *string) {
	if list == nil {
		return nil, nil
	}
	var reason *string
	out := make([]emailAddress, len(*list))
	for i, e := range *list {
		out[i] = emailAddress{Email: e.Email, Field: e.Field}
		if reason == nil && e.OptInReason != nil && strings.TrimSpace(*e.OptInReason) != "" {
			reason = e.OptInReason
		}
	}
	return &out, reason
}

func addressesToV1(list *[]address2) *[]contactAddress {
	if list == nil {
		return nil
	}
	out := make([]contactAddress, len(*list))
	for i, a := range *list {
		region := a.Region
		if region == nil {
			region = a.RegionCode
		}
		out[i] = contactAddress{CountryCode: a.CountryCode, Field: a.Field, Line1: a.Line1, Line2: a.Line2,
			Locality: a.Locality, PostalCode: a.PostalCode, Region: region, ZipCode: a.ZipCode, ZipFour: a.ZipFour}
	}
	return &out
}

// customFieldsToV1 converts string ids; v1 holds content as a JSON object, so any other
// content is wrapped as {"value": content}.
func customFieldsToV1(c *check, list *[]customField2) *[]customField {
	if list == nil {
		return nil
	}
	out := make([]customField, len(*list))
	for i, f := range *list {
		c.required(field("custom_fields", i)+".id", f.ID != nil)
		out[i].ID = c.idField(field("custom_fields", i)+".id", f.ID)
		switch v := f.Content.(type) {
		case nil:
		case map[string]any:
			out[i].Content = v
		default:
			out[i].Content = map[string]any{"value": v}
		}
	}
	return &out
}

// contactMask2 are the properties v2's update_mask may name for a contact, and v1's name
// for each where it differs.
var (
	contactMask2 = []string{"addresses", "anniversary_date", "birth_date", "company", "contact_type", "create_time",
		"custom_fields", "email_addresses", "family_name", "fax_numbers", "given_name", "id", "job_title", "leadsource_id",
		"links", "middle_name", "notes", "origin", "owner_id", "phone_numbers", "preferred_locale", "preferred_name",
		"prefix", "referral_code", "score_value", "social_accounts", "source_type", "spouse_name", "suffix", "tag_ids",
		"time_zone", "update_time", "utm_parameters", "website", "account_id", "assistant_name", "assistant_phone",
		"billing_information", "created_by", "groups", "last_updated_by"}
	contactV1Names = map[string]string{"anniversary_date": "anniversary", "birth_date": "birthday", "leadsource_id": "lead_source_id"}
)
