package resources

import (
	"net/http"
	"time"

	"github.com/keaphook/keaphook/mock/internal/httpapi"
)

// appointmentInput is Keap's Appointment body (POST, PUT, PATCH).
type appointmentInput struct {
	ContactID   *int64  `json:"contact_id,omitempty"`
	Description *string `json:"description,omitempty"`
	EndDate     *string `json:"end_date,omitempty"`
	Location    *string `json:"location,omitempty"`
	RemindTime  *int32  `json:"remind_time,omitempty"`
	StartDate   *string `json:"start_date,omitempty"`
	Title       *string `json:"title,omitempty"`
	User        *int64  `json:"user,omitempty"`
}

func (in *appointmentInput) check(c *check, m mode) {
	if m.full() {
		c.requiredString("title", in.Title)
		c.required("start_date", in.StartDate != nil)
		c.required("end_date", in.EndDate != nil)
	}
	c.dateTime("start_date", in.StartDate)
	c.dateTime("end_date", in.EndDate)
	c.positive("contact_id", in.ContactID)
	c.positive("user", in.User)
}

func (s *Store) appointmentKind() *kind {
	return &kind{
		event: "appointment", idVar: "appointmentId", createdStatus: http.StatusCreated,
		table:    func(d *db) *table { return d.appointments },
		newInput: func() input { return &appointmentInput{} },
		apply:    applyAppointment,
	}
}

func applyAppointment(d *db, old object, raw input, m mode) (object, error) {
	in := raw.(*appointmentInput)
	if err := firstErr(ref("contact_id", d.contacts, in.ContactID), ref("user", d.users, in.User)); err != nil {
		return nil, err
	}
	o := object{}
	if m == patching {
		o = old
	}
	o.merge(fieldsOf(in))
	start, end := o.str("start_date"), o.str("end_date")
	o["start_date"], o["end_date"] = stampOf(start), stampOf(end)
	if a, b := parseStamp(start), parseStamp(end); b.Before(a) {
		return nil, httpapi.Errorf(http.StatusBadRequest, "%s: end_date %s is before start_date %s", httpapi.KeapMalformed, end, start)
	}
	return o, nil
}

func parseStamp(v string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, v)
	return t
}

func (s *Store) appointmentRoutes() []Route {
	k := s.appointmentKind()
	return []Route{
		{http.MethodGet, "/appointments", s.listAppointments},
		{http.MethodPost, "/appointments", s.create(k)},
		{http.MethodGet, "/appointments/{appointmentId}", s.get(k)},
		{http.MethodPut, "/appointments/{appointmentId}", s.update(k, replacing)},
		{http.MethodPatch, "/appointments/{appointmentId}", s.update(k, patching)},
		{http.MethodDelete, "/appointments/{appointmentId}", s.remove(k)},
	}
}

// listAppointments is GET /appointments, filtered by contact_id and by since and until on
// the start date, in start order.
func (s *Store) listAppointments(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	contact, byContact := q.int("contact_id")
	starts := q.dateRange()
	s.listed(w, r, q, "appointments", func(d *db) ([]object, error) {
		var items []object
		for _, a := range d.appointments.all() {
			if !intFilter(a, "contact_id", contact, byContact) || starts.excludes(a.str("start_date")) {
				continue
			}
			items = append(items, a.clone())
		}
		sortObjects(items, func(o object) string { return o.str("start_date") }, false)
		return items, nil
	})
}
