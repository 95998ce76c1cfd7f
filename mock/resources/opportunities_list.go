package resources

import (
	"net/http"
	"strings"
)

// listOpportunities is GET /opportunities: filters stage_id, user_id and search_term (the
// title, or the contact's names, company or EMAIL1), sorted by order.
func (s *Store) listOpportunities(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	stage, byStage := q.int("stage_id")
	user, byUser := q.int("user_id")
	term := strings.ToLower(q.str("search_term"))
	order := q.oneOf("order", "next_action", "opportunity_name", "contact_name", "date_created")
	s.listed(w, r, q, "opportunities", func(d *db) ([]object, error) {
		var items []object
		for _, o := range d.opportunities.all() {
			out := renderOpportunity(d, o)
			if !intFilter(o.sub("stage"), "id", stage, byStage) || !intFilter(o.sub("user"), "id", user, byUser) ||
				term != "" && !matchesTerm(out, term) {
				continue
			}
			items = append(items, out)
		}
		sortObjects(items, opportunityOrder(order), false)
		return items, nil
	})
}

func matchesTerm(o object, term string) bool {
	c := o.sub("contact")
	for _, v := range []string{o.str("opportunity_title"), c.str("first_name"), c.str("last_name"), c.str("company_name"), c.str("email")} {
		if strings.Contains(strings.ToLower(v), term) {
			return true
		}
	}
	return false
}

func opportunityOrder(order string) func(object) string {
	switch order {
	case "next_action":
		return func(o object) string { return o.str("next_action_date") }
	case "opportunity_name":
		return func(o object) string { return strings.ToLower(o.str("opportunity_title")) }
	case "contact_name":
		return func(o object) string {
			c := o.sub("contact")
			return strings.ToLower(c.str("last_name") + " " + c.str("first_name"))
		}
	}
	return nil
}
