package resources

import "strconv"

// The structs below are the nested parts of Keap's request bodies, field for field as its
// OpenAPI document spells them. Pointers tell "not sent" from "sent empty".

type emailAddress struct {
	Email *string `json:"email,omitempty"`
	Field *string `json:"field,omitempty"`
}

type phoneNumber struct {
	Extension  *string `json:"extension,omitempty"`
	Field      *string `json:"field,omitempty"`
	Number     *string `json:"number,omitempty"`
	NumberE164 *string `json:"number_e164,omitempty"`
	Type       *string `json:"type,omitempty"`
}

type faxNumber struct {
	Field  *string `json:"field,omitempty"`
	Number *string `json:"number,omitempty"`
	Type   *string `json:"type,omitempty"`
}

type contactAddress struct {
	CountryCode *string `json:"country_code,omitempty"`
	Field       *string `json:"field,omitempty"`
	Line1       *string `json:"line1,omitempty"`
	Line2       *string `json:"line2,omitempty"`
	Locality    *string `json:"locality,omitempty"`
	PostalCode  *string `json:"postal_code,omitempty"`
	Region      *string `json:"region,omitempty"`
	ZipCode     *string `json:"zip_code,omitempty"`
	ZipFour     *string `json:"zip_four,omitempty"`
}

// address is the field-less address of companies and users.
type address struct {
	CountryCode *string `json:"country_code,omitempty"`
	Line1       *string `json:"line1,omitempty"`
	Line2       *string `json:"line2,omitempty"`
	Locality    *string `json:"locality,omitempty"`
	Region      *string `json:"region,omitempty"`
	ZipCode     *string `json:"zip_code,omitempty"`
	ZipFour     *string `json:"zip_four,omitempty"`
}

type socialAccount struct {
	Name *string `json:"name,omitempty"`
	Type *string `json:"type,omitempty"`
}

// customField is Keap's CustomFieldValue; its content is a JSON object in the document.
type customField struct {
	Content map[string]any `json:"content,omitempty"`
	ID      *int64         `json:"id,omitempty"`
}

// idRef is a reference to another object by id ({"id": 12}).
type idRef struct {
	ID *int64 `json:"id,omitempty"`
}

// Enums of Keap's document used by more than one resource.
var (
	emailStatuses = []string{"UnengagedMarketable", "SingleOptIn", "DoubleOptin", "Confirmed",
		"UnengagedNonMarketable", "NonMarketable", "Lockdown", "Bounce", "HardBounce", "Manual",
		"Admin", "System", "ListUnsubscribe", "Feedback", "Spam", "Invalid", "Deactivated"}
	phoneFields = []string{"PHONE1", "PHONE2", "PHONE3", "PHONE4", "PHONE5"}
	faxFields   = []string{"FAX1", "FAX2"}
)

func (c *check) phones(list *[]phoneNumber) {
	if list == nil {
		return
	}
	seen := map[string]bool{}
	for i, p := range *list {
		f := field("phone_numbers", i)
		c.required(f+".field", p.Field != nil)
		c.enum(f+".field", p.Field, phoneFields...)
		c.unique(seen, f+".field", p.Field)
	}
}

func (c *check) faxes(list *[]faxNumber) {
	if list == nil {
		return
	}
	seen := map[string]bool{}
	for i, p := range *list {
		f := field("fax_numbers", i)
		c.required(f+".field", p.Field != nil)
		c.enum(f+".field", p.Field, faxFields...)
		c.unique(seen, f+".field", p.Field)
	}
}

func (c *check) customFields(list *[]customField) {
	if list == nil {
		return
	}
	for i, cf := range *list {
		c.required(field("custom_fields", i)+".id", cf.ID != nil)
		c.positive(field("custom_fields", i)+".id", cf.ID)
	}
}

// regionNeedsCountry is Keap's rule for every address: a region needs a country_code.
func (c *check) regionNeedsCountry(f string, region, country *string) {
	if region != nil && *region != "" && (country == nil || *country == "") {
		c.bad("%s.country_code is required when region is given", f)
	}
}

// unique reports a second entry for the same field (two EMAIL1 addresses).
func (c *check) unique(seen map[string]bool, f string, v *string) {
	if v == nil {
		return
	}
	if seen[*v] {
		c.bad("%s: %s appears twice", f, *v)
	}
	seen[*v] = true
}

// field names an array item in messages: email_addresses[1].
func field(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}
