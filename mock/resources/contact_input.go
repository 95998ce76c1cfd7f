package resources

import (
	"net/http"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// contactInput is Keap's CreateOrPatchContact body (POST, PATCH), plus duplicate_option,
// which only PUT /contacts takes.
type contactInput struct {
	Addresses       *[]contactAddress `json:"addresses,omitempty"`
	Anniversary     *string           `json:"anniversary,omitempty"`
	Birthday        *string           `json:"birthday,omitempty"`
	Company         *idRef            `json:"company,omitempty"`
	ContactType     *string           `json:"contact_type,omitempty"`
	CustomFields    *[]customField    `json:"custom_fields,omitempty"`
	DuplicateOption *string           `json:"duplicate_option,omitempty"`
	EmailAddresses  *[]emailAddress   `json:"email_addresses,omitempty"`
	FamilyName      *string           `json:"family_name,omitempty"`
	FaxNumbers      *[]faxNumber      `json:"fax_numbers,omitempty"`
	GivenName       *string           `json:"given_name,omitempty"`
	JobTitle        *string           `json:"job_title,omitempty"`
	LeadSourceID    *int64            `json:"lead_source_id,omitempty"`
	MiddleName      *string           `json:"middle_name,omitempty"`
	OptInReason     *string           `json:"opt_in_reason,omitempty"`
	Origin          *contactOrigin    `json:"origin,omitempty"`
	OwnerID         *int64            `json:"owner_id,omitempty"`
	PhoneNumbers    *[]phoneNumber    `json:"phone_numbers,omitempty"`
	PreferredLocale *string           `json:"preferred_locale,omitempty"`
	PreferredName   *string           `json:"preferred_name,omitempty"`
	Prefix          *string           `json:"prefix,omitempty"`
	SocialAccounts  *[]socialAccount  `json:"social_accounts,omitempty"`
	SourceType      *string           `json:"source_type,omitempty"`
	SpouseName      *string           `json:"spouse_name,omitempty"`
	Suffix          *string           `json:"suffix,omitempty"`
	TimeZone        *string           `json:"time_zone,omitempty"`
	Website         *string           `json:"website,omitempty"`

	// fields, when set, is what ownFields makes of the body (less company, origin and
	// duplicate_option): worked out before the store's lock is taken, so the lock is held
	// for less (see createContact).
	fields object
}

type contactOrigin struct {
	IPAddress *string `json:"ip_address,omitempty"`
}

var (
	emailFields    = []string{"EMAIL1", "EMAIL2", "EMAIL3"}
	addressFields  = []string{"BILLING", "SHIPPING", "OTHER"}
	socialTypes    = []string{"Facebook", "Twitter", "LinkedIn", "Instagram", "Snapchat", "YouTube", "Pinterest"}
	sourceTypes    = []string{"APPOINTMENT", "FORMAPIHOSTED", "FORMAPIINTERNAL", "WEBFORM", "INTERNALFORM", "LANDINGPAGE", "IMPORT", "MANUAL", "API", "OTHER", "UNKNOWN"}
	updateMaskable = []string{"addresses", "anniversary", "birthday", "company", "contact_type", "custom_fields",
		"email_addresses", "family_name", "fax_numbers", "given_name", "job_title", "lead_source_id", "middle_name",
		"notes", "opt_in_reason", "origin", "owner_id", "phone_numbers", "preferred_locale", "preferred_name",
		"prefix", "social_accounts", "source_type", "spouse_name", "suffix", "time_zone", "website"}
)

// validate checks what decoding cannot: enums, dates, emails, Keap's address rule. creating
// adds Keap's rule for new contacts: at least one email address or phone number.
func (in *contactInput) validate(creating bool) error {
	var c check
	if creating {
		hasEmail := in.EmailAddresses != nil && len(*in.EmailAddresses) > 0
		hasPhone := in.PhoneNumbers != nil && len(*in.PhoneNumbers) > 0
		if !hasEmail && !hasPhone {
			c.bad("a new contact needs at least one item in email_addresses or phone_numbers")
		}
	}
	in.checkEmails(&c)
	in.checkAddresses(&c)
	c.phones(in.PhoneNumbers)
	c.faxes(in.FaxNumbers)
	c.customFields(in.CustomFields)
	c.dateTime("birthday", in.Birthday)
	c.enum("source_type", in.SourceType, sourceTypes...)
	c.enum("duplicate_option", in.DuplicateOption, "Email", "EmailAndName")
	c.positive("owner_id", in.OwnerID)
	c.positive("lead_source_id", in.LeadSourceID)
	if in.Company != nil {
		c.required("company.id", in.Company.ID != nil)
		c.positive("company.id", in.Company.ID)
	}
	if in.Origin != nil {
		c.requiredString("origin.ip_address", in.Origin.IPAddress)
	}
	if in.SocialAccounts != nil {
		for i, a := range *in.SocialAccounts {
			c.enum(field("social_accounts", i)+".type", a.Type, socialTypes...)
		}
	}
	return c.err()
}

func (in *contactInput) checkEmails(c *check) {
	if in.EmailAddresses == nil {
		return
	}
	seen := map[string]bool{}
	for i, e := range *in.EmailAddresses {
		f := field("email_addresses", i)
		c.required(f+".field", e.Field != nil)
		c.enum(f+".field", e.Field, emailFields...)
		c.unique(seen, f+".field", e.Field)
		c.email(f+".email", e.Email)
	}
}

func (in *contactInput) checkAddresses(c *check) {
	if in.Addresses == nil {
		return
	}
	seen := map[string]bool{}
	for i, a := range *in.Addresses {
		f := field("addresses", i)
		c.required(f+".field", a.Field != nil)
		c.enum(f+".field", a.Field, addressFields...)
		c.unique(seen, f+".field", a.Field)
		c.regionNeedsCountry(f, a.Region, a.CountryCode)
	}
}

// updateMask reads PATCH's update_mask (repeated or comma-separated): the only properties
// the update may change. nil means all.
func updateMask(r *http.Request) (map[string]bool, error) {
	raw := r.URL.Query()["update_mask"]
	if len(raw) == 0 {
		return nil, nil
	}
	mask := map[string]bool{}
	for _, v := range raw {
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if !slices.Contains(updateMaskable, name) {
				return nil, httpapi.Errorf(http.StatusBadRequest, "update_mask: %q is not a contact property that can be updated (one of %s)",
					name, strings.Join(updateMaskable, ", "))
			}
			mask[name] = true
		}
	}
	return mask, nil
}
