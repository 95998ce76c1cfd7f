package resources

import (
	"net/http"
	"slices"
	"strings"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// emailStatusInput is Keap's UpdateEmailAddress body.
type emailStatusInput struct {
	OptedIn *bool   `json:"opted_in,omitempty"`
	Reason  *string `json:"reason,omitempty"`
}

func (s *Store) emailStatusRoutes() []Route {
	return []Route{{http.MethodPut, "/emailAddresses/{email}", s.setEmailStatus}}
}

// setEmailStatus is PUT /emailAddresses/{email}: opts every contact with that address in
// (marketable, as a contact created with an opt_in_reason) or out (non-marketable), a
// contact.edit each. The answer is Keap's RestEmailAddress.
func (s *Store) setEmailStatus(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PathValue("email"))
	var in emailStatusInput
	if err := s.decode(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	var c check
	c.required("opted_in", in.OptedIn != nil)
	c.requiredString("reason", in.Reason)
	c.email("email", &email)
	if err := c.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	s.exec(w, r, func(d *db) (reply, error) {
		ids := d.contactsWithEmail(email)
		if len(ids) == 0 {
			return reply{}, httpapi.Errorf(http.StatusNotFound, "no contact has the email address %s", email)
		}
		status := "UnengagedNonMarketable"
		if *in.OptedIn {
			status = "UnengagedMarketable"
		}
		for _, id := range ids {
			contact, _ := d.contacts.get(id)
			contact["email_opted_in"], contact["email_status"], contact["last_updated"] = *in.OptedIn, status, d.stamp()
		}
		answer := object{"email": email, "opted_in": *in.OptedIn, "status": restEmailStatus[status]}
		return reply{http.StatusOK, answer, emitted("contact.edit", ids...)}, nil
	})
}

// restEmailStatus words a contact's email_status as RestEmailAddress does.
var restEmailStatus = map[string]string{
	"UnengagedMarketable": "Unengaged Marketable", "UnengagedNonMarketable": "Unengaged NonMarketable",
}

// contactsWithEmail lists the contacts with the address in any of their email fields, in
// any case, ascending.
func (d *db) contactsWithEmail(email string) []int64 {
	var ids []int64
	for _, c := range d.contacts.all() {
		for _, e := range c.list("email_addresses") {
			if strings.EqualFold(e.str("email"), email) {
				ids = append(ids, c.id())
				break
			}
		}
	}
	slices.Sort(ids)
	return ids
}
