package resources

import (
	"net/http"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// userInput is Keap's CreateUser body. A new user is invited: its status stays Invited
// until the invitation is accepted (user.activate, which only /_mock/events can cause).
type userInput struct {
	Admin     *bool   `json:"admin,omitempty"`
	Email     *string `json:"email,omitempty"`
	GivenName *string `json:"given_name,omitempty"`
	Partner   *bool   `json:"partner,omitempty"`
}

func (in *userInput) check(c *check, m mode) {
	c.requiredString("email", in.Email)
	c.email("email", in.Email)
	c.requiredString("given_name", in.GivenName)
}

func (s *Store) userKind() *kind {
	return &kind{
		event: "user", createdStatus: http.StatusCreated,
		table:    func(d *db) *table { return d.users },
		newInput: func() input { return &userInput{} },
		apply:    applyUser,
	}
}

func applyUser(d *db, _ object, raw input, _ mode) (object, error) {
	in := raw.(*userInput)
	for _, u := range d.users.all() {
		if strings.EqualFold(u.str("email_address"), *in.Email) {
			return nil, httpapi.Errorf(http.StatusBadRequest, "a user with email %s already exists (id %d)", u.str("email_address"), u.id())
		}
	}
	now := d.stamp()
	o := object{
		"email_address": *in.Email, "given_name": *in.GivenName, "status": "Invited",
		"partner": in.Partner != nil && *in.Partner, "date_created": now, "last_updated": now,
	}
	return o, nil
}

func (s *Store) userRoutes() []Route {
	return []Route{
		{http.MethodGet, "/users", s.listUsers},
		{http.MethodPost, "/users", s.create(s.userKind())},
	}
}

// listUsers is GET /users; include_inactive and include_partners default to true.
func (s *Store) listUsers(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	inactive, given := q.boolean("include_inactive")
	inactive = inactive || !given
	partners, given := q.boolean("include_partners")
	partners = partners || !given
	s.listed(w, r, q, "users", func(d *db) ([]object, error) {
		var items []object
		for _, u := range d.users.all() {
			if !inactive && u.str("status") == "Inactive" || !partners && u.boolean("partner") {
				continue
			}
			items = append(items, u.clone())
		}
		return items, nil
	})
}
