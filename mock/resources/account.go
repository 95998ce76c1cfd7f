package resources

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// The account's own configuration and the questions about it that Keap's v1 answers: tag
// categories, custom fields (the /model endpoints), the signed-in user, the application's
// status. They go through the store because they describe its objects.

// tagCategoryInput is Keap's CreateTagCategory body.
type tagCategoryInput struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
}

// customFieldInput is Keap's CreateCustomField body (contacts, notes, tasks, appointments).
type customFieldInput struct {
	Label       *string          `json:"label,omitempty"`
	FieldType   *string          `json:"field_type,omitempty"`
	GroupID     *int64           `json:"group_id,omitempty"`
	UserGroupID *int64           `json:"user_group_id,omitempty"`
	Options     []map[string]any `json:"options,omitempty"`
}

// fieldTypes are the field_type values Keap's document allows for a custom field.
var fieldTypes = []string{"Currency", "Date", "DateTime", "DayOfWeek", "Drilldown", "Email", "Month",
	"ListBox", "Name", "WholeNumber", "DecimalNumber", "Percent", "PhoneNumber", "Radio", "Dropdown",
	"SocialSecurityNumber", "State", "Text", "TextArea", "User", "UserListBox", "Website", "Year", "YesNo"}

// modelKinds are the objects whose /model Keap's v1 serves, and whether it takes new custom
// fields through /model/customFields.
var modelKinds = map[string]bool{
	"contacts": true, "notes": true, "tasks": true, "appointments": true,
	"companies": false, "opportunities": false, "orders": false, "subscriptions": false,
}

// optionalProperties are what GET /v1/contacts/{id}?optional_properties= takes, as the
// contact model reports them; the other models report none.
var optionalProperties = map[string][]string{
	"contacts": {"custom_fields", "fax_numbers", "job_title", "lead_source_id", "opt_in_reason", "origin",
		"preferred_locale", "preferred_name", "relationships", "social_accounts", "source_type",
		"spouse_name", "tag_ids", "time_zone", "website"},
}

func (s *Store) accountRoutes() []Route {
	routes := []Route{
		{http.MethodPost, "/tags/categories", s.createTagCategory},
		{http.MethodGet, "/tags/{tagId}/companies", s.listTaggedCompanies},
		{http.MethodGet, "/tasks/search", s.listTasks},
		{http.MethodGet, "/users/{userId}/signature", s.userSignature},
		{http.MethodGet, "/oauth/connect/userinfo", s.userInfo},
		{http.MethodGet, "/setting/application/enabled", s.applicationEnabled},
	}
	for _, kind := range slices.Sorted(maps.Keys(modelKinds)) {
		takesFields := modelKinds[kind]
		routes = append(routes, Route{http.MethodGet, "/" + kind + "/model", s.model(kind)})
		if takesFields {
			routes = append(routes, Route{http.MethodPost, "/" + kind + "/model/customFields", s.createCustomField(kind)})
		}
	}
	return routes
}

// createTagCategory is POST /tags/categories: the category a tag's category.id names.
func (s *Store) createTagCategory(w http.ResponseWriter, r *http.Request) {
	var in tagCategoryInput
	if err := s.decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	c.requiredString("name", in.Name)
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		return reply{status: http.StatusOK, body: d.addCategory(*in.Name, deref(in.Description)).clone()}, nil
	})
}

// addCategory stores a new tag category for v1's and v2's creates alike: the next id (from
// 11, above the seed's and any made before), the name without surrounding spaces. Categories
// emit no event: Keap has no event key for them.
func (d *db) addCategory(name, description string) object {
	id := int64(11)
	for have := range d.categories {
		id = max(id, have+1)
	}
	cat := object{"id": num(id), "name": strings.TrimSpace(name)}
	setIf(cat, "description", description)
	d.categories[id] = cat
	return cat
}

// listTaggedCompanies is GET /tags/{tagId}/companies: the companies whose tag_ids hold the
// tag. Keap's v1 has no way to tag a company, so only a seed or v2 can have made them.
func (s *Store) listTaggedCompanies(w http.ResponseWriter, r *http.Request) {
	tag, err := pathID(r, "tagId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := newListQuery(r)
	s.listed(w, r, q, "companies", func(d *db) ([]object, error) {
		if _, err := d.tags.find(tag); err != nil {
			return nil, err
		}
		var items []object
		for _, c := range d.companies.all() {
			if containsID(c["tag_ids"], tag) {
				basic := object{"id": c["id"], "company_name": c.str("company_name")}
				setIf(basic, "email", c.str("email_address"))
				items = append(items, object{"company": basic, "date_applied": c.str("last_updated")})
			}
		}
		return items, nil
	})
}

func containsID(v any, id int64) bool {
	list, _ := v.([]any)
	for _, x := range list {
		if stringOf(x) == stringOf(num(id)) {
			return true
		}
	}
	return false
}

// userSignature is GET /users/{userId}/signature: the user's email signature, an HTML
// string; a user without one of their own signs with their name and email.
func (s *Store) userSignature(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "userId")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(d *db) (any, error) {
		u, err := d.users.find(id)
		if err != nil {
			return nil, err
		}
		if sig := u.str("signature"); sig != "" {
			return sig, nil
		}
		name := strings.TrimSpace(u.str("given_name") + " " + u.str("family_name"))
		return "<p>" + htmlEscape(name) + "<br>" + htmlEscape(u.str("email_address")) + "</p>", nil
	})
}

var htmlEscape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace
