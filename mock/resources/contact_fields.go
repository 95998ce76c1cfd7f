package resources

import "reflect"

// contactObject is fieldsOf for a contact body, written out: the reflection walk was a fifth
// of what creating a contact cost. It makes exactly the object fieldsOf makes (each set
// field as its JSON would read back: strings, json.Number, lists of objects), which
// TestContactObjectIsFieldsOf and FuzzContactObjectIsFieldsOf hold it to, field by field;
// company, origin and duplicate_option are left to the caller, as ownFields does.
func (in *contactInput) contactObject(room int) object {
	o := make(object, in.setCount()+room)
	putString(o, "anniversary", in.Anniversary)
	putString(o, "birthday", in.Birthday)
	putString(o, "contact_type", in.ContactType)
	putString(o, "family_name", in.FamilyName)
	putString(o, "given_name", in.GivenName)
	putString(o, "job_title", in.JobTitle)
	putString(o, "middle_name", in.MiddleName)
	putString(o, "opt_in_reason", in.OptInReason)
	putString(o, "preferred_locale", in.PreferredLocale)
	putString(o, "preferred_name", in.PreferredName)
	putString(o, "prefix", in.Prefix)
	putString(o, "source_type", in.SourceType)
	putString(o, "spouse_name", in.SpouseName)
	putString(o, "suffix", in.Suffix)
	putString(o, "time_zone", in.TimeZone)
	putString(o, "website", in.Website)
	putInt(o, "lead_source_id", in.LeadSourceID)
	putInt(o, "owner_id", in.OwnerID)
	putList(o, "addresses", in.Addresses, func(a contactAddress) object {
		m := object{} // most set a few of these nine: a map of eight grows only past that
		putString(m, "country_code", a.CountryCode)
		putEnum(m, "field", a.Field)
		putString(m, "line1", a.Line1)
		putString(m, "line2", a.Line2)
		putString(m, "locality", a.Locality)
		putString(m, "postal_code", a.PostalCode)
		putString(m, "region", a.Region)
		putString(m, "zip_code", a.ZipCode)
		putString(m, "zip_four", a.ZipFour)
		return m
	})
	putList(o, "custom_fields", in.CustomFields, func(f customField) object {
		m := make(object, 2)
		if len(f.Content) > 0 {
			m["content"], _ = jsonValue(reflect.ValueOf(f.Content)) // any JSON: the general walk
		}
		putInt(m, "id", f.ID)
		return m
	})
	putList(o, "email_addresses", in.EmailAddresses, func(e emailAddress) object {
		m := make(object, 2)
		putString(m, "email", e.Email)
		putEnum(m, "field", e.Field)
		return m
	})
	putList(o, "fax_numbers", in.FaxNumbers, func(f faxNumber) object {
		m := make(object, 3)
		putEnum(m, "field", f.Field)
		putString(m, "number", f.Number)
		putEnum(m, "type", f.Type)
		return m
	})
	putList(o, "phone_numbers", in.PhoneNumbers, func(p phoneNumber) object {
		m := make(object, 5)
		putString(m, "extension", p.Extension)
		putEnum(m, "field", p.Field)
		putString(m, "number", p.Number)
		putString(m, "number_e164", p.NumberE164)
		putEnum(m, "type", p.Type)
		return m
	})
	putList(o, "social_accounts", in.SocialAccounts, func(s socialAccount) object {
		m := make(object, 2)
		putString(m, "name", s.Name)
		putEnum(m, "type", s.Type)
		return m
	})
	return o
}

// setCount is how many of the fields contactObject copies are set.
func (in *contactInput) setCount() int {
	n := 0
	for _, set := range [...]bool{
		in.Anniversary != nil, in.Birthday != nil, in.ContactType != nil, in.FamilyName != nil,
		in.GivenName != nil, in.JobTitle != nil, in.MiddleName != nil, in.OptInReason != nil,
		in.PreferredLocale != nil, in.PreferredName != nil, in.Prefix != nil, in.SourceType != nil,
		in.SpouseName != nil, in.Suffix != nil, in.TimeZone != nil, in.Website != nil,
		in.LeadSourceID != nil, in.OwnerID != nil, in.Addresses != nil, in.CustomFields != nil,
		in.EmailAddresses != nil, in.FaxNumbers != nil, in.PhoneNumbers != nil, in.SocialAccounts != nil,
	} {
		if set {
			n++
		}
	}
	return n
}

func putString(o object, key string, s *string) {
	if s != nil {
		o[key] = *s
	}
}

// putEnum is putString for values nearly every body repeats (EMAIL1, BILLING, ...): a known
// value is stored as one shared string, so each stored contact holds fewer objects for the
// collector to walk.
func putEnum(o object, key string, s *string) {
	if s == nil {
		return
	}
	if v, ok := sharedValues[*s]; ok {
		o[key] = v
		return
	}
	o[key] = *s
}

// sharedValues holds the enums of contact items, each boxed once.
var sharedValues = func() map[string]any {
	m := map[string]any{}
	for _, list := range [][]string{emailFields, addressFields, phoneFields, faxFields, socialTypes} {
		for _, v := range list {
			m[v] = v
		}
	}
	return m
}()

func putInt(o object, key string, n *int64) {
	if n != nil {
		o[key] = num(*n)
	}
}

// putList sets key to the objects of a list the body sent (an empty one included).
func putList[T any](o object, key string, items *[]T, toObject func(T) object) {
	if items == nil {
		return
	}
	list := make([]any, len(*items))
	for i, it := range *items {
		list[i] = map[string]any(toObject(it))
	}
	o[key] = list
}
