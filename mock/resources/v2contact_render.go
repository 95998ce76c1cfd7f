package resources

// contact2 is a stored contact as v2's Contact. It shares the stored values it does not
// change (it is encoded under the store's lock), so a v2 GET costs no more than v1's.
func (d *db) contact2(c object) object {
	out := make(object, 24)
	out["id"] = idString(c["id"])
	for _, k := range []string{"prefix", "suffix", "website", "contact_type", "family_name", "given_name",
		"job_title", "middle_name", "preferred_locale", "preferred_name", "spouse_name", "time_zone", "origin"} {
		if v, ok := c[k]; ok {
			out[k] = v
		}
	}
	copyAs(c, out, "date_created", "create_time")
	copyAs(c, out, "last_updated", "update_time")
	copyAs(c, out, "anniversary", "anniversary_date")
	copyAs(c, out, "ScoreValue", "score_value")
	if b := c.str("birthday"); len(b) >= 10 {
		out["birth_date"] = b[:10]
	}
	setID(out, "leadsource_id", c["lead_source_id"])
	setID(out, "owner_id", c["owner_id"])
	if ref := c.sub("company"); ref != nil {
		if id, ok := ref.int("id"); ok {
			co := object{"id": idString(id)}
			if company, ok := d.companies.get(id); ok {
				setIf(co, "company_name", company.str("company_name"))
			}
			out["company"] = co
		}
	}
	tags := d.tagIDsOf(c.id())
	ids := make([]any, len(tags))
	for i, t := range tags {
		ids[i] = idString(t)
	}
	out["tag_ids"] = ids
	if v, ok := c["source_type"].(string); ok {
		out["source_type"] = v2Spelling(sourceTypes2, v)
	}
	d.contactArrays2(c, out)
	return out
}

// contactArrays2 converts the arrays whose items v2 spells differently.
func (d *db) contactArrays2(c, out object) {
	out["email_addresses"] = project(c.list("email_addresses"), func(e object) object {
		return e.only("email", "field")
	})
	for _, k := range []string{"phone_numbers", "fax_numbers", "addresses"} {
		if v, ok := c[k]; ok {
			out[k] = v
		}
	}
	if _, ok := c["social_accounts"]; ok {
		out["social_accounts"] = project(c.list("social_accounts"), func(a object) object {
			o := a.only("name")
			o["type"] = v2Spelling(socialTypes2, a.str("type"))
			return o
		})
	}
	out["custom_fields"] = customFields2(c.list("custom_fields"))
}

// customFields2 spells custom field values with string ids.
func customFields2(list []object) []any {
	return project(list, func(f object) object {
		o := object{"id": idString(f["id"])}
		if v, ok := f["content"]; ok {
			o["content"] = v
		}
		return o
	})
}

func project(list []object, f func(object) object) []any {
	out := make([]any, len(list))
	for i, o := range list {
		out[i] = f(o)
	}
	return out
}

// copyAs copies from[key] to to[as] when it is there.
func copyAs(from, to object, key, as string) {
	if v, ok := from[key]; ok {
		to[as] = v
	}
}
