package resources

// contactFields turns a checked contactInput into the fields it sets on a stored contact,
// resolving references: company {id} becomes {id, company_name}, origin gains its date.
func (d *db) contactFields(in *contactInput) (object, error) {
	company, origin := in.Company, in.Origin
	f := in.fields
	if f == nil {
		f = in.ownFields()
	}
	in.fields = nil // f is changed below: never use it twice
	if company != nil {
		co, ok := d.companies.get(*company.ID)
		if !ok {
			return nil, refError("company.id", "company", *company.ID)
		}
		f["company"] = object{"id": num(*company.ID), "company_name": co.str("company_name")}
		f["company_name"] = co.str("company_name")
	}
	if origin != nil {
		f["origin"] = object{"date": d.stamp(), "ip_address": *origin.IPAddress}
	}
	if in.OwnerID != nil {
		if _, ok := d.users.get(*in.OwnerID); !ok {
			return nil, refError("owner_id", "user", *in.OwnerID)
		}
	}
	if f["birthday"] != nil {
		f["birthday"] = stampOf(f.str("birthday"))
	}
	return f, nil
}

// ownFields is the fields the body sets by itself, without the ones that name other objects.
func (in *contactInput) ownFields() object {
	return in.contactObject(contactExtraKeys)
}

// contactExtraKeys is how many keys a stored contact made from an email address has beyond
// its body's: its id, two dates, source, custom fields and opt-in state (two).
const contactExtraKeys = 7

// addContact stores a new contact built from a checked input, for v1's create and upsert
// and v2's create alike: the stored contact and its contact.add.
func (d *db) addContact(in *contactInput) (object, []event, error) {
	c, err := d.contactFields(in)
	if err != nil {
		return nil, nil, err
	}
	// c is this call's own map: it becomes the contact, taking the defaults for what the
	// body left out, rather than being copied into a new one.
	now := any(d.stamp()) // boxed once for both dates
	c.setDefault("date_created", now)
	c.setDefault("last_updated", now)
	c.setDefault("source_type", "API")
	c.setDefault("custom_fields", []any{})
	setOptIn(c, len(c.list("email_addresses")) > 0, in.OptInReason != nil && *in.OptInReason != "")
	id, err := d.contacts.insert(c)
	if err != nil {
		return nil, nil, err
	}
	return c, emitted("contact.add", id), nil
}

// editContact applies a checked input to contact c (only the properties in mask when it is
// not nil), for v1's and v2's updates and upserts alike, and names its contact.edit.
func (d *db) editContact(c object, in *contactInput, mask map[string]bool) ([]event, error) {
	if err := d.updateContact(c, in, mask); err != nil {
		return nil, err
	}
	return emitted("contact.edit", c.id()), nil
}

// upsertContact is the write behind v1's PUT /contacts and v2's POST /contacts (whose
// duplicate_option finds match): it edits match when there is one, else creates a contact
// from in once onCreate passes it (v1 and v2 ask different things of a new contact).
// created says which.
func (d *db) upsertContact(match object, in *contactInput, onCreate func(*contactInput) error) (c object, created bool, events []event, err error) {
	if match != nil {
		events, err := d.editContact(match, in, nil)
		return match, false, events, err
	}
	if err := onCreate(in); err != nil {
		return nil, false, nil, err
	}
	c, events, err = d.addContact(in)
	return c, err == nil, events, err
}

// updateContact applies in to contact c, only the properties in mask when it is not nil.
// Email addresses, phone and fax numbers and addresses are merged by their field (EMAIL2
// changes only EMAIL2), custom fields by id; everything else is replaced.
func (d *db) updateContact(c object, in *contactInput, mask map[string]bool) error {
	f, err := d.contactFields(in)
	if err != nil {
		return err
	}
	if mask != nil {
		for k := range f {
			if !mask[k] && !(k == "company_name" && mask["company"]) {
				delete(f, k)
			}
		}
	}
	for _, name := range []string{"email_addresses", "phone_numbers", "fax_numbers", "addresses"} {
		if v, ok := f[name]; ok {
			f[name] = mergeByKey(c[name], v, "field")
		}
	}
	if v, ok := f["custom_fields"]; ok {
		f["custom_fields"] = mergeByKey(c["custom_fields"], v, "id")
	}
	c.merge(f)
	setOptIn(c, len(c.list("email_addresses")) > 0, in.OptInReason != nil && *in.OptInReason != "")
	c["last_updated"] = d.stamp()
	return nil
}

