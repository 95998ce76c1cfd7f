package resources

import "net/http"

// taskInput is Keap's Task body (POST, PUT, PATCH). creation_date and modification_date
// are in Keap's body schema but the server keeps them: values sent are ignored.
type taskInput struct {
	Completed        *bool         `json:"completed,omitempty"`
	CompletionDate   *string       `json:"completion_date,omitempty"`
	Contact          *contactBasic `json:"contact,omitempty"`
	CreationDate     *string       `json:"creation_date,omitempty"`
	Description      *string       `json:"description,omitempty"`
	DueDate          *string       `json:"due_date,omitempty"`
	FunnelID         *int64        `json:"funnel_id,omitempty"`
	JgraphID         *int64        `json:"jgraph_id,omitempty"`
	ModificationDate *string       `json:"modification_date,omitempty"`
	Priority         *int32        `json:"priority,omitempty"`
	RemindTime       *int32        `json:"remind_time,omitempty"`
	Title            *string       `json:"title,omitempty"`
	Type             *string       `json:"type,omitempty"`
	URL              *string       `json:"url,omitempty"`
	UserID           *int64        `json:"user_id,omitempty"`
}

// contactBasic is Keap's BasicContact in a request: only its id matters, the rest is
// filled from the contact.
type contactBasic struct {
	Email     *string `json:"email,omitempty"`
	FirstName *string `json:"first_name,omitempty"`
	ID        *int64  `json:"id,omitempty"`
	LastName  *string `json:"last_name,omitempty"`
}

func (in *taskInput) check(c *check, m mode) {
	if m.full() {
		c.requiredString("title", in.Title)
		c.required("due_date", in.DueDate != nil)
	}
	c.dateTime("due_date", in.DueDate)
	c.dateTime("completion_date", in.CompletionDate)
	c.dateTime("creation_date", in.CreationDate)
	c.dateTime("modification_date", in.ModificationDate)
	c.positive("user_id", in.UserID)
	if in.Contact != nil {
		c.required("contact.id", in.Contact.ID != nil)
		c.positive("contact.id", in.Contact.ID)
	}
}

func (s *Store) taskKind() *kind {
	return &kind{
		event: "task", idVar: "taskId", createdStatus: http.StatusOK, // Keap documents 200 for POST /tasks
		table:    func(d *db) *table { return d.tasks },
		newInput: func() input { return &taskInput{} },
		apply:    applyTask,
		render:   renderTask,
	}
}

func applyTask(d *db, old object, raw input, m mode) (object, error) {
	in := *raw.(*taskInput)
	var contactID *int64
	if in.Contact != nil {
		contactID = in.Contact.ID
	}
	if err := firstErr(ref("contact.id", d.contacts, contactID), ref("user_id", d.users, in.UserID)); err != nil {
		return nil, err
	}
	now := d.stamp()
	o := object{"creation_date": now, "completed": false}
	if old != nil && m == patching {
		o = old
	} else if old != nil {
		keep(old, o, "creation_date")
	}
	in.CreationDate, in.ModificationDate, in.Contact = nil, nil, nil
	o.merge(fieldsOf(&in))
	if contactID != nil {
		o["contact"] = object{"id": num(*contactID)}
	}
	for _, f := range []string{"due_date", "completion_date"} {
		if v := o.str(f); v != "" {
			o[f] = stampOf(v)
		}
	}
	switch {
	case !o.boolean("completed"):
		delete(o, "completion_date")
	case o.str("completion_date") == "":
		o["completion_date"] = now
	}
	o["modification_date"] = now
	return o, nil
}

// renderTask fills the task's contact from the contact as it is now.
func renderTask(d *db, t object) object {
	out := t.clone()
	if id, ok := t.sub("contact").int("id"); ok {
		if c, ok := d.contacts.get(id); ok {
			out["contact"] = basicContact(c)
		}
	}
	return out
}

func (s *Store) taskRoutes() []Route {
	k := s.taskKind()
	return []Route{
		{http.MethodGet, "/tasks", s.listTasks},
		{http.MethodPost, "/tasks", s.create(k)},
		{http.MethodGet, "/tasks/{taskId}", s.get(k)},
		{http.MethodPut, "/tasks/{taskId}", s.update(k, replacing)},
		{http.MethodPatch, "/tasks/{taskId}", s.update(k, patching)},
		{http.MethodDelete, "/tasks/{taskId}", s.remove(k)},
	}
}

// listTasks is GET /tasks: filters completed, contact_id, user_id, has_due_date, since and
// until (on the due date); order names the field to sort by (due_date, creation_date...).
func (s *Store) listTasks(w http.ResponseWriter, r *http.Request) {
	q := newListQuery(r)
	completed, byCompleted := q.boolean("completed")
	hasDue, byHasDue := q.boolean("has_due_date")
	contact, byContact := q.int("contact_id")
	user, byUser := q.int("user_id")
	due := q.dateRange()
	order := q.oneOf("order", "due_date", "creation_date", "modification_date", "completion_date", "title", "id")
	s.listed(w, r, q, "tasks", func(d *db) ([]object, error) {
		var items []object
		for _, t := range d.tasks.all() {
			switch {
			case byCompleted && t.boolean("completed") != completed,
				byHasDue && (t.str("due_date") != "") != hasDue,
				!intFilter(t.sub("contact"), "id", contact, byContact),
				!intFilter(t, "user_id", user, byUser),
				due.excludes(t.str("due_date")):
				continue
			}
			items = append(items, renderTask(d, t))
		}
		if order != "" && order != "id" {
			sortObjects(items, func(o object) string { return stringOf(o[order]) }, false)
		}
		return items, nil
	})
}
