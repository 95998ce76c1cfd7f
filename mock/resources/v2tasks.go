package resources

import (
	"net/http"
	"slices"
	"strconv"
)

// Tasks through v2: task.add, .edit and .delete, as through v1.

func (s *Store) taskRoutes2() []Route {
	k := &v2Kind{kind: s.taskKind(), idVar2: "task_id", render2: task2, masks: taskMask2,
		newBody: func() v2Body { return &taskBody2{} }, check2: checkTask2}
	return []Route{
		{http.MethodGet, "/tasks", s.v2List(taskListing2, func(d *db, _ *http.Request) ([]object, error) {
			return mapAll(d.tasks.all(), func(o object) object { return task2(d, o) }), nil
		})},
		{http.MethodPost, "/tasks", s.v2Create(k)},
		{http.MethodGet, "/tasks/{task_id}", s.v2Get2(k, []string{"custom_fields"})},
		{http.MethodPatch, "/tasks/{task_id}", s.v2Update(k)},
		{http.MethodDelete, "/tasks/{task_id}", s.v2Remove(k)},
	}
}

var taskMask2 = []string{"id", "title", "description", "type", "priority", "completion_time", "due_time", "remind_time_mins",
	"assigned_to_user_id", "last_updated_by_user_id", "contact_id", "opportunity_id", "accepted", "completed", "custom_fields"}

// v1 numbers a task's priority; v2 names it.
var taskPriorities2 = map[int64]string{1: "NONESSENTIAL", 2: "ESSENTIAL", 3: "CRITICAL"}

// task2 is a stored task as v2's Task.
func task2(_ *db, t object) object {
	out := object{"id": idString(t["id"]), "completed": t.boolean("completed")}
	setIf(out, "title", t.str("title"))
	setIf(out, "description", t.str("description"))
	setIf(out, "type", t.str("type"))
	copyAs(t, out, "creation_date", "create_time")
	copyAs(t, out, "modification_date", "modification_time")
	copyAs(t, out, "completion_date", "completion_time")
	copyAs(t, out, "due_date", "due_time")
	if p, ok := t.int("priority"); ok && taskPriorities2[p] != "" {
		out["priority"] = taskPriorities2[p]
	}
	// remind_time_mins is kept (v1 shows it as remind_time) but not shown: Keap's v2 document
	// types it as an integer whose allowed values are strings, which no value satisfies.
	setID(out, "assigned_to_user_id", t["user_id"])
	setID(out, "contact_id", t.sub("contact")["id"])
	return out
}

// reminders are the remind_time_mins values Keap's v2 document allows.
var reminders = []int64{5, 10, 15, 30, 60, 120, 240, 480, 1440, 2880}

func validReminder(m int64) bool { return slices.Contains(reminders, m) }

var taskListing2 = &v2Listing{
	key:    "tasks",
	fields: []string{"custom_fields"},
	filters: map[string]v2Filter{
		"contact_id":     {fSet, nil},
		"has_due_date":   {fBool, func(o object) []string { return []string{strconv.FormatBool(o["due_time"] != nil)} }},
		"is_completed":   {fBool, func(o object) []string { return valuesOf(o["completed"]) }},
		"user_id":        {fSet, func(o object) []string { return valuesOf(o["assigned_to_user_id"]) }},
		"opportunity_id": {fSet, nil},
		"task_ids":       {fSet, idValues},
		"priority":       {fSet, nil},
		"since_time":     {fSince, func(o object) []string { return valuesOf(o["modification_time"]) }},
		"until_time":     {fUntil, func(o object) []string { return valuesOf(o["modification_time"]) }},
		"id":             {fNumber, idValues},
		"title":          {fText, nil},
	},
	orders: map[string]func(o object) string{
		"id": nil, "create_time": nil, "due_time": nil,
		"update_time": func(o object) string { return o.str("modification_time") },
	},
}

// taskBody2 is v2's CreateTaskRequest. opportunity_id, accepted and custom_fields have no
// v1 counterpart: accepted, not kept.
type taskBody2 struct {
	Accepted         *bool           `json:"accepted,omitempty"`
	AssignedToUserID *string         `json:"assigned_to_user_id,omitempty"`
	Completed        *bool           `json:"completed,omitempty"`
	CompletionTime   *string         `json:"completion_time,omitempty"`
	ContactID        *string         `json:"contact_id,omitempty"`
	CustomFields     *[]customField2 `json:"custom_fields,omitempty"`
	Description      *string         `json:"description,omitempty"`
	DueTime          *string         `json:"due_time,omitempty"`
	OpportunityID    *string         `json:"opportunity_id,omitempty"`
	Priority         *string         `json:"priority,omitempty"`
	RemindTimeMins   *int32          `json:"remind_time_mins,omitempty"`
	Title            *string         `json:"title,omitempty"`
	Type             *string         `json:"type,omitempty"`
}

func (b *taskBody2) toV1(c *check) input {
	in := &taskInput{Completed: b.Completed, CompletionDate: b.CompletionTime, Description: b.Description,
		DueDate: b.DueTime, RemindTime: b.RemindTimeMins, Title: b.Title, Type: b.Type}
	in.UserID = c.idField("assigned_to_user_id", b.AssignedToUserID)
	if id := c.idField("contact_id", b.ContactID); id != nil {
		in.Contact = &contactBasic{ID: id}
	}
	if b.Priority != nil {
		c.enum("priority", b.Priority, "CRITICAL", "ESSENTIAL", "NONESSENTIAL")
		for n, name := range taskPriorities2 {
			if name == *b.Priority {
				p := int32(n)
				in.Priority = &p
			}
		}
	}
	if b.RemindTimeMins != nil && !validReminder(int64(*b.RemindTimeMins)) {
		c.bad("remind_time_mins must be one of 5, 10, 15, 30, 60, 120, 240, 480, 1440 or 2880, got %d", *b.RemindTimeMins)
	}
	return in
}

// checkTask2 is v2's rule: a new task needs a title and the user it is assigned to; a due
// date is optional (v1 requires one).
func checkTask2(raw input, c *check, m mode) {
	in := raw.(*taskInput)
	if m == creating {
		c.requiredString("title", in.Title)
		c.required("assigned_to_user_id", in.UserID != nil)
	}
	in.check(c, patching)
}
