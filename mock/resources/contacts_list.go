package resources

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
)

// listContacts is GET /contacts: filters email, given_name, family_name, since and until
// (on last_updated), ordering by order and order_direction, paging by limit and offset.
func (s *Store) listContacts(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	email, given, family := q.str("email"), q.str("given_name"), q.str("family_name")
	updated := q.dateRange()
	order := q.oneOf("order", "id", "date_created", "last_updated", "name", "firstName", "email")
	desc := q.oneOf("order_direction", "ASCENDING", "DESCENDING") == "DESCENDING"
	s.listed(w, r, q, "contacts", func(d *db) ([]object, error) {
		var items []object
		for _, c := range d.contacts.all() {
			switch {
			case email != "" && !sharesEmail(c, []emailAddress{{Email: &email}}),
				given != "" && !strings.EqualFold(c.str("given_name"), given),
				family != "" && !strings.EqualFold(c.str("family_name"), family),
				updated.excludes(c.str("last_updated")):
				continue
			}
			items = append(items, d.partialContact(c))
		}
		sortObjects(items, contactOrderKey(order), desc)
		return items, nil
	})
}

func contactOrderKey(order string) func(object) string {
	switch order {
	case "date_created", "last_updated":
		return func(c object) string { return c.str(order) }
	case "name":
		return func(c object) string { return strings.ToLower(c.str("family_name") + " " + c.str("given_name")) }
	case "firstName":
		return func(c object) string { return strings.ToLower(c.str("given_name")) }
	case "email":
		return func(c object) string { return strings.ToLower(primaryEmail(c)) }
	}
	return nil
}

// sortObjects orders items by key (nil keeps id order), ties by id; desc reverses.
func sortObjects(items []object, key func(object) string, desc bool) {
	slices.SortStableFunc(items, func(a, b object) int {
		c := 0
		if key != nil {
			c = strings.Compare(key(a), key(b))
		}
		if c == 0 {
			c = cmp.Compare(a.id(), b.id())
		}
		if desc {
			return -c
		}
		return c
	})
}