// setOptIn sets the marketing status Keap derives from an opt-in reason: marketable when
// one was given, otherwise the status a contact without consent has.
func setOptIn(c object, hasEmail, optedIn bool) {
	if !hasEmail {
		return
	}
	if optedIn {
		c["email_opted_in"], c["email_status"] = true, "SingleOptIn"
		return
	}
	if c["email_status"] == nil {
		c["email_opted_in"], c["email_status"] = false, "UnengagedNonMarketable"
	}
}

// mergeByKey merges two arrays of objects: an item of update replaces the item of old with
// the same key value, other items are appended; items of old not mentioned stay.
func mergeByKey(old, update any, key string) []any {
	var out []any
	index := map[string]int{}
	for _, it := range asList(old) {
		index[keyOf(it, key)] = len(out)
		out = append(out, it)
	}
	for _, it := range asList(update) {
		if i, ok := index[keyOf(it, key)]; ok {
			out[i] = it
			continue
		}
		index[keyOf(it, key)] = len(out)
		out = append(out, it)
	}
	if out == nil {
		out = []any{}
	}
	return out
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func keyOf(item any, key string) string {
	switch m := item.(type) {
	case object:
		return stringOf(m[key])
	case map[string]any:
		return stringOf(m[key])
	}
	return ""
}

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if i, ok := asInt(v); ok {
		return string(num(i))
	}
	return ""
}

// deleteContact removes a contact and its tag applications, for v1's and v2's DELETE
// alike, and names its contact.delete.
func (d *db) deleteContact(id int64) []event {
	d.contacts.remove(id)
	d.applied.dropContact(id)
	return emitted("contact.delete", id)
}

// renderContact is a contact as GET /v1/contacts/{id} returns it: a copy, with the tags
// applied now and the company's current name.
func (d *db) renderContact(c object) object {
	out := c.clone()
	d.linkContact(c, out)
	return out
}

// linkContact sets on out, a copy of c, what a contact's answer takes from elsewhere: its
// tags, its company's id and name.
func (d *db) linkContact(c, out object) {
	out["tag_ids"] = d.tagIDsOf(c.id())
	if ref := c.sub("company"); ref != nil {
		if id, ok := ref.int("id"); ok {
			if co, ok := d.companies.get(id); ok {
				out["company"] = object{"id": num(id), "company_name": co.str("company_name")}
				out["company_name"] = co.str("company_name")
			}
		}
	}
}

// partialContact is a contact as an item of GET /v1/contacts (Keap's RestPartialContact).
func (d *db) partialContact(c object) object {
	out := d.renderContact(c)
	for _, k := range []string{"tag_ids", "origin", "relationships", "opt_in_reason"} {
		delete(out, k)
	}
	return out
}

// tagIDsOf lists the tags applied to a contact, ascending.
func (d *db) tagIDsOf(contact int64) []int64 {
	if ids := d.applied.tagsOf(contact); ids != nil {
		return ids
	}
	return []int64{} // an empty list in JSON, not null
}

// primaryEmail is the address Keap shows for a contact: EMAIL1, else the first.
func primaryEmail(c object) string {
	emails := c.list("email_addresses")
	for _, e := range emails {
		if e.str("field") == "EMAIL1" {
			return e.str("email")
		}
	}
	if len(emails) > 0 {
		return emails[0].str("email")
	}
	return ""
}

// basicContact is Keap's BasicContact, the short form tasks and tag lists embed.
func basicContact(c object) object {
	out := object{"id": c["id"]}
	setIf(out, "first_name", c.str("given_name"))
	setIf(out, "last_name", c.str("family_name"))
	setIf(out, "email", primaryEmail(c))
	return out
}

// setIf sets a string field only when it is not empty: Keap omits absent fields.
func setIf(o object, key, v string) {
	if v != "" {
		o[key] = v
	}
}
